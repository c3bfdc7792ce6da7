import {
  CreateBatchInferenceJobCommand,
  DescribeBatchInferenceJobCommand,
  DescribeBatchSegmentJobCommand,
  PersonalizeClient,
} from '@aws-sdk/client-personalize';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { handler as isComplete } from '../../lambda/engine/is-complete';
import { readInferenceJobDefinition } from '../../lambda/kinds/batch-inference-job/kind';
import { handler as onEvent } from '../../lambda/engine/on-event';
import { DATA_BUDGET_BYTES } from '../../lambda/engine/response-budget';
import { CapturedLogs } from '../support/captured-logs';
import { createEvent, jobDefinition, jobProperties, updateEvent, waiterProperties } from '../support/events';
import { sdkErrors } from '../support/sdk-errors';

const personalize = mockClient(PersonalizeClient);
const logs = new CapturedLogs();
const NOW = new Date('2026-11-28T10:00:00.000Z');
const INFERENCE_JOB_ARN = 'arn:aws:personalize:us-east-1:111122223333:batch-inference-job/nightly';
const WAITER_TYPE = 'Custom::PersonalizeBatchInferenceJobWaiter';
const JOB_TYPE = 'Custom::PersonalizeBatchInferenceJob';

function waiterEvent(properties = waiterProperties({ BatchSegmentJobArn: undefined, BatchInferenceJobArn: INFERENCE_JOB_ARN })): CloudFormationCustomResourceEvent {
  return { ...createEvent(properties), ResourceType: WAITER_TYPE };
}

function inferenceJob(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return jobDefinition({ NamePrefix: 'nightly', NumResults: '25', ...overrides });
}

function jobEvent(job = inferenceJob()): CloudFormationCustomResourceEvent {
  return { ...createEvent(jobProperties(job)), ResourceType: JOB_TYPE };
}

function poll(event: CloudFormationCustomResourceEvent, jobArn: string, elapsedSeconds: number) {
  jest.setSystemTime(NOW.getTime() + elapsedSeconds * 1000);
  return isComplete({ ...event, PhysicalResourceId: jobArn, WaitStartedAt: NOW.toISOString() });
}

const ACTIVE_JOB = {
  batchInferenceJobArn: INFERENCE_JOB_ARN,
  jobName: 'nightly',
  status: 'ACTIVE',
  numResults: 25,
  solutionVersionArn: 'arn:aws:personalize:us-east-1:111122223333:solution/promo/1a2b3c4d',
  jobInput: { s3DataSource: { path: 's3://promo-data/batch/users.json' } },
  jobOutput: { s3DataDestination: { path: 's3://promo-data/batch/out/' } },
  batchInferenceJobMode: 'THEME_GENERATION' as const,
  batchInferenceJobConfig: { itemExplorationConfig: { explorationWeight: '0.3' } },
  themeGenerationConfig: { fieldsForThemeGeneration: { itemName: 'TITLE' } },
};

beforeEach(() => {
  personalize.reset();
  jest.useFakeTimers({ now: NOW, doNotFake: ['setTimeout', 'setImmediate', 'nextTick', 'queueMicrotask'] });
  logs.start();
});

afterEach(() => {
  logs.stop();
  jest.useRealTimers();
});

