import { Construct } from 'constructs';
import type { BatchJobWaitOptions } from '../../engine/wait-options';
import { DatasetImportJobBase } from './base';
import { DATASET_IMPORT_JOB } from './contract';
import { JOB_WAIT_DEFAULTS } from '../../engine/wait-timing';

export interface DatasetImportJobWaiterProps extends BatchJobWaitOptions {
  /**
   * The ARN of the Amazon Personalize dataset import job to wait for, such as
   * `arn:aws:personalize:us-east-1:111122223333:dataset-import-job/interactions-2026-11-28`.
   *
   * A literal is checked at synth time; a token is checked when the stack deploys.
   */
  readonly datasetImportJobArn: string;
}

/**
 * Holds a stack until an Amazon Personalize dataset import started elsewhere (a script, a
 * pipeline, `CfnDataset`'s own `datasetImportJob`) has finished, and exposes the import as
 * attributes: a training or a batch job that depends on the waiter starts on the whole dataset.
 *
 * Deleting the waiter never touches the import and always succeeds.
 */
export class DatasetImportJobWaiter extends DatasetImportJobBase {
  constructor(scope: Construct, id: string, props: DatasetImportJobWaiterProps) {
    super(scope, id);
    this._waitForExistingJob(DATASET_IMPORT_JOB, props.datasetImportJobArn, props, JOB_WAIT_DEFAULTS);
  }
}
