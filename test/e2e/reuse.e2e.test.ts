import { Duration } from 'aws-cdk-lib';
import * as personalizeL1 from 'aws-cdk-lib/aws-personalize';
import { SolutionVersion, SolutionVersionProps } from '../../lib';
import { expectEveryGrantUsed, SynthesizedStack, useLocalPersonalize } from '../support/local-stack';

/*
 * End to end: a training a deployment adopts instead of training again (reuseWithin), through the
 * provider framework's code on the local endpoint. Each test trains once, forgets the stack (as a
 * rollback of a failed deployment does), and deploys again.
 */

const SOLUTION_ARN = 'arn:aws:personalize:us-east-1:111122223333:solution/promo';
const TRAINING_TYPE = 'Custom::PersonalizeSolutionVersion';

const { personalize, logs, iam } = useLocalPersonalize();
const stacks: SynthesizedStack[] = [];

function trainingStack(props: Partial<SolutionVersionProps> = {}): { stack: SynthesizedStack; training: string[] } {
  const stack = new SynthesizedStack((s) => {
    const solution = new personalizeL1.CfnSolution(s, 'Solution', {
      name: 'promo',
      datasetGroupArn: 'arn:aws:personalize:us-east-1:111122223333:dataset-group/promo',
      recipeArn: 'arn:aws:personalize:::recipe/aws-item-affinity',
    });
    new SolutionVersion(s, 'Model', { solutionArn: solution.attrSolutionArn, namePrefix: 'model', minimumMetrics: { precision_at_5: 0.05 }, timeout: Duration.hours(3), ...props });
  });
  stacks.push(stack);
  return { stack, training: stack.deployment.chainOf('Model', TRAINING_TYPE) };
}

let defaults: ReturnType<typeof trainingStack>;
let reuseOff: ReturnType<typeof trainingStack>;

beforeAll(() => {
  defaults = trainingStack();
  reuseOff = trainingStack({ reuseWithin: Duration.seconds(0) });
});

afterAll(() => stacks.forEach((stack) => stack.dispose()));

beforeEach(() => {
  personalize.trainings.removeAll();
  personalize.trainings.addSolution(SOLUTION_ARN);
  defaults.stack.undeploy();
  reuseOff.stack.undeploy();
});

const successfulTrainings = () => personalize.callsTo('CreateSolutionVersion').filter((call) => call.error === undefined).length;

/** Trains once with the default window, then forgets the stack, as the rollback of a failed deployment does. */
async function trainedBefore(): Promise<string> {
  const first = await defaults.stack.deployment.deployStack(defaults.training);
  expect(first.failed).toBeUndefined();
  defaults.stack.undeploy();
  personalize.resetCallsAndFaults();
  return first.created[first.created.length - 1].response.Data!.SolutionVersionArn;
}

it('adopts the version trained before from the same definition: no training, its attributes, Reused "true", and a log line naming it and its age', async () => {
  const version = await trainedBefore();
  jest.setSystemTime(Date.now() + 3600 * 1000);

  const retry = await defaults.stack.deployment.deployStack(defaults.training);

  expect(retry.failed).toBeUndefined();
  expect(successfulTrainings()).toBe(0);
  const last = retry.created[retry.created.length - 1].response;
  expect(last.Data).toMatchObject({ SolutionVersionArn: version, Status: 'ACTIVE' });
  expect(retry.created[0].response.Data?.Reused).toBe('true');
  expect(retry.created[0].elapsedSeconds).toBe(0);
  expect(logs.lines).toContainEqual(
    expect.objectContaining({ message: expect.stringMatching(/^Reusing solution version model-[0-9a-f]{12}, made from the same definition 3h( \d+m)? ago$/), adopted: expect.stringContaining(SOLUTION_ARN) }),
  );
});

it('trains anew with reuse off, and says it did not reuse', async () => {
  await trainedBefore();

  const retry = await reuseOff.stack.deployment.deployStack(reuseOff.training);

  expect(retry.failed).toBeUndefined();
  expect(successfulTrainings()).toBe(1);
  expect(retry.created[0].response.Data?.Reused).toBe('false');
});