describe('waiting for a batch inference job', () => {
  it('describes it with DescribeBatchInferenceJob, never the segment call, and answers its attributes with mode and configuration', async () => {
    personalize.on(DescribeBatchInferenceJobCommand).resolves({ batchInferenceJob: ACTIVE_JOB });

    await expect(onEvent(waiterEvent())).resolves.toMatchObject({ PhysicalResourceId: INFERENCE_JOB_ARN });
    const answer = await poll(waiterEvent(), INFERENCE_JOB_ARN, 30);

    expect(answer).toEqual({
      IsComplete: true,
      Data: expect.objectContaining({
        Status: 'ACTIVE',
        NumResults: '25',
        OutputPath: 's3://promo-data/batch/out/',
        BatchInferenceJobMode: 'THEME_GENERATION',
        BatchInferenceJobConfig: '{"itemExplorationConfig":{"explorationWeight":"0.3"}}',
        ThemeItemNameField: 'TITLE',
      }),
    });
    expect(personalize).toHaveReceivedCommandWith(DescribeBatchInferenceJobCommand, { batchInferenceJobArn: INFERENCE_JOB_ARN });
    expect(personalize).toHaveReceivedCommandTimes(DescribeBatchSegmentJobCommand, 0);
  });

  it('keeps the whole answer within CloudFormation\'s 4096 bytes when the configuration is as large as Personalize allows', async () => {
    const itemExplorationConfig = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`setting-${i}`.padEnd(256, 'k'), 'v'.repeat(1000)]));
    personalize.on(DescribeBatchInferenceJobCommand).resolves({ batchInferenceJob: { ...ACTIVE_JOB, batchInferenceJobConfig: { itemExplorationConfig } } });

    const answer = await poll(waiterEvent(), INFERENCE_JOB_ARN, 30);
    expect(Buffer.byteLength(JSON.stringify(answer.Data))).toBeLessThanOrEqual(DATA_BUDGET_BYTES);
    expect(answer.Data?.BatchInferenceJobConfig).toMatch(/^\{"itemExplorationConfig":\{"setting-0kkk.*…$/);
    expect(answer.Data).toMatchObject({ Status: 'ACTIVE', NumResults: '25', BatchInferenceJobMode: 'THEME_GENERATION' });
  });

  it('answers empty mode and configuration for a job described without them', async () => {
    personalize.on(DescribeBatchInferenceJobCommand).resolves({ batchInferenceJob: { status: 'ACTIVE' } });

    const answer = await poll(waiterEvent(), INFERENCE_JOB_ARN, 30);
    expect(answer.Data).toMatchObject({ BatchInferenceJobMode: '', BatchInferenceJobConfig: '', ThemeItemNameField: '' });
  });

  it('fails at once, naming the kind, when the job does not exist', async () => {
    personalize.on(DescribeBatchInferenceJobCommand).rejects(sdkErrors.notFound());

    await expect(onEvent(waiterEvent())).rejects.toThrow(`Batch inference job ${INFERENCE_JOB_ARN} does not exist in us-east-1`);
  });

  it('fails when the job ends CREATE FAILED, with the reason', async () => {
    personalize.on(DescribeBatchInferenceJobCommand).resolves({ batchInferenceJob: { status: 'CREATE FAILED', failureReason: 'No users in input' } });

    await expect(poll(waiterEvent(), INFERENCE_JOB_ARN, 30)).rejects.toThrow(
      `Batch inference job ${INFERENCE_JOB_ARN} ended CREATE FAILED. Fix the cause and point the waiter at a new job`,
    );
  });

  it('rejects a batch segment job ARN given as its ARN, naming its own property', async () => {
    const event = waiterEvent(waiterProperties({ BatchSegmentJobArn: undefined, BatchInferenceJobArn: 'arn:aws:personalize:us-east-1:111122223333:batch-segment-job/x' }));
    await expect(onEvent(event)).rejects.toThrow('The BatchInferenceJobArn property must be the ARN of an Amazon Personalize batch inference job');
    expect(personalize.calls()).toHaveLength(0);
  });
});

