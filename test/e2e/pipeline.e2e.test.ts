import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FileSystem } from 'aws-cdk-lib';
import { PIPELINE_SAMPLE_DIR, PIPELINE_STEPS, PipelineStack } from '../../bin/pipeline-stack';
import { Deployment } from '../../local/local-deployment';
import { UPDATE_SECONDS } from '../../local/kinds/solution-version';
import { expectEveryGrantUsed, SynthesizedStack, useLocalPersonalize } from '../support/local-stack';

/*
 * End to end: the example pipeline (bin/pipeline-stack.ts) deployed through the provider
 * framework's own code on the local endpoint, in CloudFormation's order; again after its sample
 * interactions changed; and again unchanged. The calls that turn the solutions' automatic training
 * off run through aws-cdk-lib's own AwsCustomResource function. The local endpoint stands in for
 * the dataset group, datasets and solutions, which the local deployment cannot run, and the copies
 * of the sample files into S3 are left out.
 */

const ACCOUNT = 'arn:aws:personalize:us-east-1:111122223333';
const DATASETS = [`${ACCOUNT}:dataset/promo-pipeline/INTERACTIONS`, `${ACCOUNT}:dataset/promo-pipeline/ITEMS`];
const SEGMENTS_SOLUTION = `${ACCOUNT}:solution/promo-pipeline-item-affinity`;
const RECOMMENDATIONS_SOLUTION = `${ACCOUNT}:solution/promo-pipeline-user-personalization-v2`;

const { personalize, iam } = useLocalPersonalize();
let changedDataDir: string;
let shipped: SynthesizedStack;
let changed: SynthesizedStack;
let changedAgain: SynthesizedStack;
let order: string[];

const pipelineWith = (dataDir: string) => new SynthesizedStack({ stack: (app, id) => new PipelineStack(app, id, { dataDir }) });

beforeAll(() => {
  changedDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pipeline-data-'));
  fs.cpSync(PIPELINE_SAMPLE_DIR, changedDataDir, { recursive: true });
  fs.appendFileSync(path.join(changedDataDir, 'interactions.csv'), 'user-001,item-05,1767225600\n');
  shipped = pipelineWith(PIPELINE_SAMPLE_DIR);
  changed = pipelineWith(changedDataDir);
  changedAgain = pipelineWith(changedDataDir);
  order = PIPELINE_STEPS.flatMap(([id, type]) => shipped.deployment.chainOf(id, type));
});

afterAll(() => {
  [shipped, changed, changedAgain].forEach((stack) => stack.dispose());
  fs.rmSync(changedDataDir, { recursive: true, force: true });
});

beforeEach(() => {
  shipped.undeploy();
  changed.undeploy();
  personalize.imports.removeAll();
  personalize.trainings.removeAll();
  personalize.removeJobs();
  DATASETS.forEach((arn) => personalize.imports.addDataset(arn, { activeAfterSeconds: 300 }));
  personalize.trainings.addSolution(SEGMENTS_SOLUTION, { activeAfterSeconds: 600 });
});

const work = () => {
  const jobs = personalize.jobArns();
  return {
    imports: personalize.imports.importArns().length,
    trainings: personalize.trainings.versionArns().length,
    segmentJobs: jobs.filter((arn) => arn.includes(':batch-segment-job/')).length,
    inferenceJobs: jobs.filter((arn) => arn.includes(':batch-inference-job/')).length,
  };
};

/** Each step's last answer (its result), by construct id. */
function resultsOf(answers: Iterable<Deployment>): Map<string, Record<string, string>> {
  const results = new Map<string, Record<string, string>>();
  for (const { response } of answers) {
    const [step] = PIPELINE_STEPS.find(([id, type]) => shipped.deployment.chainOf(id, type).includes(response.LogicalResourceId))!;
    results.set(step, response.Data ?? {});
  }
  return results;
}

const time = (value: string) => new Date(value).getTime();

/** A training that takes an hour longer than the live timeline's two. */
const TRAINING_OF_THREE_HOURS = [
  { afterSeconds: 0, status: 'CREATE PENDING' },
  { afterSeconds: 300, status: 'CREATE IN_PROGRESS' },
  { afterSeconds: 3 * 3600, status: 'ACTIVE' },
];

