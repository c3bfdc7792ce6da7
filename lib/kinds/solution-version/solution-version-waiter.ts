import { Construct } from 'constructs';
import { SOLUTION_VERSION, TRAINING_WAIT_DEFAULTS } from './contract';
import { SolutionVersionBase, SolutionVersionWaitOptions } from './base';
import { declareWorkReferences } from '../../engine/work-references';

export interface SolutionVersionWaiterProps extends SolutionVersionWaitOptions {
  /**
   * The ARN of the Amazon Personalize solution version to wait for, such as
   * `arn:aws:personalize:us-east-1:111122223333:solution/promo/1a2b3c4d`.
   *
   * A literal is checked at synth time; a token is checked when the stack deploys.
   */
  readonly solutionVersionArn: string;

  /**
   * The quality gate: metric name to the least value the version must reach, such as
   * `{ precision_at_5: 0.2 }`. A metric below its minimum, or not reported at all, fails the
   * deployment with a message naming it; nothing that depends on the waiter is deployed.
   *
   * @default - no gate
   */
  readonly minimumMetrics?: { [metricName: string]: number };
}

/**
 * Holds a stack until an Amazon Personalize solution version trained elsewhere (by hand, by a
 * pipeline, by automatic training) has finished, checks it against a quality gate, and exposes
 * the version and its metrics as attributes. To train the version from the stack too, use
 * `SolutionVersion`.
 *
 * Deleting the waiter never touches the version, even one still training, and always succeeds.
 */
export class SolutionVersionWaiter extends SolutionVersionBase {
  constructor(scope: Construct, id: string, props: SolutionVersionWaiterProps) {
    super(scope, id);
    // A batch job given this waiter's solutionVersionArn names the version it was given, not the wait.
    declareWorkReferences(this, { homeArn: props.solutionVersionArn, grantResource: props.solutionVersionArn });
    this._waitForExistingJob(SOLUTION_VERSION, props.solutionVersionArn, props, TRAINING_WAIT_DEFAULTS, this._gateProperties(props.minimumMetrics));
  }
}
