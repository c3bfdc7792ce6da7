import * as fs from 'fs';
import * as path from 'path';
import { PIPELINE_STEPS, PipelineStack } from '../../bin/pipeline-stack';
import { expectEveryGrantUsed, SynthesizedStack, useLocalPersonalize } from '../support/local-stack';

/*
 * End to end: the regulated example (bin/pipeline-stack.ts with `regulated: true`: the library's
 * functions in a VPC without internet access, traced, logging to encrypted log groups, with
 * concurrency reserved), deployed through the provider framework's own code on the local endpoint,
 * with IAM deciding every call and every write Lambda makes with the functions' roles (their traces
 * included). The VPC itself is not emulated: that each function is placed in it is read from the
 * template here and checked setting by setting in test/handler-settings.test.ts.
 */

const ACCOUNT = 'arn:aws:personalize:us-east-1:111122223333';
const DATASETS = [`${ACCOUNT}:dataset/promo-pipeline/INTERACTIONS`, `${ACCOUNT}:dataset/promo-pipeline/ITEMS`];
const SEGMENTS_SOLUTION = `${ACCOUNT}:solution/promo-pipeline-item-affinity`;
const RECOMMENDATIONS_SOLUTION = `${ACCOUNT}:solution/promo-pipeline-user-personalization-v2`;
const TRAINING_OF_THREE_HOURS = [
  { afterSeconds: 0, status: 'CREATE PENDING' },
  { afterSeconds: 300, status: 'CREATE IN_PROGRESS' },
  { afterSeconds: 3 * 3600, status: 'ACTIVE' },
];

const { personalize, iam } = useLocalPersonalize();
let regulated: SynthesizedStack;
let order: string[];

beforeAll(() => {
  regulated = new SynthesizedStack({ stack: (app, id) => new PipelineStack(app, id, { regulated: true }) });
  order = PIPELINE_STEPS.flatMap(([id, type]) => regulated.deployment.chainOf(id, type));
});

afterAll(() => regulated.dispose());

beforeEach(() => {
  regulated.undeploy();
  personalize.imports.removeAll();
  personalize.trainings.removeAll();
  personalize.removeJobs();
  DATASETS.forEach((arn) => personalize.imports.addDataset(arn, { activeAfterSeconds: 300 }));
});

const work = () => ({
  imports: personalize.imports.importArns().length,
  trainings: personalize.trainings.versionArns().length,
  jobs: personalize.jobArns().length,
});

const stoppedTrainingsOf = (solution: string) => personalize.trainings.versionArns().filter((arn) => arn.startsWith(solution) && personalize.trainings.wasStopped(arn));

it("places every one of the stack's functions in the VPC and traces it", () => {
  const template = JSON.parse(fs.readFileSync(path.join(regulated.outdir, 'Local.template.json'), 'utf8'));
  const functions = Object.values(template.Resources as Record<string, { Type: string; Properties: { VpcConfig?: unknown; TracingConfig?: { Mode: string } } }>).filter(
    (resource) => resource.Type === 'AWS::Lambda::Function',
  );
  expect(functions).toHaveLength(9);
  expect(functions.map((fn) => [fn.Properties.VpcConfig !== undefined, fn.Properties.TracingConfig?.Mode])).toEqual(functions.map(() => [true, 'Active']));
});

it('imports, trains and runs both batch jobs as the plain pipeline does, and adopts that work on a retry, IAM allowing every call and trace write', async () => {
  personalize.trainings.addSolution(SEGMENTS_SOLUTION, { activeAfterSeconds: 600 });
  personalize.trainings.addSolution(RECOMMENDATIONS_SOLUTION, { activeAfterSeconds: 600 });

  const { created, failed } = await regulated.deployment.deployStack(order);

  expect(failed).toBeUndefined();
  expect(created.map(({ response }) => response.Status)).toEqual(order.map(() => 'SUCCESS'));
  expect(work()).toEqual({ imports: 2, trainings: 2, jobs: 2 });
  // Deployed anew, as a retry of a stack that forgot it: the imports and models are adopted by their tags.
  regulated.undeploy();
  personalize.resetCallsAndFaults();
  const retry = await regulated.deployment.deployStack(order);
  expect(retry.failed).toBeUndefined();
  expect(personalize.callsTo('ListTagsForResource').length).toBeGreaterThan(0);
  expect(work()).toEqual({ imports: 2, trainings: 2, jobs: 4 });
  expect(iam.refusals()).toEqual([]);
  const traceWrites = iam.decisions.filter((decision) => decision.action === 'xray:PutTraceSegments');
  expect(traceWrites.length).toBeGreaterThan(0);
  expect(traceWrites.every((decision) => decision.allowed)).toBe(true);
});

it('stops the segments model still training when the recommendations model fails its gate', async () => {
  personalize.trainings.addSolution(SEGMENTS_SOLUTION, { activeAfterSeconds: 600, timeline: TRAINING_OF_THREE_HOURS });
  personalize.trainings.addSolution(RECOMMENDATIONS_SOLUTION, { metrics: { normalized_discounted_cumulative_gain_at_10: 0.12 } });

  const { failed, rolledBack } = await regulated.deployment.deployStack(order);

  expect(failed?.response.Reason).toContain('normalized_discounted_cumulative_gain_at_10 is 0.12, below its minimum of 0.2');
  expect(rolledBack.every((deletion) => deletion.response.Status === 'SUCCESS')).toBe(true);
  expect(stoppedTrainingsOf(SEGMENTS_SOLUTION)).toHaveLength(1);
  expect(iam.refusals()).toEqual([]);
});

it("stops the recommendations model still training when the segments model's training fails", async () => {
  personalize.trainings.addSolution(SEGMENTS_SOLUTION, { activeAfterSeconds: 600, timeline: [{ afterSeconds: 0, status: 'CREATE PENDING' }, { afterSeconds: 1800, status: 'CREATE FAILED' }] });
  personalize.trainings.addSolution(RECOMMENDATIONS_SOLUTION, { timeline: TRAINING_OF_THREE_HOURS });

  const { failed, rolledBack } = await regulated.deployment.deployStack(order);

  expect(failed?.response.LogicalResourceId).toMatch(/^SegmentsModel/);
  expect(rolledBack.every((deletion) => deletion.response.Status === 'SUCCESS')).toBe(true);
  expect(stoppedTrainingsOf(RECOMMENDATIONS_SOLUTION)).toHaveLength(1);
  expect(iam.refusals()).toEqual([]);
});

it('grants its handlers and job roles nothing that no call of this file used', () => expectEveryGrantUsed(iam));