const runningTrainings = () =>
  personalize.trainings.versionArns().filter((arn) => ['CREATE PENDING', 'CREATE IN_PROGRESS'].includes(personalize.trainings.statusOf(arn)!));

it('imports both files, trains both models after both imports, then runs each batch job on its own model: one of each', async () => {
  personalize.trainings.addSolution(RECOMMENDATIONS_SOLUTION, { activeAfterSeconds: 600 });

  const { created, failed } = await shipped.deployment.deployStack(order);

  expect(failed).toBeUndefined();
  expect(work()).toEqual({ imports: 2, trainings: 2, segmentJobs: 1, inferenceJobs: 1 });
  const results = resultsOf(created);
  const bucketName = String(shipped.deployment.requestPropertiesOf(order[0]).Job.DataLocation).split('/')[2];
  expect(personalize.callsTo('CreateDatasetImportJob').filter((call) => call.fault === undefined).map((call) => call.body.dataSource)).toEqual(
    expect.arrayContaining([
      { dataLocation: `s3://${bucketName}/imports/${FileSystem.fingerprint(path.join(PIPELINE_SAMPLE_DIR, 'interactions.csv'))}.csv` },
      { dataLocation: `s3://${bucketName}/imports/${FileSystem.fingerprint(path.join(PIPELINE_SAMPLE_DIR, 'items.csv'))}.csv` },
    ]),
  );
  for (const solution of [SEGMENTS_SOLUTION, RECOMMENDATIONS_SOLUTION]) {
    expect(personalize.trainings.trainsAutomatically(solution)).toBe(false);
    const [turnedOff] = personalize.callsTo('UpdateSolution').filter((call) => call.body.solutionArn === solution);
    expect(turnedOff.body).toEqual({ solutionArn: solution, performAutoTraining: false });
    const [trained] = personalize.callsTo('CreateSolutionVersion').filter((call) => call.error === undefined && call.body.solutionArn === solution);
    expect(turnedOff.at).toBeLessThan(trained.at);
  }
  const importsEnded = Math.max(...['ImportInteractions', 'ImportItems'].map((step) => time(results.get(step)!.LastUpdatedDateTime)));
  for (const model of ['SegmentsModel', 'RecommendationsModel']) {
    expect(time(results.get(model)!.CreationDateTime)).toBeGreaterThanOrEqual(importsEnded);
  }
  const [segmentsJob] = personalize.callsTo('CreateBatchSegmentJob');
  const [inferenceJob] = personalize.callsTo('CreateBatchInferenceJob');
  expect(segmentsJob.body.solutionVersionArn).toBe(results.get('SegmentsModel')!.SolutionVersionArn);
  expect(inferenceJob.body.solutionVersionArn).toBe(results.get('RecommendationsModel')!.SolutionVersionArn);
  expect(String(segmentsJob.body.solutionVersionArn)).toMatch(/solution\/promo-pipeline-item-affinity\//);
  expect(segmentsJob.at).toBeGreaterThanOrEqual(time(results.get('SegmentsModel')!.LastUpdatedDateTime));
  expect(inferenceJob.at).toBeGreaterThanOrEqual(time(results.get('RecommendationsModel')!.LastUpdatedDateTime));
  // Each job writes to a folder of its own, named after it, under the prefix the stack gave.
  expect(results.get('Segments')!.OutputPath).toBe(`s3://${bucketName}/segments/${results.get('Segments')!.JobName}/`);
  expect(results.get('Recommendations')!.OutputPath).toBe(`s3://${bucketName}/recommendations/${results.get('Recommendations')!.JobName}/`);

  // The sample's interactions changed: that file is imported again, both models retrain on it, both jobs run again.
  personalize.resetCallsAndFaults();
  const rerun = await shipped.deployment.redeployStack(changed.outdir, 'Local', order);
  expect([...rerun.updated.values()].every((update) => update.response.Status === 'SUCCESS')).toBe(true);
  expect(work()).toEqual({ imports: 3, trainings: 4, segmentJobs: 2, inferenceJobs: 2 });
  const rerunResults = resultsOf(rerun.updated.values());
  expect([...rerunResults.keys()]).toEqual(['ImportInteractions', 'SegmentsModel', 'RecommendationsModel', 'Segments', 'Recommendations']);
  expect(personalize.callsTo('UpdateSolution')).toHaveLength(0);
  const reimported = time(rerunResults.get('ImportInteractions')!.LastUpdatedDateTime);
  expect(time(rerunResults.get('SegmentsModel')!.CreationDateTime)).toBeGreaterThanOrEqual(reimported);
  expect(time(rerunResults.get('RecommendationsModel')!.CreationDateTime)).toBeGreaterThanOrEqual(reimported);
  expect(personalize.callsTo('CreateBatchSegmentJob')[0].body.solutionVersionArn).toBe(rerunResults.get('SegmentsModel')!.SolutionVersionArn);
  expect(personalize.callsTo('CreateBatchInferenceJob')[0].body.solutionVersionArn).toBe(rerunResults.get('RecommendationsModel')!.SolutionVersionArn);

  // Synthesized again from the same data: CloudFormation has nothing to update.
  personalize.resetCallsAndFaults();
  const unchanged = await shipped.deployment.redeployStack(changedAgain.outdir, 'Local', order);
  expect(unchanged.updated.size).toBe(0);
  expect(work()).toEqual({ imports: 3, trainings: 4, segmentJobs: 2, inferenceJobs: 2 });
  expect(personalize.calls).toHaveLength(0);
});

it('stops the segments model still training when the recommendations model fails its gate: the cancel, the Delete with a made-up id, the stop', async () => {
  personalize.trainings.addSolution(SEGMENTS_SOLUTION, { activeAfterSeconds: 600, timeline: TRAINING_OF_THREE_HOURS });
  personalize.trainings.addSolution(RECOMMENDATIONS_SOLUTION, { metrics: { normalized_discounted_cumulative_gain_at_10: 0.12 } });

  const { failed, cancelled, rolledBack, lateAnswers } = await shipped.deployment.deployStack(order);

  expect(failed?.response.LogicalResourceId).toMatch(/^RecommendationsModel/);
  expect(failed?.response.Reason).toContain('normalized_discounted_cumulative_gain_at_10 is 0.12, below its minimum of 0.2');
  expect(cancelled).toHaveLength(1);
  expect(cancelled[0]).toMatch(/^SegmentsModel/);
  // The cancelled link never answered: its Delete carries an id CloudFormation made up, and still stops the training.
  const cancelledDelete = rolledBack.find((deletion) => deletion.response.LogicalResourceId === cancelled[0])!;
  expect(cancelledDelete.response.PhysicalResourceId).toMatch(/^Local-SegmentsModel.*-[0-9A-F]{12}$/);
  expect(rolledBack.every((deletion) => deletion.response.Status === 'SUCCESS')).toBe(true);
  const [segmentsVersion] = personalize.trainings.versionArns().filter((arn) => arn.startsWith(SEGMENTS_SOLUTION));
  expect(personalize.trainings.wasStopped(segmentsVersion)).toBe(true);
  expect(lateAnswers.map((late) => late.response.Status)).toEqual(['FAILED']);
  expect(work()).toEqual({ imports: 2, trainings: 2, segmentJobs: 0, inferenceJobs: 0 });
  expect(runningTrainings()).toEqual([]);
});

it('stops a cancelled retraining and keeps the old version without training when an update is rolled back', async () => {
  personalize.trainings.addSolution(SEGMENTS_SOLUTION, { activeAfterSeconds: 600, timeline: TRAINING_OF_THREE_HOURS });
  personalize.trainings.addSolution(RECOMMENDATIONS_SOLUTION, { activeAfterSeconds: 600 });
  expect((await shipped.deployment.deployStack(order)).failed).toBeUndefined();
  const before = shipped.deployment.stackOutputs();
  // New data makes a worse recommendations model, while the segments model retrains for longer.
  personalize.trainings.addSolution(RECOMMENDATIONS_SOLUTION, { metrics: { normalized_discounted_cumulative_gain_at_10: 0.12 } });
  personalize.resetCallsAndFaults();

  const update = await shipped.deployment.redeployStack(changed.outdir, 'Local', order);

  expect(update.failed?.response.LogicalResourceId).toMatch(/^RecommendationsModel/);
  expect(update.cancelled.some((id) => id.startsWith('SegmentsModel'))).toBe(true);
  expect(update.rolledBack.every((answer) => answer.response.Status === 'SUCCESS')).toBe(true);
  expect(personalize.callsTo('CreateSolutionVersion').filter((call) => call.error === undefined)).toHaveLength(2);
  expect(runningTrainings()).toEqual([]);
  const retrained = personalize.trainings.versionArns().slice(2);
  expect(retrained.filter((arn) => arn.startsWith(SEGMENTS_SOLUTION)).map((arn) => personalize.trainings.wasStopped(arn))).toEqual([true]);
  // The stack names what it named before the update: the old models, the old jobs' output.
  expect(shipped.deployment.stackOutputs()).toEqual(before);
  expect(work().segmentJobs + work().inferenceJobs).toBe(2);
});

it('rolls back an update whose new data makes a worse model: no training in the rollback, the old data imported again, and nothing to redo after', async () => {
  personalize.trainings.addSolution(RECOMMENDATIONS_SOLUTION, { activeAfterSeconds: 600 });
  expect((await shipped.deployment.deployStack(order)).failed).toBeUndefined();
  const [interactions] = DATASETS;
  const original = personalize.imports.dataHeldBy(interactions)!;
  const before = shipped.deployment.stackOutputs();
  personalize.trainings.addSolution(RECOMMENDATIONS_SOLUTION, { metrics: { normalized_discounted_cumulative_gain_at_10: 0.12 } });
  const updateStartedAt = Date.now();

  const update = await shipped.deployment.redeployStack(changed.outdir, 'Local', order);

  expect(update.failed?.response.Reason).toContain('normalized_discounted_cumulative_gain_at_10 is 0.12');
  expect(update.rolledBack.every((answer) => answer.response.Status === 'SUCCESS')).toBe(true);
  // The interactions import kept its id: the rollback's reverse Update imported the old file again, after the new import ended.
  const reimport = personalize.imports.dataHeldBy(interactions)!;
  expect([original, undefined]).not.toContain(reimport);
  expect(personalize.imports.requestOf(reimport)!.dataSource).toEqual(personalize.imports.requestOf(original)!.dataSource);
  const newData = personalize.imports.importArns().find((arn) => ![original, reimport].includes(arn) && personalize.imports.requestOf(arn)!.datasetArn === interactions)!;
  expect(personalize.imports.requestOf(newData)!.dataSource).not.toEqual(personalize.imports.requestOf(original)!.dataSource);
  const rolledBackAt = updateStartedAt + update.elapsedSeconds * 1000;
  expect(personalize.callsTo('CreateSolutionVersion').filter((call) => call.at >= updateStartedAt && call.at < rolledBackAt && call.error === undefined)).toHaveLength(2);
  expect(personalize.callsTo('CreateSolutionVersion').filter((call) => call.at >= rolledBackAt)).toHaveLength(0);
  expect(personalize.callsTo('CreateDatasetImportJob').filter((call) => call.at >= rolledBackAt && call.error === undefined)).toHaveLength(1);
  expect(shipped.deployment.stackOutputs()).toEqual(before);

  // The stack is back where it was: deploying the shipped data again changes nothing, and trains nothing.
  personalize.resetCallsAndFaults();
  const again = await shipped.deployment.redeployStack(shipped.outdir, 'Local', order);
  expect(again.updated.size).toBe(0);
  expect(personalize.calls).toHaveLength(0);
});

it.each([
  ['had ended', 3600],
  ['was cancelled while it ran', 6900],
])('names the output of the job it names after a rolled-back update whose new segment job %s', async (what, segmentsTrainingSeconds) => {
  personalize.trainings.addSolution(SEGMENTS_SOLUTION, { activeAfterSeconds: 600 });
  personalize.trainings.addSolution(RECOMMENDATIONS_SOLUTION, { activeAfterSeconds: 600 });
  expect((await shipped.deployment.deployStack(order)).failed).toBeUndefined();
  const before = shipped.deployment.stackOutputs();
  const [oldJob] = personalize.jobArns().filter((arn) => arn.includes(':batch-segment-job/'));
  expect(personalize.outputWriterOf(before.SegmentsPath)).toBe(oldJob);
  // New data: the segments model retrains in time for its job to start; the recommendations model fails its gate later.
  personalize.trainings.addSolution(SEGMENTS_SOLUTION, {
    timeline: [{ afterSeconds: 0, status: 'CREATE IN_PROGRESS' }, { afterSeconds: segmentsTrainingSeconds, status: 'ACTIVE' }],
  });
  personalize.trainings.addSolution(RECOMMENDATIONS_SOLUTION, { metrics: { normalized_discounted_cumulative_gain_at_10: 0.12 } });

  const update = await shipped.deployment.redeployStack(changed.outdir, 'Local', order);

  expect(update.failed?.response.LogicalResourceId).toMatch(/^RecommendationsModel/);
  const segmentsStep = (id: string) => id.startsWith('Segments') && !id.startsWith('SegmentsModel');
  expect(update.cancelled.some(segmentsStep)).toBe(what === 'was cancelled while it ran');
  const [, newJob] = personalize.jobArns().filter((arn) => arn.includes(':batch-segment-job/'));
  expect(newJob).toBeDefined();
  // Every job has ended by now, the new one included: the output the stack names is still its own job's.
  expect(personalize.statusOf(newJob)).toBe('ACTIVE');
  expect(shipped.deployment.stackOutputs().SegmentsPath).toBe(before.SegmentsPath);
  expect(personalize.outputWriterOf(before.SegmentsPath)).toBe(oldJob);
  expect(personalize.outputWriterOf(personalize.jobOf(newJob)!.outputPath!)).toBe(newJob);
});

describe('a retry after a failed batch job', () => {
  async function failOnBadInput(): Promise<{ versions: string[]; inputPath: string }> {
    personalize.trainings.addSolution(RECOMMENDATIONS_SOLUTION, { activeAfterSeconds: 600 });
    const recommendationsJob = shipped.deployment.chainOf('Recommendations', 'Custom::PersonalizeBatchInferenceJob')[0];
    const inputPath = String(shipped.deployment.requestPropertiesOf(recommendationsJob).Job.InputPath);
    personalize.setInputMalformed(inputPath, true);
    const failed = await shipped.deployment.deployStack(order);
    expect(failed.failed?.response.LogicalResourceId).toBe(recommendationsJob);
    expect(failed.failed?.response.Reason).toContain('Invalid input data');
    expect(work()).toEqual({ imports: 2, trainings: 2, segmentJobs: 1, inferenceJobs: 1 });
    // The user fixes the input; the stack forgot what the failed deployment made.
    personalize.setInputMalformed(inputPath, false);
    shipped.undeploy();
    personalize.resetCallsAndFaults();
    return { versions: personalize.trainings.versionArns(), inputPath };
  }

  it('runs 0 imports, 0 trainings and the jobs, on the versions trained before, and says it reused them', async () => {
    const { versions } = await failOnBadInput();

    const retry = await shipped.deployment.deployStack(order);

    expect(retry.failed).toBeUndefined();
    expect(work()).toEqual({ imports: 2, trainings: 2, segmentJobs: 2, inferenceJobs: 2 });
    expect(personalize.callsTo('CreateDatasetImportJob')).toHaveLength(0);
    expect(personalize.callsTo('CreateSolutionVersion')).toHaveLength(0);
    const results = resultsOf(retry.created);
    expect(personalize.callsTo('CreateBatchInferenceJob')[0].body.solutionVersionArn).toBe(results.get('RecommendationsModel')!.SolutionVersionArn);
    expect(versions).toContain(results.get('RecommendationsModel')!.SolutionVersionArn);
    const firstLinkAnswers = retry.created.filter((answer) => PIPELINE_STEPS.some(([id, type]) => shipped.deployment.chainOf(id, type)[0] === answer.response.LogicalResourceId));
    const reused = Object.fromEntries(firstLinkAnswers.map((answer) => [answer.response.LogicalResourceId.replace(/[0-9A-F]{8}$/, ''), answer.response.Data?.Reused]));
    expect(reused).toEqual({ ImportInteractions: 'true', ImportItems: 'true', SegmentsModel: 'true', RecommendationsModel: 'true', Segments: undefined, Recommendations: undefined });
    // The retry takes the jobs' time, not the trainings'.
    expect(retry.elapsedSeconds).toBeLessThan(3600);
  });

  it('imports and trains anew when the data changed in between', async () => {
    await failOnBadInput();

    const retry = await changed.deployment.deployStack(order);

    expect(retry.failed).toBeUndefined();
    expect(personalize.callsTo('CreateDatasetImportJob').filter((call) => call.error === undefined)).toHaveLength(1);
    expect(personalize.callsTo('CreateSolutionVersion').filter((call) => call.error === undefined)).toHaveLength(2);
  });
});

it('turns automatic training off only once a late solution is ACTIVE, then trains: the switch waits instead of failing', async () => {
  const activeAfterSeconds = 3600;
  personalize.trainings.addSolution(RECOMMENDATIONS_SOLUTION, { activeAfterSeconds });
  const addedAt = Date.now();

  const { failed } = await shipped.deployment.deployStack(order);

  expect(failed).toBeUndefined();
  expect(personalize.trainings.trainsAutomatically(RECOMMENDATIONS_SOLUTION)).toBe(false);
  const updates = personalize.callsTo('UpdateSolution').filter((call) => call.body.solutionArn === RECOMMENDATIONS_SOLUTION);
  expect(updates.filter((call) => call.error === undefined)).toHaveLength(1);
  const [turnedOff] = updates.filter((call) => call.error === undefined);
  expect(turnedOff.at).toBeGreaterThanOrEqual(addedAt + activeAfterSeconds * 1000);
  expect(updates.filter((call) => call.error !== undefined).every((call) => call.error === 'ResourceInUseException' && call.at < turnedOff.at)).toBe(true);
  const [trained] = personalize.callsTo('CreateSolutionVersion').filter((call) => call.error === undefined && call.body.solutionArn === RECOMMENDATIONS_SOLUTION);
  // The update runs UPDATE_SECONDS on the local endpoint, and the training waits for its end.
  expect(trained.at).toBeGreaterThanOrEqual(turnedOff.at + UPDATE_SECONDS * 1000);
  expect(work()).toEqual({ imports: 2, trainings: 2, segmentJobs: 1, inferenceJobs: 1 });
});

it('stops the recommendations model still training when the segments model\'s training fails', async () => {
  personalize.trainings.addSolution(SEGMENTS_SOLUTION, { activeAfterSeconds: 600, timeline: [{ afterSeconds: 0, status: 'CREATE PENDING' }, { afterSeconds: 1800, status: 'CREATE FAILED' }] });
  personalize.trainings.addSolution(RECOMMENDATIONS_SOLUTION, { timeline: TRAINING_OF_THREE_HOURS });

  const { failed, cancelled, rolledBack } = await shipped.deployment.deployStack(order);

  expect(failed?.response.LogicalResourceId).toMatch(/^SegmentsModel/);
  expect(cancelled.some((id) => id.startsWith('RecommendationsModel'))).toBe(true);
  expect(rolledBack.every((deletion) => deletion.response.Status === 'SUCCESS')).toBe(true);
  const [recommendationsVersion] = personalize.trainings.versionArns().filter((arn) => arn.startsWith(RECOMMENDATIONS_SOLUTION));
  expect(personalize.trainings.wasStopped(recommendationsVersion)).toBe(true);
  expect(runningTrainings()).toEqual([]);
});

it('grants its handlers and job roles nothing that no call of this file used', () => expectEveryGrantUsed(iam));