describe('creating a batch inference job', () => {
  it('creates the job it names with its configuration, mode, theme field and tags', async () => {
    personalize.on(DescribeBatchInferenceJobCommand).rejects(sdkErrors.notFound());
    personalize.on(CreateBatchInferenceJobCommand).resolves({});
    const job = inferenceJob({
      Mode: 'THEME_GENERATION',
      ThemeItemNameField: 'TITLE',
      ItemExplorationConfig: { explorationWeight: '0.3' },
      RankingInfluence: { POPULARITY: '0.5' },
      Tags: { team: 'growth' },
    });

    const { PhysicalResourceId: jobArn } = await onEvent(jobEvent(job));

    expect(jobArn).toMatch(/^arn:aws:personalize:us-east-1:111122223333:batch-inference-job\/nightly-[0-9a-f]{12}$/);
    expect(personalize).toHaveReceivedCommandWith(CreateBatchInferenceJobCommand, {
      jobName: jobArn.split('/')[1],
      numResults: 25,
      batchInferenceJobMode: 'THEME_GENERATION',
      themeGenerationConfig: { fieldsForThemeGeneration: { itemName: 'TITLE' } },
      batchInferenceJobConfig: { itemExplorationConfig: { explorationWeight: '0.3' }, rankingInfluence: { POPULARITY: 0.5 } },
      tags: [{ tagKey: 'team', tagValue: 'growth' }],
    });
  });

  it('sends no configuration, mode or themes when the job has none', async () => {
    personalize.on(DescribeBatchInferenceJobCommand).rejects(sdkErrors.notFound());
    personalize.on(CreateBatchInferenceJobCommand).resolves({});

    await onEvent(jobEvent());
    const [call] = personalize.commandCalls(CreateBatchInferenceJobCommand);
    expect(call.args[0].input).not.toHaveProperty('batchInferenceJobConfig', expect.anything());
    expect(call.args[0].input.batchInferenceJobMode).toBeUndefined();
    expect(call.args[0].input.themeGenerationConfig).toBeUndefined();
  });

  it('waits for a slot at the limit of five batch inference jobs, then says so at the timeout', async () => {
    personalize.on(DescribeBatchInferenceJobCommand).rejects(sdkErrors.notFound());
    personalize.on(CreateBatchInferenceJobCommand).rejects(sdkErrors.limitExceeded());
    const jobArn = 'arn:aws:personalize:us-east-1:111122223333:batch-inference-job/nightly-0123456789ab';

    await expect(poll(jobEvent(), jobArn, 30)).resolves.toEqual({ IsComplete: false });
    await expect(poll(jobEvent(), jobArn, 3600)).rejects.toThrow(
      "its last status was not created yet, because us-east-1 stayed at Personalize's limit of five pending or in-progress batch inference jobs",
    );
  });

  it('fails at once naming the solution version when Personalize cannot find it', async () => {
    personalize.on(DescribeBatchInferenceJobCommand).rejects(sdkErrors.notFound());
    personalize.on(CreateBatchInferenceJobCommand).rejects(sdkErrors.notFound());

    await expect(onEvent(jobEvent())).rejects.toThrow(/^Could not create batch inference job nightly-[0-9a-f]{12} in us-east-1\. Personalize could not find the solution version/);
  });

  describe('an Update', () => {
    const jobArn = 'arn:aws:personalize:us-east-1:111122223333:batch-inference-job/nightly-0123456789ab';
    const update = (job: Record<string, unknown>, oldJob: Record<string, unknown>): CloudFormationCustomResourceEvent => ({
      ...updateEvent(jobProperties(job), jobProperties(oldJob), jobArn),
      ResourceType: JOB_TYPE,
      RequestId: 'update-request',
    });
    const described = {
      ...ACTIVE_JOB,
      batchInferenceJobArn: jobArn,
      roleArn: jobDefinition().RoleArn as string,
      jobInput: { s3DataSource: { path: jobDefinition().InputPath as string } },
      jobOutput: { s3DataDestination: { path: `${jobDefinition().OutputPath as string}nightly-0123456789ab/` } },
      batchInferenceJobConfig: { itemExplorationConfig: { explorationWeight: '0.3' } },
    };
    const themed = { Mode: 'THEME_GENERATION', ThemeItemNameField: 'TITLE', ItemExplorationConfig: { explorationWeight: '0.3' } };

    it('keeps the job on a rollback that asks for the very job it points at', async () => {
      personalize.on(DescribeBatchInferenceJobCommand).resolves({ batchInferenceJob: described });

      await expect(onEvent(update(inferenceJob(themed), inferenceJob()))).resolves.toMatchObject({ PhysicalResourceId: jobArn });
      expect(personalize).toHaveReceivedCommandTimes(CreateBatchInferenceJobCommand, 0);
    });

    it('keeps a job described without configuration or themes when the job asks for none', async () => {
      const plain = { ...described, batchInferenceJobMode: undefined, batchInferenceJobConfig: undefined, themeGenerationConfig: undefined };
      personalize.on(DescribeBatchInferenceJobCommand).resolves({ batchInferenceJob: plain });

      await expect(onEvent(update(inferenceJob(), inferenceJob({ NumResults: '50' })))).resolves.toMatchObject({ PhysicalResourceId: jobArn });
      expect(personalize).toHaveReceivedCommandTimes(CreateBatchInferenceJobCommand, 0);
    });

    it.each([
      ['its mode alone', { ...described, themeGenerationConfig: undefined }, inferenceJob({ ItemExplorationConfig: { explorationWeight: '0.3' } })],
      ['its theme field alone', described, inferenceJob({ ...themed, ThemeItemNameField: 'NAME' })],
      ['what every batch job has (numResults)', described, inferenceJob({ ...themed, NumResults: '50' })],
      ['its mode and theme field', described, inferenceJob({ ...themed, Mode: 'BATCH_INFERENCE', ThemeItemNameField: undefined })],
      ['its item exploration', described, inferenceJob({ ...themed, ItemExplorationConfig: { explorationWeight: '0.9' } })],
      ['its ranking influence', described, inferenceJob({ ...themed, RankingInfluence: { FRESHNESS: '1' } })],
    ])('starts a new job when %s differs from the job it points at', async (_what, pointedAt, job) => {
      personalize.on(DescribeBatchInferenceJobCommand).resolvesOnce({ batchInferenceJob: pointedAt }).rejects(sdkErrors.notFound());
      personalize.on(CreateBatchInferenceJobCommand).resolves({});

      const { PhysicalResourceId } = await onEvent(update(job, inferenceJob({ NumResults: '1' })));
      expect(PhysicalResourceId).not.toBe(jobArn);
      expect(personalize).toHaveReceivedCommandTimes(CreateBatchInferenceJobCommand, 1);
    });
  });
});