it('trains anew when the version trained before is older than the window', async () => {
  await trainedBefore();
  jest.setSystemTime(Date.now() + 25 * 3600 * 1000);

  const retry = await defaults.stack.deployment.deployStack(defaults.training);

  expect(retry.failed).toBeUndefined();
  expect(successfulTrainings()).toBe(1);
});

it('never adopts a version trained by hand or by automatic training, nor one that failed or was stopped', async () => {
  const now = Date.now();
  personalize.trainings.addVersion(SOLUTION_ARN, { name: 'by-hand', createdAt: now });
  personalize.trainings.addVersion(SOLUTION_ARN, { name: 'promo-auto', createdAt: now, trainingType: 'AUTOMATIC' });
  const version = await trainedBefore();
  const definition = personalize.trainings.tagsOf(version)!;
  personalize.trainings.addVersion(SOLUTION_ARN, { name: 'model-failed', createdAt: Date.now(), tags: definition, status: 'CREATE FAILED' });
  personalize.trainings.addVersion(SOLUTION_ARN, { name: 'model-stopped', createdAt: Date.now(), tags: definition, status: 'CREATE STOPPED' });
  jest.setSystemTime(Date.now() + 60 * 1000);

  const retry = await defaults.stack.deployment.deployStack(defaults.training);

  expect(successfulTrainings()).toBe(0);
  expect(retry.created[retry.created.length - 1].response.Data?.SolutionVersionArn).toBe(version);

  // With only the versions made by hand or by automatic training, it trains.
  personalize.trainings.removeAll();
  personalize.trainings.addSolution(SOLUTION_ARN);
  personalize.trainings.addVersion(SOLUTION_ARN, { name: 'by-hand', createdAt: Date.now() });
  personalize.trainings.addVersion(SOLUTION_ARN, { name: 'promo-auto', createdAt: Date.now(), trainingType: 'AUTOMATIC' });
  defaults.stack.undeploy();
  personalize.resetCallsAndFaults();
  expect((await defaults.stack.deployment.deployStack(defaults.training)).failed).toBeUndefined();
  expect(successfulTrainings()).toBe(1);
});

it('fails at once with the gate\'s message when the adopted version is below the gate, without training for two more hours', async () => {
  personalize.trainings.addSolution(SOLUTION_ARN, { metrics: { precision_at_5: 0.01 } });
  const first = await defaults.stack.deployment.deployStack(defaults.training);
  expect(first.failed?.response.Reason).toContain('precision_at_5 is 0.01, below its minimum of 0.05');
  defaults.stack.undeploy();
  personalize.resetCallsAndFaults();

  const retry = await defaults.stack.deployment.deployStack(defaults.training);

  expect(retry.failed?.response.Reason).toContain('precision_at_5 is 0.01, below its minimum of 0.05');
  expect(retry.elapsedSeconds).toBe(0);
  expect(successfulTrainings()).toBe(0);
});

it('stops the training a deployment started when nothing was there to adopt and the stack is deleted mid-training', async () => {
  personalize.trainings.removeAll();
  personalize.trainings.addSolution(SOLUTION_ARN, { timeline: [{ afterSeconds: 0, status: 'CREATE IN_PROGRESS' }, { afterSeconds: 2 * 3600, status: 'ACTIVE' }] });

  const link = await defaults.stack.deployment.deploy({ requestType: 'Create', logicalId: defaults.training[0] });
  const deletion = await defaults.stack.deployment.deploy({ requestType: 'Delete', logicalId: defaults.training[0], physicalResourceId: link.response.PhysicalResourceId });

  expect(link.response.Data?.Reused).toBe('false');
  expect(deletion.response.Status).toBe('SUCCESS');
  expect(personalize.callsTo('StopSolutionVersionCreation')).toHaveLength(1);
  expect(personalize.trainings.wasStopped(personalize.trainings.versionArns()[0])).toBe(true);
});

it('grants its handlers and job roles nothing that no call of this file used', () => expectEveryGrantUsed(iam));
