/** The scope of a training (`trainingMode`). */
export enum TrainingMode {
  /** A new model from all of the dataset group's data. */
  FULL = 'FULL',
  /**
   * An update of the solution's latest FULL model with new items and interactions: only for
   * User-Personalization and HRNN-Coldstart solutions that have an ACTIVE FULL version.
   */
  UPDATE = 'UPDATE',
}

/** What defines a training, whoever starts it: a stack's `SolutionVersion`, or a state machine's `TrainSolutionVersion`. */
export interface TrainingDefinitionProps {
  /**
   * The ARN of the solution to train, such as `arn:aws:personalize:us-east-1:111122223333:solution/promo`
   * or a `CfnSolution`'s `attrSolutionArn`. The version is trained in the solution's region and
   * account. A stack's `SolutionVersion` waits for a solution that is not `ACTIVE` yet (created by
   * the same deployment); a state machine's run needs it `ACTIVE`.
   */
  readonly solutionArn: string;

  /**
   * How much to train.
   *
   * @default TrainingMode.FULL
   */
  readonly trainingMode?: TrainingMode;

  /**
   * Tags for each version (at most 200), applied when a training starts. In a stack, changing only
   * the tags starts no training.
   *
   * @default - no tags
   */
  readonly tags?: Readonly<Record<string, string>>;

  /**
   * The quality gate: metric name to the least value the new version must reach, such as
   * `{ normalized_discounted_cumulative_gain_at_10: 0.2 }`. A metric below its minimum, or not
   * reported at all, fails the deployment (or the state machine's execution, with the error
   * `SolutionVersionBelowGate`) with a message naming the metric, its value and the minimum; nothing
   * that depends on the version (a batch job, a campaign, the states chained after the training)
   * is created, updated or run. In a stack, changing only the gate checks the same version again;
   * it starts no training.
   *
   * @default - no gate
   */
  readonly minimumMetrics?: { [metricName: string]: number };
}
