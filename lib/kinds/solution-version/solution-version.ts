import type { Duration } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { JobField } from '../../engine/job-contract';
import { validateTags } from '../../engine/job-validation';
import { SOLUTION_VERSION, TrainingField, TRAINING_WAIT_DEFAULTS } from './contract';
import type { IDatasetImportJob } from '../dataset-import-job/base';
import { DatasetImportJob } from '../dataset-import-job/dataset-import-job';
import { SolutionVersionBase, SolutionVersionWaitOptions } from './base';
import { allowTraining } from './grants';
import { validateSolutionArn } from './validation';
import { declareWorkReferences } from '../../engine/work-references';
import type { TrainingDefinitionProps } from './training-props';

export interface SolutionVersionProps extends TrainingDefinitionProps, SolutionVersionWaitOptions {
  /**
   * The start of the version's name, 1 to 50 letters, digits, `-` and `_`. Each version is
   * named `<namePrefix>-<12 characters>`, the characters derived from the deployment that
   * starts its training, which is how a retried request finds the training it already started.
   *
   * @default - a name made from the construct's path
   */
  readonly namePrefix?: string;

  /**
   * The dataset imports whose data the training must include: it starts only after they have
   * ended, and a new import (the data changed) trains a new version.
   *
   * @default - none; order the training after the data yourself (`node.addDependency`)
   */
  readonly datasetImportJobs?: IDatasetImportJob[];

  /**
   * Whether the solution trains itself every 7 days (Personalize's `performAutoTraining`). A new
   * solution does by default, starting within an hour of becoming `ACTIVE`. When given, the
   * construct sets it (`UpdateSolution`) before each training it starts, as soon as the solution
   * is `ACTIVE`: it waits for a solution created by the same deployment instead of failing.
   * Changing only this starts no training; the next training applies it.
   *
   * @default - the solution's setting is left as it is
   */
  readonly performAutoTraining?: boolean;

  /**
   * How old a version may be for a retry to adopt it instead of training again. Before it trains,
   * the construct looks for an `ACTIVE` version of the same solution that this library trained
   * from the same definition (solution, training mode, and the imports it follows, by their
   * definitions) within this window, and adopts the newest: no training, and the gate checked on
   * that version's metrics. That is what a deployment retried after an unrelated failure finds.
   * A version trained by hand or by automatic training, or that failed or was stopped, is never
   * adopted. `Duration.seconds(0)` turns reuse off. At most 30 days.
   *
   * @default Duration.days(1) - a retry usually comes within hours, and a dataset fed by an event tracker moves on
   */
  readonly reuseWithin?: Duration;
}

/**
 * Trains an Amazon Personalize solution version (a model) from the stack, waits until training
 * has ended, checks it against a quality gate, and exposes the version and its metrics as
 * attributes, as `SolutionVersionWaiter` does for a version trained elsewhere.
 *
 * Training starts when the resource is created, and again (a new version) when an update changes
 * the solution, the training mode, `namePrefix` or the imports of `datasetImportJobs`; a change to the wait's settings, the gate or
 * the tags alone trains nothing. One request never starts two trainings: a retried request finds
 * the training it started. When the region is at Personalize's limit of 20 trainings in
 * progress, or the solution is not `ACTIVE` yet, the training is started when it can be, within
 * `timeout`.
 *
 * Training is billed by the hour, so a training the deployment no longer needs is stopped
 * (`StopSolutionVersionCreation`): when the wait times out, and when CloudFormation deletes the
 * resource while it still trains (the rollback of a failed deployment, the stack's deletion).
 * Deleting the construct leaves a finished version in place and always succeeds.
 */
export class SolutionVersion extends SolutionVersionBase {
  /**
   * What defines the training, which a scheduled run of the same training takes as it is: the
   * solution, mode, tags, gate and name prefix.
   * @internal
   */
  public readonly _jobDefinitionProps: TrainingDefinitionProps & { readonly jobNamePrefix: string };

  /**
   * `"true"` when the deployment adopted a version trained before (see `reuseWithin`), `"false"`
   * when it trained this one.
   */
  public get reused(): string {
    return this._reusedAttribute();
  }

  constructor(scope: Construct, id: string, props: SolutionVersionProps) {
    super(scope, id);
    // A batch job given this version's ARN names its jobs and grants in the solution's home: the
    // handlers' policy names them, and a training waits for the handlers, so a reference to it there would be circular.
    declareWorkReferences(this, { homeArn: props.solutionArn, grantResource: `${props.solutionArn}/*` });
    const namePrefix = this._namePrefix(props.namePrefix, 'namePrefix');
    const tags = props.tags ?? {};
    validateSolutionArn(this, props.solutionArn);
    validateTags(this, tags);
    this._jobDefinitionProps = { solutionArn: props.solutionArn, trainingMode: props.trainingMode, tags: props.tags, minimumMetrics: props.minimumMetrics, jobNamePrefix: namePrefix };
    const training = {
      [JobField.NAME_PREFIX]: namePrefix,
      [TrainingField.SOLUTION_ARN]: props.solutionArn,
      [TrainingField.TRAINING_MODE]: props.trainingMode,
      [TrainingField.AFTER_IMPORTS]: props.datasetImportJobs?.map((imported) => (imported instanceof DatasetImportJob ? imported._dataIdentity : imported.datasetImportJobArn)),
      [TrainingField.PERFORM_AUTO_TRAINING]: props.performAutoTraining,
      ...this._reuseField(props.reuseWithin, `${props.solutionArn}/*`),
      [JobField.TAGS]: Object.keys(tags).length > 0 ? tags : undefined,
    };
    const [firstLink] = this._waitForNewJob(SOLUTION_VERSION, props, TRAINING_WAIT_DEFAULTS, training, this._gateProperties(props.minimumMetrics));
    // An import's data identity names no resource: the order comes from here.
    props.datasetImportJobs?.forEach((imported) => firstLink.node.addDependency(imported));
    allowTraining(this._handlers(), props.solutionArn, props.performAutoTraining !== undefined);
  }
}
