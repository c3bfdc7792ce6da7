import { CfnOutput, Duration, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import {
  BatchInferenceJob,
  BatchInferenceJobWaiter,
  BatchSegmentJob,
  BatchSegmentJobWaiter,
  DatasetImportJob,
  DatasetImportJobWaiter,
  DatasetImportSource,
  SolutionVersion,
  SolutionVersionWaiter,
} from '../../lib';
import { ownerHash } from '../../lambda/engine/job-name';
import type { LocalPersonalize } from '../../local/personalize-endpoint';
import { SynthesizedStack, useLocalPersonalize } from '../support/local-stack';

/*
 * End to end, with IAM deciding every call: an update that moves a construct to another resource
 * (another solution, a batch job on another solution's version, an import into another dataset,
 * a waiter on another job), so that the handlers' policy names only the new one. CloudFormation
 * updates the policy before the resources that use it and rolls it back after them (facts.md,
 * "Rollback goes in reverse dependency order"), so the rollback and the cleanup run under the
 * update's policy, as the local deployment runs them. Each move in each of three outcomes: the
 * update cancelled while the work runs and rolled back, the update succeeded and the old id
 * cleaned up, and the update succeeded and then rolled back after another resource failed.
 * Which grants are used at all is measured by the files of each kind (their last test); this one
 * adopts nothing, so the grants of the definition tags go unused here.
 */

const ACCOUNT = 'arn:aws:personalize:us-east-1:111122223333';
const STACK_ID = 'arn:aws:cloudformation:us-east-1:111122223333:stack/Local/8d3e4b60-0000-0000-0000-000000000000';
const TRAINING_TYPE = 'Custom::PersonalizeSolutionVersion';
const TWO_HOURS = [
  { afterSeconds: 0, status: 'CREATE PENDING' },
  { afterSeconds: 300, status: 'CREATE IN_PROGRESS' },
  { afterSeconds: 7200, status: 'ACTIVE' },
];
const TEN_MINUTES = [
  { afterSeconds: 0, status: 'CREATE IN_PROGRESS' },
  { afterSeconds: 600, status: 'ACTIVE' },
];

type Outcome = 'cancelled and rolled back' | 'succeeded and cleaned up' | 'succeeded, then rolled back';
const OUTCOMES: readonly Outcome[] = ['cancelled and rolled back', 'succeeded and cleaned up', 'succeeded, then rolled back'];

interface Move {
  /** What the construct names before the update, and after it. */
  readonly before: string;
  readonly after: string;
  /** Declares the construct `Moved` on `target`; answers what the stack output `Named` reads. */
  readonly construct: (stack: Stack, target: string) => { readonly named: string; readonly construct: import('constructs').IConstruct };
  readonly resourceType: string;
  /** What the local endpoint has before the stack is deployed; answers the targets where the endpoint chooses their ARNs. */
  readonly world: (personalize: LocalPersonalize) => { readonly before: string; readonly after: string } | void;
  /** The calls that start work, which the rollback and the cleanup must not make. */
  readonly startingCalls: readonly string[];
}

const versionOf = (solution: string) => `${ACCOUNT}:solution/${solution}/1a2b3c4d`;
const bucketOf = (stack: Stack) => (stack.node.tryFindChild('Data') as s3.Bucket | undefined) ?? new s3.Bucket(stack, 'Data');

const MOVES: Record<string, Move> = {
  'a training moved to another solution': {
    before: `${ACCOUNT}:solution/promo`,
    after: `${ACCOUNT}:solution/promo-v2`,
    construct: (stack, solutionArn) => {
      const model = new SolutionVersion(stack, 'Moved', { solutionArn, namePrefix: 'model', timeout: Duration.hours(3) });
      return { named: model.solutionArn, construct: model };
    },
    resourceType: TRAINING_TYPE,
    world: (personalize) => {
      personalize.trainings.addSolution(`${ACCOUNT}:solution/promo`, { timeline: TWO_HOURS });
      personalize.trainings.addSolution(`${ACCOUNT}:solution/promo-v2`, { timeline: TWO_HOURS });
    },
    startingCalls: ['CreateSolutionVersion'],
  },
  'a batch segment job moved to another solution\'s version': {
    before: versionOf('promo'),
    after: versionOf('promo-v2'),
    construct: (stack, solutionVersionArn) => {
      const bucket = bucketOf(stack);
      const job = new BatchSegmentJob(stack, 'Moved', { solutionVersionArn, input: { bucket, key: 'in/users.json' }, output: { bucket, prefix: 'out/' }, jobNamePrefix: 'segments' });
      return { named: job.solutionVersionArn, construct: job };
    },
    resourceType: 'Custom::PersonalizeBatchSegmentJob',
    world: (personalize) => [versionOf('promo'), versionOf('promo-v2')].forEach((arn) => personalize.addSolutionVersion(arn)),
    startingCalls: ['CreateBatchSegmentJob'],
  },
  'a batch inference job moved to another solution\'s version': {
    before: versionOf('promo'),
    after: versionOf('promo-v2'),
    construct: (stack, solutionVersionArn) => {
      const bucket = bucketOf(stack);
      const job = new BatchInferenceJob(stack, 'Moved', { solutionVersionArn, input: { bucket, key: 'in/users.json' }, output: { bucket, prefix: 'out/' }, jobNamePrefix: 'nightly' });
      return { named: job.solutionVersionArn, construct: job };
    },
    resourceType: 'Custom::PersonalizeBatchInferenceJob',
    world: (personalize) => [versionOf('promo'), versionOf('promo-v2')].forEach((arn) => personalize.addSolutionVersion(arn)),
    startingCalls: ['CreateBatchInferenceJob'],
  },
  'an import moved to another dataset': {
    before: `${ACCOUNT}:dataset/promo/INTERACTIONS`,
    after: `${ACCOUNT}:dataset/promo-v2/INTERACTIONS`,
    construct: (stack, datasetArn) => {
      const imported = new DatasetImportJob(stack, 'Moved', { datasetArn, source: DatasetImportSource.fromBucket(bucketOf(stack), 'interactions.csv'), jobNamePrefix: 'interactions' });
      return { named: imported.datasetArn, construct: imported };
    },
    resourceType: 'Custom::PersonalizeDatasetImportJob',
    world: (personalize) => [`${ACCOUNT}:dataset/promo/INTERACTIONS`, `${ACCOUNT}:dataset/promo-v2/INTERACTIONS`].forEach((arn) => personalize.imports.addDataset(arn, { activeAfterSeconds: 600 })),
    startingCalls: ['CreateDatasetImportJob'],
  },
  'a batch segment job waiter moved to another job': {
    before: `${ACCOUNT}:batch-segment-job/monday`,
    after: `${ACCOUNT}:batch-segment-job/tuesday`,
    construct: (stack, batchSegmentJobArn) => {
      const waiter = new BatchSegmentJobWaiter(stack, 'Moved', { batchSegmentJobArn });
      return { named: waiter.batchSegmentJobArn, construct: waiter };
    },
    resourceType: 'Custom::PersonalizeBatchSegmentJobWaiter',
    world: (personalize) => ['monday', 'tuesday'].forEach((name) => personalize.addJob({ batchSegmentJobArn: `${ACCOUNT}:batch-segment-job/${name}`, timeline: TEN_MINUTES })),
    startingCalls: [],
  },
  'a batch inference job waiter moved to another job': {
    before: `${ACCOUNT}:batch-inference-job/monday`,
    after: `${ACCOUNT}:batch-inference-job/tuesday`,
    construct: (stack, batchInferenceJobArn) => {
      const waiter = new BatchInferenceJobWaiter(stack, 'Moved', { batchInferenceJobArn });
      return { named: waiter.batchInferenceJobArn, construct: waiter };
    },
    resourceType: 'Custom::PersonalizeBatchInferenceJobWaiter',
    world: (personalize) => ['monday', 'tuesday'].forEach((name) => personalize.addJob({ batchInferenceJobArn: `${ACCOUNT}:batch-inference-job/${name}`, timeline: TEN_MINUTES })),
    startingCalls: [],
  },
  'a solution version waiter moved to a version of another solution': {
    before: versionOf('promo'),
    after: versionOf('promo-v2'),
    construct: (stack, solutionVersionArn) => {
      const waiter = new SolutionVersionWaiter(stack, 'Moved', { solutionVersionArn, pollInterval: Duration.minutes(1) });
      return { named: waiter.solutionVersionArn, construct: waiter };
    },
    resourceType: 'Custom::PersonalizeSolutionVersionWaiter',
    world: (personalize) => {
      const [before, after] = ['promo', 'promo-v2'].map((solution) => {
        personalize.trainings.addSolution(`${ACCOUNT}:solution/${solution}`, { timeline: TWO_HOURS, metrics: { coverage: 0.3 } });
        return personalize.trainings.startTraining(`${ACCOUNT}:solution/${solution}`, `by-hand-${solution}`);
      });
      return { before, after };
    },
    startingCalls: [],
  },
  'a dataset import job waiter moved to another import': {
    before: `${ACCOUNT}:dataset-import-job/monday`,
    after: `${ACCOUNT}:dataset-import-job/tuesday`,
    construct: (stack, datasetImportJobArn) => {
      const waiter = new DatasetImportJobWaiter(stack, 'Moved', { datasetImportJobArn });
      return { named: waiter.datasetImportJobArn, construct: waiter };
    },
    resourceType: 'Custom::PersonalizeDatasetImportJobWaiter',
    world: (personalize) => {
      personalize.imports.addDataset(`${ACCOUNT}:dataset/promo/INTERACTIONS`);
      ['monday', 'tuesday'].forEach((name) => personalize.imports.addImport(`${ACCOUNT}:dataset-import-job/${name}`, `${ACCOUNT}:dataset/promo/INTERACTIONS`, TEN_MINUTES));
    },
    startingCalls: [],
  },
};

/** The stack: the construct on `target`; for an outcome that fails, a waiter on a job that does not exist, at once or after the construct. */
function app(move: Move, target: string, outcome?: Outcome): (stack: Stack) => void {
  return (stack) => {
    const { named, construct } = move.construct(stack, target);
    new CfnOutput(stack, 'Named', { value: named });
    if (outcome !== undefined && outcome !== 'succeeded and cleaned up') {
      const broken = new BatchSegmentJobWaiter(stack, 'Broken', { batchSegmentJobArn: `${ACCOUNT}:batch-segment-job/missing` });
      if (outcome === 'succeeded, then rolled back') {
        broken.node.addDependency(construct);
      }
    }
  };
}

const { personalize, iam } = useLocalPersonalize();
const synthesized: SynthesizedStack[] = [];
afterAll(() => synthesized.forEach((stack) => stack.dispose()));

beforeEach(() => {
  personalize.removeJobs();
  personalize.trainings.removeAll();
  personalize.imports.removeAll();
});

function runningTrainings(): string[] {
  return personalize.trainings.versionArns().filter((arn) => ['CREATE PENDING', 'CREATE IN_PROGRESS'].includes(personalize.trainings.statusOf(arn)!));
}

describe.each(Object.entries(MOVES))('%s', (_, scripted) => {
  it.each(OUTCOMES)('%s: no call refused, and the stack names what it should', async (outcome) => {
    const move = { ...scripted, ...(scripted.world(personalize) ?? {}) };
    const before = new SynthesizedStack(app(move, move.before));
    const after = new SynthesizedStack(app(move, move.after, outcome));
    synthesized.push(before, after);
    const ids = before.deployment.chainOf('Moved', move.resourceType);
    expect((await before.deployment.deployStack(ids)).failed).toBeUndefined();
    personalize.resetCallsAndFaults();
    iam.forgetDecisions();

    const order = [...new Set([...ids, ...after.deployment.logicalIdsOf('Custom::PersonalizeBatchSegmentJobWaiter')])];
    const update = await before.deployment.redeployStack(after.outdir, 'Local', order);

    expect(iam.refusals()).toEqual([]);
    expect([...update.rolledBack, ...update.cleanedUp].map((answer) => [answer.response.LogicalResourceId, answer.response.Status, answer.response.Reason])).toEqual(
      [...update.rolledBack, ...update.cleanedUp].map((answer) => [answer.response.LogicalResourceId, 'SUCCESS', 'SUCCESS']),
    );
    // Every request of the rollback or cleanup answers within a poll or two: none waited out a refusal.
    expect([...update.rolledBack, ...update.cleanedUp].every((answer) => answer.elapsedSeconds <= 60)).toBe(true);
    if (outcome === 'succeeded and cleaned up') {
      expect(update.failed).toBeUndefined();
      expect(update.cleanedUp.length).toBeGreaterThanOrEqual(move.startingCalls.length > 0 && move.resourceType !== 'Custom::PersonalizeDatasetImportJob' ? ids.length : 0);
      expect(before.deployment.stackOutputs().Named).toBe(move.after);
    } else {
      expect(update.failed?.response.LogicalResourceId).toMatch(/^Broken/);
      expect(update.cancelled).toEqual(outcome === 'cancelled and rolled back' ? [ids[0]] : []);
      expect(update.rolledBack.length).toBeGreaterThan(1);
      expect(before.deployment.stackOutputs().Named).toBe(move.before);
    }
    // The update started its work once; what rolls back or cleans up starts nothing again.
    const rollbackStarted = move.startingCalls.flatMap((operation) => personalize.callsTo(operation)).filter((call) => call.fault === undefined);
    expect(rollbackStarted).toHaveLength(move.startingCalls.length);
    expect(runningTrainings().filter((arn) => ![move.before, move.after].includes(arn))).toEqual([]);
  });
});

it('a cleanup after a move stops a training of the old solution that the resource left running, and no other', async () => {
  const move = MOVES['a training moved to another solution'];
  move.world(personalize);
  const before = new SynthesizedStack(app(move, move.before));
  const after = new SynthesizedStack(app(move, move.after));
  synthesized.push(before, after);
  const ids = before.deployment.chainOf('Moved', TRAINING_TYPE);
  expect((await before.deployment.deployStack(ids)).failed).toBeUndefined();
  // A retraining of the old solution that an earlier, interrupted deployment of this resource left running, and one by hand.
  const leftOver = personalize.trainings.startTraining(move.before, `model-${ownerHash(STACK_ID, ids[0])}abcdef`);
  const byHand = personalize.trainings.startTraining(move.before, 'model-by-hand');
  iam.forgetDecisions();

  const update = await before.deployment.redeployStack(after.outdir, 'Local', ids);

  expect(update.failed).toBeUndefined();
  expect(iam.refusals()).toEqual([]);
  expect(personalize.trainings.wasStopped(leftOver)).toBe(true);
  expect(personalize.trainings.wasStopped(byHand)).toBe(false);
  expect(runningTrainings()).toEqual([]);
});