describe('reading a batch inference job definition', () => {
  it('reads the mode, configuration and theme field, ranking weights delivered as strings', () => {
    expect(
      readInferenceJobDefinition(
        inferenceJob({ Mode: 'THEME_GENERATION', ThemeItemNameField: 'TITLE', ItemExplorationConfig: { explorationWeight: '0.3' }, RankingInfluence: { POPULARITY: '0', FRESHNESS: 1 } }),
      ),
    ).toMatchObject({
      mode: 'THEME_GENERATION',
      themeItemNameField: 'TITLE',
      itemExplorationConfig: { explorationWeight: '0.3' },
      rankingInfluence: { POPULARITY: 0, FRESHNESS: 1 },
      numResults: 25,
    });
  });

  it('leaves out what the job does not set, and takes an empty mode or theme field for none', () => {
    const job = readInferenceJobDefinition(inferenceJob({ Mode: '', ThemeItemNameField: '' }));
    expect(job).not.toHaveProperty('mode');
    expect(job).not.toHaveProperty('itemExplorationConfig');
    expect(job).not.toHaveProperty('rankingInfluence');
    expect(job).not.toHaveProperty('themeItemNameField');
  });

  it.each([
    ['an unknown mode', { Mode: 'FAST' }, 'The Job property\'s Mode must be one of BATCH_INFERENCE, THEME_GENERATION; got "FAST".'],
    ['themes without the item-name field', { Mode: 'THEME_GENERATION' }, 'ThemeItemNameField must be the name of the items dataset\'s item-name column, 1 to 150 characters, when Mode is THEME_GENERATION; got undefined.'],
    ['a 151-character item-name field', { Mode: 'THEME_GENERATION', ThemeItemNameField: 'x'.repeat(151) }, 'ThemeItemNameField must be the name'],
    ['an empty item-name field with themes', { Mode: 'THEME_GENERATION', ThemeItemNameField: '' }, 'ThemeItemNameField must be the name'],
    ['one bad exploration setting beside a good one', { ItemExplorationConfig: { explorationWeight: '0.3', '': '1' } }, 'ItemExplorationConfig must be an object'],
    ['an exploration value that is a list', { ItemExplorationConfig: { explorationWeight: ['0.3'] } }, 'ItemExplorationConfig must be an object'],
    ['null ranking influence', { RankingInfluence: null }, 'RankingInfluence must be an object whose keys'],
    ['a ranking weight that is a boolean', { RankingInfluence: { POPULARITY: true } }, 'RankingInfluence must be an object whose keys'],
    ['an item-name field without themes', { ThemeItemNameField: 'TITLE' }, 'ThemeItemNameField must be absent unless Mode is THEME_GENERATION; got "TITLE".'],
    ['exploration that is not an object', { ItemExplorationConfig: 'weight=1' }, 'ItemExplorationConfig must be an object of at most 100 string settings'],
    ['an exploration value that is not a string', { ItemExplorationConfig: { explorationWeight: 3 } }, 'ItemExplorationConfig must be an object'],
    ['an empty exploration key', { ItemExplorationConfig: { '': '1' } }, 'ItemExplorationConfig must be an object'],
    ['an exploration key of 257 characters', { ItemExplorationConfig: { ['k'.repeat(257)]: '1' } }, 'ItemExplorationConfig must be an object'],
    ['an exploration value of 1001 characters', { ItemExplorationConfig: { w: 'v'.repeat(1001) } }, 'ItemExplorationConfig must be an object'],
    ['101 exploration settings', { ItemExplorationConfig: Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`k${i}`, 'v'])) }, 'ItemExplorationConfig must be an object'],
    ['ranking influence that is not an object', { RankingInfluence: ['POPULARITY'] }, 'RankingInfluence must be an object whose keys are POPULARITY or FRESHNESS, each a number from 0 to 1'],
    ['an unknown ranking factor', { RankingInfluence: { NOVELTY: '0.5' } }, 'RankingInfluence must be an object whose keys'],
    ['a ranking weight over 1', { RankingInfluence: { POPULARITY: '1.5' } }, 'RankingInfluence must be an object whose keys'],
    ['a ranking weight under 0', { RankingInfluence: { FRESHNESS: -0.1 } }, 'RankingInfluence must be an object whose keys'],
    ['an empty ranking weight', { RankingInfluence: { FRESHNESS: ' ' } }, 'RankingInfluence must be an object whose keys'],
    ['zero results', { NumResults: '0' }, 'The Job property\'s NumResults must be a whole number of recommendations from 1 to 2147483647; got "0".'],
  ])('rejects %s, naming the value and what is expected', (_name, overrides, message) => {
    expect(() => readInferenceJobDefinition(inferenceJob(overrides))).toThrow(message);
  });

  it('accepts the edges of each limit', () => {
    expect(() =>
      readInferenceJobDefinition(
        inferenceJob({
          Mode: 'THEME_GENERATION',
          ThemeItemNameField: 'x'.repeat(150),
          ItemExplorationConfig: { ['k'.repeat(256)]: 'v'.repeat(1000), ...Object.fromEntries(Array.from({ length: 99 }, (_, i) => [`k${i}`, ''])) },
          RankingInfluence: { POPULARITY: '0', FRESHNESS: '1' },
        }),
      ),
    ).not.toThrow();
  });
});
