import * as path from 'path';
import { App, Duration } from 'aws-cdk-lib';
import { PIPELINE_STEPS, PipelineStack } from '../bin/pipeline-stack';
import { ImportField } from '../lib/kinds/dataset-import-job/contract';
import { TrainingField } from '../lib/kinds/solution-version/contract';
import { WaiterProperty } from '../lib/engine/wait-contract';
import { localDeployment, withLocalPersonalize } from './local-run';

export interface RetryCost {
  readonly reuse: string;
  readonly outcome: string;
  /** Simulated seconds of the retry. */
  readonly seconds: number;
  readonly imports: number;
  readonly trainings: number;
  readonly batchJobs: number;
  /** Training hours of the versions the retry trained. */
  readonly trainingHours: number;
}

/**
 * What a retry costs after the example pipeline's first deployment failed on a malformed batch
 * job input (after both imports and both trainings), was rolled back, and the input was fixed:
 * with reuse (the default window) and without (`reuseWithin: 0`).
 */
export async function measureRetryCost(): Promise<RetryCost[]> {
  const rows: RetryCost[] = [];
  for (const [reuse, reuseWithin] of [['on (a day, the default)', undefined], ['off (reuseWithin: 0)', Duration.seconds(0)]] as const) {
    const outdir = path.join(__dirname, '..', 'cdk.out', `bench-retry-${reuseWithin === undefined ? 'on' : 'off'}`);
    const app = new App({ outdir });
    new PipelineStack(app, 'Pipeline', { reuseWithin });
    app.synth();
    rows.push(await withLocalPersonalize(async (personalize, clock) => {
      let deployment = localDeployment(outdir, 'Pipeline', clock, personalize);
      const order = PIPELINE_STEPS.flatMap(([id, type]) => deployment.chainOf(id, type));
      const named = (type: string, field: string) => [...new Set(deployment.logicalIdsOf(type).map((id) => String(deployment.requestPropertiesOf(id)[WaiterProperty.JOB][field])))];
      named('Custom::PersonalizeDatasetImportJob', ImportField.DATASET_ARN).forEach((arn) => personalize.imports.addDataset(arn, { activeAfterSeconds: 300 }));
      named('Custom::PersonalizeSolutionVersion', TrainingField.SOLUTION_ARN).forEach((arn) => personalize.trainings.addSolution(arn, { activeAfterSeconds: 600 }));
      const inputPath = String(deployment.requestPropertiesOf(deployment.chainOf('Recommendations', 'Custom::PersonalizeBatchInferenceJob')[0])[WaiterProperty.JOB].InputPath);
      personalize.setInputMalformed(inputPath, true);
      await deployment.deployStack(order);
      personalize.setInputMalformed(inputPath, false);
      personalize.resetCallsAndFaults();
      const trainedBefore = personalize.trainings.versionArns();
      deployment = localDeployment(outdir, 'Pipeline', clock, personalize);
      const started = Date.now();
      const retry = await deployment.deployStack(order);
      const created = (operation: string) => personalize.callsTo(operation).filter((call) => call.error === undefined).length;
      const trainedInRetry = personalize.trainings.versionArns().filter((arn) => !trainedBefore.includes(arn));
      const trainingHours = trainedInRetry.reduce((sum, arn) => sum + personalize.trainings.trainingHoursOf(arn), 0);
      return {
        reuse,
        outcome: retry.failed === undefined ? 'succeeded' : `FAILED: ${retry.failed.response.Reason}`,
        seconds: (Date.now() - started) / 1000,
        imports: created('CreateDatasetImportJob'),
        trainings: created('CreateSolutionVersion'),
        batchJobs: created('CreateBatchSegmentJob') + created('CreateBatchInferenceJob'),
        trainingHours,
      };
    }));
  }
  return rows;
}
