import {
  CreateSolutionVersionCommand,
  DescribeSolutionCommand,
  DescribeSolutionVersionCommand,
  GetSolutionMetricsCommand,
  ListSolutionVersionsCommand,
  ListTagsForResourceCommand,
  PersonalizeClient,
  ResourceInUseException,
  StopSolutionVersionCreationCommand,
  UpdateSolutionCommand,
} from '@aws-sdk/client-personalize';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { STOP_ON_DELETE_SECONDS } from '../../lambda/engine/delete-job';
import { handler as isComplete } from '../../lambda/engine/is-complete';
import { handler as onEvent } from '../../lambda/engine/on-event';
import { describeVersionNamed, LOOKUP_WINDOW_MS } from '../../lambda/kinds/solution-version/training-lookup';
import { parseTrainingRef } from '../../lib/kinds/solution-version/contract';
import { readQualityGate } from '../../lambda/kinds/solution-version/quality-gate';
import { WaiterError } from '../../lambda/engine/handler-error';
import { CapturedLogs } from '../support/captured-logs';
import { createEvent, deleteEvent, updateEvent, waiterProperties } from '../support/events';
import { sdkErrors } from '../support/sdk-errors';

const personalize = mockClient(PersonalizeClient);
const logs = new CapturedLogs();
const NOW = new Date('2026-11-28T10:00:00.000Z');
const SOLUTION_ARN = 'arn:aws:personalize:us-east-1:111122223333:solution/promo';
const VERSION_ARN = `${SOLUTION_ARN}/1a2b3c4d`;
const OTHER_VERSION_ARN = `${SOLUTION_ARN}/9f8e7d6c`;
const JOB_TYPE = 'Custom::PersonalizeSolutionVersion';
const WAITER_TYPE = 'Custom::PersonalizeSolutionVersionWaiter';
/** The name the request of support/events.ts gives a training with the prefix "model". */
const VERSION_NAME = expect.stringMatching(/^model-[0-9a-f]{12}$/);

function training(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { NamePrefix: 'model', SolutionArn: SOLUTION_ARN, ...overrides };
}

function trainingProperties(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return waiterProperties({ BatchSegmentJobArn: undefined, Job: training(), TimeoutSeconds: '3600', PollIntervalSeconds: '60', ...overrides });
}

function trainingEvent(properties = trainingProperties()): CloudFormationCustomResourceEvent {
  return { ...createEvent(properties), ResourceType: JOB_TYPE };
}

function waiterEvent(overrides: Record<string, unknown> = {}): CloudFormationCustomResourceEvent {
  return { ...createEvent(waiterProperties({ BatchSegmentJobArn: undefined, SolutionVersionArn: VERSION_ARN, ...overrides })), ResourceType: WAITER_TYPE };
}

function poll(event: CloudFormationCustomResourceEvent, physicalId: string, elapsedSeconds: number) {
  jest.setSystemTime(NOW.getTime() + elapsedSeconds * 1000);
  return isComplete({ ...event, PhysicalResourceId: physicalId, WaitStartedAt: NOW.toISOString() });
}

/** The solution's versions, as ListSolutionVersions and DescribeSolutionVersion answer them. */
function versionsAre(...versions: { arn: string; name: string; status: string; createdAt?: Date; trainingHours?: number }[]): void {
  personalize.on(ListSolutionVersionsCommand).resolves({
    solutionVersions: versions.map((version) => ({ solutionVersionArn: version.arn, status: version.status, creationDateTime: version.createdAt ?? NOW })),
  });
  for (const version of versions) {
    personalize.on(DescribeSolutionVersionCommand, { solutionVersionArn: version.arn }).resolves({
      solutionVersion: {
        solutionVersionArn: version.arn,
        name: version.name,
        solutionArn: SOLUTION_ARN,
        status: version.status,
        trainingMode: 'FULL',
        trainingType: 'MANUAL',
        trainingHours: version.trainingHours,
        creationDateTime: version.createdAt ?? NOW,
        lastUpdatedDateTime: NOW,
      },
    });
  }
}

/** The reference onEvent answers for the training of support/events.ts's request. */
async function startTraining(event = trainingEvent()): Promise<string> {
  personalize.on(ListSolutionVersionsCommand).resolves({ solutionVersions: [] });
  personalize.on(CreateSolutionVersionCommand).resolves({ solutionVersionArn: VERSION_ARN });
  const { PhysicalResourceId } = await onEvent(event);
  personalize.reset();
  return PhysicalResourceId;
}

function nameIn(ref: string): string {
  return parseTrainingRef(ref)!.versionName;
}

/** The hash of the resource's stack and logical id, in its trainings' names. */
function ownerIn(ref: string): string {
  return nameIn(ref).slice(-12, -6);
}

beforeEach(() => {
  personalize.reset();
  jest.useFakeTimers({ now: NOW, doNotFake: ['setTimeout', 'setImmediate', 'nextTick', 'queueMicrotask'] });
  logs.start();
});

afterEach(() => {
  logs.stop();
  jest.useRealTimers();
});

describe('starting a training', () => {
  it('creates a version of the solution, named from the request, and answers the training\'s reference as the physical id', async () => {
    personalize.on(ListSolutionVersionsCommand).resolves({ solutionVersions: [] });
    personalize.on(CreateSolutionVersionCommand).resolves({ solutionVersionArn: VERSION_ARN });

    const answer = await onEvent(trainingEvent(trainingProperties({ Job: training({ TrainingMode: 'UPDATE', Tags: { team: 'recs' } }) })));

    expect(answer.PhysicalResourceId).toMatch(new RegExp(`^${SOLUTION_ARN}#model-[0-9a-f]{12}$`));
    expect(personalize).toHaveReceivedCommandTimes(CreateSolutionVersionCommand, 1);
    expect(personalize).toHaveReceivedCommandWith(CreateSolutionVersionCommand, {
      name: nameIn(answer.PhysicalResourceId),
      solutionArn: SOLUTION_ARN,
      trainingMode: 'UPDATE',
      // The user's tags, and the definition a retry adopts it by.
      tags: [
        { tagKey: 'team', tagValue: 'recs' },
        { tagKey: 'cdk-personalize-batch-jobs:definition', tagValue: expect.stringMatching(/^[0-9a-f]{32}$/) },
      ],
    });
    expect(personalize).toHaveReceivedCommandWith(ListSolutionVersionsCommand, { solutionArn: SOLUTION_ARN });
  });

  it('starts no second training when the same request comes again: it finds the version by its name', async () => {
    const ref = await startTraining();
    versionsAre({ arn: VERSION_ARN, name: nameIn(ref), status: 'CREATE PENDING' });

    await expect(onEvent(trainingEvent())).resolves.toMatchObject({ PhysicalResourceId: ref });
    expect(personalize).toHaveReceivedCommandTimes(CreateSolutionVersionCommand, 0);
  });

  it('finds its version among others, describing the newest first and none created before the lookup window', async () => {
    const ref = await startTraining();
    const old = new Date(NOW.getTime() - LOOKUP_WINDOW_MS - 1000);
    versionsAre(
      { arn: 'arn:aws:personalize:us-east-1:111122223333:solution/promo/00000000', name: nameIn(ref), status: 'ACTIVE', createdAt: old },
      { arn: OTHER_VERSION_ARN, name: 'auto-training', status: 'CREATE IN_PROGRESS', createdAt: new Date(NOW.getTime() - 60_000) },
      { arn: VERSION_ARN, name: nameIn(ref), status: 'CREATE IN_PROGRESS', createdAt: new Date(NOW.getTime() - 120_000) },
    );

    await expect(poll(trainingEvent(), ref, 60)).resolves.toEqual({ IsComplete: false });
    const described = personalize.commandCalls(DescribeSolutionVersionCommand).map((call) => call.args[0].input.solutionVersionArn);
    expect(described).toEqual([OTHER_VERSION_ARN, VERSION_ARN]);
    expect(personalize).toHaveReceivedCommandTimes(CreateSolutionVersionCommand, 0);
  });

  it('takes a version of that name created before the lookup window for someone else\'s, and starts the training', async () => {
    const ref = await startTraining();
    versionsAre({ arn: VERSION_ARN, name: nameIn(ref), status: 'ACTIVE', createdAt: new Date(NOW.getTime() - LOOKUP_WINDOW_MS - 1) });
    personalize.on(CreateSolutionVersionCommand).resolves({ solutionVersionArn: OTHER_VERSION_ARN });

    await expect(poll(trainingEvent(), ref, 0)).resolves.toEqual({ IsComplete: false });
    expect(personalize).toHaveReceivedCommandTimes(DescribeSolutionVersionCommand, 0);
    expect(personalize).toHaveReceivedCommandTimes(CreateSolutionVersionCommand, 1);
  });

  it('still describes a version created exactly at the window\'s start', async () => {
    const ref = await startTraining();
    versionsAre({ arn: VERSION_ARN, name: nameIn(ref), status: 'CREATE IN_PROGRESS', createdAt: new Date(NOW.getTime() - LOOKUP_WINDOW_MS) });

    await expect(poll(trainingEvent(), ref, 0)).resolves.toEqual({ IsComplete: false });
    expect(personalize).toHaveReceivedCommandTimes(CreateSolutionVersionCommand, 0);
  });

  it('describes the newest first whatever order the list answers in, and skips a description without a version', async () => {
    const ref = await startTraining();
    const minutesAgo = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000);
    const oldest = 'arn:aws:personalize:us-east-1:111122223333:solution/promo/00000001';
    versionsAre(
      { arn: oldest, name: 'older', status: 'ACTIVE', createdAt: minutesAgo(30) },
      { arn: VERSION_ARN, name: nameIn(ref), status: 'CREATE IN_PROGRESS', createdAt: minutesAgo(20) },
      { arn: OTHER_VERSION_ARN, name: 'newest', status: 'CREATE IN_PROGRESS', createdAt: minutesAgo(10) },
    );
    personalize.on(DescribeSolutionVersionCommand, { solutionVersionArn: OTHER_VERSION_ARN }).resolves({});

    await expect(poll(trainingEvent(), ref, 60)).resolves.toEqual({ IsComplete: false });
    const described = personalize.commandCalls(DescribeSolutionVersionCommand).map((call) => call.args[0].input.solutionVersionArn);
    expect(described).toEqual([OTHER_VERSION_ARN, VERSION_ARN]);
  });

  it('stops looking when the lookup has used its time budget, starting nothing, and the next poll looks again', async () => {
    const ref = await startTraining();
    const many = Array.from({ length: 6 }, (_, i) => ({ arn: `${SOLUTION_ARN}/0000000${i}`, name: `other-${i}`, status: 'ACTIVE', createdAt: new Date(NOW.getTime() - i * 1000) }));
    versionsAre(...many);
    // Each Describe takes ten seconds of the handler's minute.
    personalize.on(DescribeSolutionVersionCommand).callsFake(async ({ solutionVersionArn }) => {
      jest.setSystemTime(Date.now() + 10_000);
      return { solutionVersion: { solutionVersionArn, name: 'other' } };
    });

    await expect(poll(trainingEvent(), ref, 60)).resolves.toEqual({ IsComplete: false });
    expect(personalize).toHaveReceivedCommandTimes(DescribeSolutionVersionCommand, 3);
    expect(personalize).toHaveReceivedCommandTimes(CreateSolutionVersionCommand, 0);
    expect(logs.text).toContain(`Looking for version ${nameIn(ref)} of solution ${SOLUTION_ARN} took over 25 s; the next poll looks again.`);
  });

  it('reads every page of the solution\'s versions', async () => {
    const ref = await startTraining();
    versionsAre({ arn: VERSION_ARN, name: nameIn(ref), status: 'CREATE IN_PROGRESS' });
    personalize
      .on(ListSolutionVersionsCommand)
      .resolvesOnce({ solutionVersions: [{ solutionVersionArn: OTHER_VERSION_ARN, creationDateTime: NOW }], nextToken: 'page-2' })
      .resolves({ solutionVersions: [{ solutionVersionArn: VERSION_ARN, creationDateTime: NOW }] });
    personalize.on(DescribeSolutionVersionCommand, { solutionVersionArn: OTHER_VERSION_ARN }).resolves({ solutionVersion: { name: 'other' } });

    await expect(poll(trainingEvent(), ref, 60)).resolves.toEqual({ IsComplete: false });
    expect(personalize).toHaveReceivedNthCommandWith(2, ListSolutionVersionsCommand, { solutionArn: SOLUTION_ARN, nextToken: 'page-2', maxResults: 100 });
    expect(personalize).toHaveReceivedCommandTimes(CreateSolutionVersionCommand, 0);
  });

  it('describes a version whose list entry has no creation time rather than risk a second training', async () => {
    const ref = await startTraining();
    versionsAre({ arn: VERSION_ARN, name: nameIn(ref), status: 'CREATE IN_PROGRESS' });
    personalize.on(ListSolutionVersionsCommand).resolves({ solutionVersions: [{ solutionVersionArn: VERSION_ARN }] });

    await expect(poll(trainingEvent(), ref, 60)).resolves.toEqual({ IsComplete: false });
    expect(personalize).toHaveReceivedCommandTimes(CreateSolutionVersionCommand, 0);
  });

  it('waits, without failing, for a solution that is not ACTIVE yet, and starts the training once it is', async () => {
    personalize.on(ListSolutionVersionsCommand).resolves({ solutionVersions: [] });
    personalize.on(CreateSolutionVersionCommand).rejects(new ResourceInUseException({ message: 'Solution is in CREATE IN_PROGRESS', $metadata: {} }));

    const { PhysicalResourceId: ref } = await onEvent(trainingEvent());
    await expect(poll(trainingEvent(), ref, 60)).resolves.toEqual({ IsComplete: false });
    expect(logs.lines).toContainEqual(
      expect.objectContaining({ message: 'Waiting to create the solution version', reason: `solution ${SOLUTION_ARN} is not ready to train (it is still being created or updated)` }),
    );

    personalize.on(CreateSolutionVersionCommand).resolves({ solutionVersionArn: VERSION_ARN });
    await expect(poll(trainingEvent(), ref, 120)).resolves.toEqual({ IsComplete: false });
    expect(personalize).toHaveReceivedCommandTimes(CreateSolutionVersionCommand, 3);
  });

  it('names the solution in the timeout message when it never became ready', async () => {
    personalize.on(ListSolutionVersionsCommand).resolves({ solutionVersions: [] });
    personalize.on(CreateSolutionVersionCommand).rejects(new ResourceInUseException({ message: 'Solution is in CREATE IN_PROGRESS', $metadata: {} }));
    const event = trainingEvent(trainingProperties({ TimeoutSeconds: '600' }));
    const { PhysicalResourceId: ref } = await onEvent(event);

    await expect(poll(event, ref, 600)).rejects.toThrow(`its last status was not created yet: solution ${SOLUTION_ARN} is not ready to train`);
  });

  it('waits for a slot when the region is at its limit of trainings, naming the limit of 20', async () => {
    personalize.on(ListSolutionVersionsCommand).resolves({ solutionVersions: [] });
    personalize.on(CreateSolutionVersionCommand).rejects(sdkErrors.limitExceeded());
    const event = trainingEvent(trainingProperties({ TimeoutSeconds: '600' }));
    const { PhysicalResourceId: ref } = await onEvent(event);

    await expect(poll(event, ref, 300)).resolves.toEqual({ IsComplete: false });
    await expect(poll(event, ref, 600)).rejects.toThrow('limit of 20 pending or in-progress solution versions');
  });

  it('fails at once, naming the solution, when it does not exist', async () => {
    personalize.on(ListSolutionVersionsCommand).rejects(sdkErrors.notFound());
    personalize.on(CreateSolutionVersionCommand).rejects(sdkErrors.notFound());

    await expect(onEvent(trainingEvent())).rejects.toThrow(
      `Personalize could not find the solution ${SOLUTION_ARN}: check that it exists and lives in us-east-1.`,
    );
  });

  it('fails after the IAM grace when Personalize keeps rejecting the training\'s settings, saying what to check', async () => {
    personalize.on(ListSolutionVersionsCommand).resolves({ solutionVersions: [] });
    personalize.on(CreateSolutionVersionCommand).rejects(sdkErrors.invalidInput());
    const { PhysicalResourceId: ref } = await onEvent(trainingEvent());

    await expect(poll(trainingEvent(), ref, 60)).rejects.toThrow('check the training mode (FULL; UPDATE needs a User-Personalization or HRNN-Coldstart solution');
  });

  it('leaves the training mode to Personalize when it is empty', async () => {
    personalize.on(ListSolutionVersionsCommand).resolves({ solutionVersions: [] });
    personalize.on(CreateSolutionVersionCommand).resolves({ solutionVersionArn: VERSION_ARN });

    await onEvent(trainingEvent(trainingProperties({ Job: training({ TrainingMode: '' }) })));
    expect(personalize.commandCalls(CreateSolutionVersionCommand)[0].args[0].input).not.toHaveProperty('trainingMode', expect.anything());
  });

  it.each([
    [{ Job: training({ NamePrefix: '-model' }) }, 'The Job property\'s NamePrefix must be a name prefix of letters, digits, - and _ that starts with a letter or digit'],
    [{ MinimumMetrics: ['coverage'] }, 'to numbers; got ["coverage"].'],
    [{ MinimumMetrics: { coverage: { at: 0.2 } } }, 'got {"at":0.2} for "coverage".'],
    [{ MinimumMetrics: { coverage: '  ' } }, 'got "  " for "coverage"'],
    [{ MetricNames: [7] }, 'The MetricNames property must be a list of metric names; got [7].'],
    [{ Job: training({ TrainingMode: 'AUTOTRAIN' }) }, 'The Job property\'s TrainingMode must be one of FULL, UPDATE; got "AUTOTRAIN".'],
    [{ Job: training({ SolutionArn: VERSION_ARN }) }, 'The Job property\'s SolutionArn must be a solution ARN such as arn:aws:personalize:us-east-1:111122223333:solution/promo'],
    [{ MinimumMetrics: 'high' }, 'The MinimumMetrics property must be an object of metric names (letters, digits, _ . and -, at most 256 characters) to numbers; got "high".'],
    [{ MinimumMetrics: { coverage: 'high' } }, 'got "high" for "coverage"'],
    [{ MinimumMetrics: { coverage: '' } }, 'got "" for "coverage"'],
    [{ MinimumMetrics: { 'bad name': '0.1' } }, 'got "0.1" for "bad name"'],
    [{ MetricNames: 'coverage' }, 'The MetricNames property must be a list of metric names; got "coverage".'],
    [{ MetricNames: ['bad name'] }, 'The MetricNames property must be a list of metric names'],
    [{ Training: 'model-1' }, 'The Training property must be the physical id of the wait\'s first resource, which names its solution version; got "model-1".'],
  ])('refuses %j before any call to Personalize', async (overrides, message) => {
    await expect(onEvent(trainingEvent(trainingProperties(overrides)))).rejects.toThrow(message);
    expect(personalize.calls()).toHaveLength(0);
  });
});

describe('the solution\'s automatic training', () => {
  const withAutoTraining = (value: unknown) => trainingEvent(trainingProperties({ Job: training({ PerformAutoTraining: value }) }));

  beforeEach(() => {
    personalize.on(ListSolutionVersionsCommand).resolves({ solutionVersions: [] });
    personalize.on(CreateSolutionVersionCommand).resolves({ solutionVersionArn: VERSION_ARN });
  });

  it('turns it off before the training when the solution still trains automatically', async () => {
    personalize.on(DescribeSolutionCommand).resolves({ solution: { solutionArn: SOLUTION_ARN, status: 'ACTIVE', performAutoTraining: true } });
    personalize.on(UpdateSolutionCommand).resolves({ solutionArn: SOLUTION_ARN });

    await onEvent(withAutoTraining('false'));
    expect(personalize).toHaveReceivedCommandWith(UpdateSolutionCommand, { solutionArn: SOLUTION_ARN, performAutoTraining: false });
    expect(personalize).toHaveReceivedNthCommandWith(3, UpdateSolutionCommand, { solutionArn: SOLUTION_ARN, performAutoTraining: false });
    expect(personalize).toHaveReceivedNthCommandWith(4, CreateSolutionVersionCommand, { solutionArn: SOLUTION_ARN });
  });

  it.each([
    ['is set so already', { performAutoTraining: false }],
    ['is being set so by an update in progress', { performAutoTraining: true, latestSolutionUpdate: { status: 'CREATE IN_PROGRESS', performAutoTraining: false } }],
  ])('calls no UpdateSolution when it %s', async (_, solution) => {
    personalize.on(DescribeSolutionCommand).resolves({ solution: { solutionArn: SOLUTION_ARN, status: 'ACTIVE', ...solution } });

    await onEvent(withAutoTraining(false));
    expect(personalize).toHaveReceivedCommandTimes(UpdateSolutionCommand, 0);
    expect(personalize).toHaveReceivedCommandTimes(CreateSolutionVersionCommand, 1);
  });

  it('sets it again when the last update failed to', async () => {
    personalize.on(DescribeSolutionCommand).resolves({
      solution: { solutionArn: SOLUTION_ARN, status: 'ACTIVE', performAutoTraining: false, latestSolutionUpdate: { status: 'CREATE FAILED', performAutoTraining: true } },
    });
    personalize.on(UpdateSolutionCommand).resolves({ solutionArn: SOLUTION_ARN });

    await onEvent(withAutoTraining('true'));
    expect(personalize).toHaveReceivedCommandWith(UpdateSolutionCommand, { solutionArn: SOLUTION_ARN, performAutoTraining: true });
  });

  it('waits, without training, while the solution is not ACTIVE and refuses the update', async () => {
    personalize.on(DescribeSolutionCommand).resolves({ solution: { solutionArn: SOLUTION_ARN, status: 'CREATE IN_PROGRESS', performAutoTraining: true } });
    personalize.on(UpdateSolutionCommand).rejects(new ResourceInUseException({ message: 'Solution is in CREATE IN_PROGRESS', $metadata: {} }));
    const event = withAutoTraining('false');

    const { PhysicalResourceId } = await onEvent(event);
    await expect(poll(event, PhysicalResourceId, 60)).resolves.toEqual({ IsComplete: false });
    expect(personalize).toHaveReceivedCommandTimes(CreateSolutionVersionCommand, 0);
    expect(logs.lines).toContainEqual(expect.objectContaining({ message: 'Waiting to create the solution version', reason: expect.stringContaining('is not ready to train') }));
  });

  it('leaves it alone when the construct does not set it, and refuses a value that is not a boolean', async () => {
    await onEvent(trainingEvent());
    expect(personalize).toHaveReceivedCommandTimes(DescribeSolutionCommand, 0);
    await expect(onEvent(withAutoTraining('no'))).rejects.toThrow('The Job property\'s PerformAutoTraining must be "true" or "false"; got "no".');
  });

  it('starts no training when an update changes only this setting', async () => {
    const ref = await startTraining();
    versionsAre({ arn: VERSION_ARN, name: nameIn(ref), status: 'ACTIVE' });
    const update = { ...updateEvent(trainingProperties({ Job: training({ PerformAutoTraining: 'false' }) }), trainingProperties(), ref), ResourceType: JOB_TYPE };

    await expect(onEvent(update)).resolves.toMatchObject({ PhysicalResourceId: ref });
    expect(personalize).toHaveReceivedCommandTimes(CreateSolutionVersionCommand, 0);
    expect(personalize).toHaveReceivedCommandTimes(UpdateSolutionCommand, 0);
  });
});

describe('adopting a version trained before (reuseWithin)', () => {
  const DEFINITION_TAG = 'cdk-personalize-batch-jobs:definition';
  const reusable = (overrides: Record<string, unknown> = {}) => trainingEvent(trainingProperties({ Job: training({ ReuseWithinSeconds: '86400', ...overrides }) }));
  let definition = '';

  beforeEach(async () => {
    personalize.on(ListSolutionVersionsCommand).resolves({ solutionVersions: [] });
    personalize.on(CreateSolutionVersionCommand).resolves({ solutionVersionArn: VERSION_ARN });
    await onEvent(reusable());
    definition = personalize.commandCalls(CreateSolutionVersionCommand)[0].args[0].input.tags!.find((tag) => tag.tagKey === DEFINITION_TAG)!.tagValue!;
    personalize.reset();
    personalize.on(CreateSolutionVersionCommand).resolves({ solutionVersionArn: OTHER_VERSION_ARN });
  });

  it('adopts the newest ACTIVE version tagged with its definition, reading tags of ACTIVE versions within the window only', async () => {
    const hoursAgo = (hours: number) => new Date(NOW.getTime() - hours * 3600_000);
    versionsAre(
      { arn: `${SOLUTION_ARN}/00000001`, name: 'training-now', status: 'CREATE IN_PROGRESS', createdAt: hoursAgo(0) },
      { arn: `${SOLUTION_ARN}/00000002`, name: 'by-hand', status: 'ACTIVE', createdAt: hoursAgo(1) },
      { arn: VERSION_ARN, name: 'model-0123456789ab', status: 'ACTIVE', createdAt: hoursAgo(2) },
      { arn: `${SOLUTION_ARN}/00000003`, name: 'model-ba9876543210', status: 'ACTIVE', createdAt: hoursAgo(3) },
      { arn: `${SOLUTION_ARN}/00000004`, name: 'model-old', status: 'ACTIVE', createdAt: hoursAgo(25) },
    );
    personalize.on(ListTagsForResourceCommand).resolves({ tags: [] });
    personalize.on(ListTagsForResourceCommand, { resourceArn: VERSION_ARN }).resolves({ tags: [{ tagKey: DEFINITION_TAG, tagValue: definition }] });
    personalize.on(ListTagsForResourceCommand, { resourceArn: `${SOLUTION_ARN}/00000003` }).resolves({ tags: [{ tagKey: DEFINITION_TAG, tagValue: definition }] });

    const answer = await onEvent(reusable());

    expect(answer).toMatchObject({ PhysicalResourceId: `${SOLUTION_ARN}#model-0123456789ab`, Data: { Reused: 'true' } });
    expect(personalize).toHaveReceivedCommandTimes(CreateSolutionVersionCommand, 0);
    expect(personalize.commandCalls(ListTagsForResourceCommand).map((call) => call.args[0].input.resourceArn)).toEqual([`${SOLUTION_ARN}/00000002`, VERSION_ARN]);
  });

  it('keeps the training a request already started when it is delivered again, instead of adopting an older one', async () => {
    const ref = await startTraining(reusable());
    versionsAre(
      { arn: OTHER_VERSION_ARN, name: nameIn(ref), status: 'CREATE PENDING' },
      { arn: VERSION_ARN, name: 'model-0123456789ab', status: 'ACTIVE', createdAt: new Date(NOW.getTime() - 3600_000) },
    );
    personalize.on(ListTagsForResourceCommand).resolves({ tags: [{ tagKey: DEFINITION_TAG, tagValue: definition }] });

    await expect(onEvent(reusable())).resolves.toMatchObject({ PhysicalResourceId: ref, Data: { Reused: 'false' } });
    expect(personalize).toHaveReceivedCommandTimes(ListTagsForResourceCommand, 0);
  });

  it('trains when no version is tagged with its definition, and says it reused nothing', async () => {
    versionsAre({ arn: VERSION_ARN, name: 'model-0123456789ab', status: 'ACTIVE' });
    personalize.on(ListTagsForResourceCommand).resolves({ tags: [{ tagKey: DEFINITION_TAG, tagValue: 'another' }] });

    await expect(onEvent(reusable({ TrainingMode: 'UPDATE' }))).resolves.toMatchObject({ Data: { Reused: 'false' } });
    expect(personalize).toHaveReceivedCommandTimes(CreateSolutionVersionCommand, 1);
  });
});

describe('the quality gate', () => {
  async function trainedVersion(metrics: Record<string, number>, overrides: Record<string, unknown> = {}) {
    const event = trainingEvent(trainingProperties(overrides));
    const ref = await startTraining(event);
    versionsAre({ arn: VERSION_ARN, name: nameIn(ref), status: 'ACTIVE', trainingHours: 1.5 });
    personalize.on(GetSolutionMetricsCommand).resolves({ solutionVersionArn: VERSION_ARN, metrics });
    return poll(event, ref, 600);
  }

  it('lets a version whose metrics reach their minimums through, with its attributes and metrics', async () => {
    const answer = await trainedVersion({ precision_at_5: 0.25, coverage: 0.6 }, { MinimumMetrics: { precision_at_5: '0.2', coverage: '0.6' } });

    expect(answer).toEqual({
      IsComplete: true,
      Data: {
        SolutionVersionArn: VERSION_ARN,
        Name: VERSION_NAME,
        SolutionArn: SOLUTION_ARN,
        Status: 'ACTIVE',
        TrainingMode: 'FULL',
        TrainingType: 'MANUAL',
        TrainingHours: '1.5',
        FailureReason: '',
        CreationDateTime: NOW.toISOString(),
        LastUpdatedDateTime: NOW.toISOString(),
        'Metric.precision_at_5': '0.25',
        'Metric.coverage': '0.6',
      },
    });
    expect(personalize).toHaveReceivedCommandWith(GetSolutionMetricsCommand, { solutionVersionArn: VERSION_ARN });
  });

  it('fails the deployment when a metric is below its minimum, naming the metric, its value and the minimum, and what to do', async () => {
    await expect(trainedVersion({ precision_at_5: 0.1, coverage: 0.9 }, { MinimumMetrics: { precision_at_5: '0.2', coverage: '0.5' } })).rejects.toThrow(
      new WaiterError(
        `Solution version ${VERSION_ARN} did not pass the quality gate: precision_at_5 is 0.1, below its minimum of 0.2. ` +
          'Nothing that depends on it is deployed. Improve the training data or the solution\'s configuration and deploy again ' +
          '(the next deployment trains a new version), or change minimumMetrics. Its metrics: precision_at_5=0.1, coverage=0.9',
      ),
    );
  });

  it('fails the deployment when a gated metric is not reported, listing those that are', async () => {
    await expect(trainedVersion({ coverage: 0.9 }, { MinimumMetrics: { precision_at_5: '0.2' } })).rejects.toThrow(
      /precision_at_5 is not among its metrics, which has a minimum of 0\.2\..*Its metrics: coverage=0\.9$/,
    );
  });

  it('says so when Personalize reports no metric at all', async () => {
    await expect(trainedVersion({}, { MinimumMetrics: { coverage: '0.2' } })).rejects.toThrow('Its metrics: (none reported)');
  });

  it('names every failing metric, and lists every metric the version has', async () => {
    await expect(trainedVersion({ a: 1, b: 1 }, { MinimumMetrics: { a: '2', b: '3' } })).rejects.toThrow(
      /did not pass the quality gate: a is 1, below its minimum of 2; b is 1, below its minimum of 3\. Nothing that depends on it is deployed\. .*Its metrics: a=1, b=1$/,
    );
  });

  it('says when Personalize reported no ARN for the version that failed the gate', async () => {
    personalize.on(DescribeSolutionVersionCommand).resolves({ solutionVersion: { status: 'ACTIVE' } });
    personalize.on(GetSolutionMetricsCommand).resolves({ metrics: { coverage: 0.1 } });
    await expect(poll(waiterEvent({ MinimumMetrics: { coverage: '0.2' } }), VERSION_ARN, 60)).rejects.toThrow(
      'Solution version (no ARN reported) did not pass the quality gate',
    );
  });

  it('answers an empty attribute for a metric the stack reads that Personalize did not report', async () => {
    const answer = await trainedVersion({ coverage: 0.9 }, { MetricNames: ['precision_at_5', 'coverage'] });
    expect(answer.Data).toMatchObject({ 'Metric.precision_at_5': '', 'Metric.coverage': '0.9' });
  });

  it('answers a version without its reported details as empty attributes', async () => {
    personalize.on(DescribeSolutionVersionCommand).resolves({ solutionVersion: { status: 'ACTIVE' } });
    personalize.on(GetSolutionMetricsCommand).resolves({});
    const answer = await poll(waiterEvent(), VERSION_ARN, 60);
    expect(answer.Data).toEqual({
      SolutionVersionArn: '',
      Name: '',
      SolutionArn: '',
      Status: 'ACTIVE',
      TrainingMode: '',
      TrainingType: '',
      TrainingHours: '',
      FailureReason: '',
      CreationDateTime: '',
      LastUpdatedDateTime: '',
    });
  });
});

describe('waiting for a version trained elsewhere', () => {
  it('describes it by its ARN, reads its metrics only once it is ACTIVE, and applies the gate', async () => {
    personalize.on(DescribeSolutionVersionCommand).resolves({ solutionVersion: { solutionVersionArn: VERSION_ARN, status: 'CREATE IN_PROGRESS' } });
    await expect(onEvent(waiterEvent())).resolves.toMatchObject({ PhysicalResourceId: VERSION_ARN });
    await expect(poll(waiterEvent(), VERSION_ARN, 60)).resolves.toEqual({ IsComplete: false });
    expect(personalize).toHaveReceivedCommandWith(DescribeSolutionVersionCommand, { solutionVersionArn: VERSION_ARN });
    expect(personalize).toHaveReceivedCommandTimes(GetSolutionMetricsCommand, 0);
    expect(personalize).toHaveReceivedCommandTimes(ListSolutionVersionsCommand, 0);

    personalize.on(DescribeSolutionVersionCommand).resolves({ solutionVersion: { solutionVersionArn: VERSION_ARN, status: 'ACTIVE' } });
    personalize.on(GetSolutionMetricsCommand).resolves({ metrics: { coverage: 0.1 } });
    await expect(poll(waiterEvent({ MinimumMetrics: { coverage: '0.2' } }), VERSION_ARN, 120)).rejects.toThrow('coverage is 0.1, below its minimum of 0.2');
  });

  it('reads the metrics of an ACTIVE version only in the poll that answers, not when the wait starts', async () => {
    personalize.on(DescribeSolutionVersionCommand).resolves({ solutionVersion: { solutionVersionArn: VERSION_ARN, status: 'ACTIVE' } });
    personalize.on(GetSolutionMetricsCommand).resolves({ metrics: { coverage: 0.3 } });

    await expect(onEvent(waiterEvent())).resolves.toMatchObject({ PhysicalResourceId: VERSION_ARN });
    expect(personalize).toHaveReceivedCommandTimes(DescribeSolutionVersionCommand, 1);
    expect(personalize).toHaveReceivedCommandTimes(GetSolutionMetricsCommand, 0);

    await expect(poll(waiterEvent({ MinimumMetrics: { coverage: '0.2' } }), VERSION_ARN, 0)).resolves.toMatchObject({
      IsComplete: true,
      Data: { 'Metric.coverage': '0.3' },
    });
    expect(personalize).toHaveReceivedCommandTimes(GetSolutionMetricsCommand, 1);
  });

  it.each(['CREATE FAILED', 'CREATE STOPPED'])('fails when the version ends %s, with the reason', async (status) => {
    personalize.on(DescribeSolutionVersionCommand).resolves({ solutionVersion: { status, failureReason: 'Not enough interactions' } });
    await expect(poll(waiterEvent(), VERSION_ARN, 60)).rejects.toThrow(`Solution version ${VERSION_ARN} ended ${status}.`);
  });

  it('completes with the status when failOnJobFailure is false', async () => {
    personalize.on(DescribeSolutionVersionCommand).resolves({ solutionVersion: { status: 'CREATE STOPPED' } });
    const answer = await poll(waiterEvent({ FailOnJobFailure: 'false' }), VERSION_ARN, 60);
    expect(answer.Data?.Status).toBe('CREATE STOPPED');
  });

  it.each(['CREATE PENDING', 'CREATE IN_PROGRESS', 'CREATE STOPPING'])('waits on while the version is %s', async (status) => {
    personalize.on(DescribeSolutionVersionCommand).resolves({ solutionVersion: { status } });
    await expect(poll(waiterEvent(), VERSION_ARN, 60)).resolves.toEqual({ IsComplete: false });
  });

  it('retries a metrics call that was throttled at the next poll', async () => {
    personalize.on(DescribeSolutionVersionCommand).resolves({ solutionVersion: { status: 'ACTIVE' } });
    personalize.on(GetSolutionMetricsCommand).rejects(sdkErrors.throttling());
    await expect(poll(waiterEvent(), VERSION_ARN, 60)).resolves.toEqual({ IsComplete: false });
  });

  it('never stops the version when its wait times out: the waiter does not own it', async () => {
    personalize.on(DescribeSolutionVersionCommand).resolves({ solutionVersion: { status: 'CREATE IN_PROGRESS' } });
    await expect(poll(waiterEvent(), VERSION_ARN, 3600)).rejects.toThrow(/^Gave up waiting for solution version/);
    expect(personalize).toHaveReceivedCommandTimes(StopSolutionVersionCreationCommand, 0);
  });

  it('deletes without any call to Personalize', async () => {
    const event = { ...deleteEvent(), ResourceType: WAITER_TYPE, PhysicalResourceId: VERSION_ARN };
    await expect(onEvent(event)).resolves.toEqual({ PhysicalResourceId: VERSION_ARN });
    await expect(isComplete({ ...event, WaitStartedAt: NOW.toISOString() })).resolves.toEqual({ IsComplete: true });
    expect(personalize.calls()).toHaveLength(0);
  });
});

describe('stopping a training nobody waits for', () => {
  it('stops a training still running when its wait times out, and says so', async () => {
    const event = trainingEvent(trainingProperties({ TimeoutSeconds: '600' }));
    const ref = await startTraining(event);
    versionsAre({ arn: VERSION_ARN, name: nameIn(ref), status: 'CREATE IN_PROGRESS' });
    personalize.on(StopSolutionVersionCreationCommand).resolves({});

    await expect(poll(event, ref, 600)).rejects.toThrow(
      /^Asked Personalize to stop the solution version, which was still running\. Gave up waiting for solution version .*#model-/,
    );
    expect(personalize).toHaveReceivedCommandWith(StopSolutionVersionCreationCommand, { solutionVersionArn: VERSION_ARN });
    expect(logs.lines).toContainEqual(expect.objectContaining({ message: 'Stopping the solution version the wait gave up on', ref, outcome: 'stopRequested' }));
  });

  it('carries on a relayed wait in a later link, which names the training by the first link\'s reference', async () => {
    const ref = await startTraining();
    versionsAre({ arn: VERSION_ARN, name: nameIn(ref), status: 'CREATE IN_PROGRESS' });
    const link = trainingEvent(trainingProperties({ Training: ref, TimeoutSeconds: '7200', LinkIndex: '2', LinkCount: '3' }));

    await expect(onEvent(link)).resolves.toMatchObject({ PhysicalResourceId: ref });
    await expect(poll(link, ref, 60)).resolves.toEqual({ IsComplete: false });
    await expect(onEvent(trainingEvent(trainingProperties({ Training: 7, LinkIndex: '2', LinkCount: '3', TimeoutSeconds: '7200' })))).rejects.toThrow(
      'The Training property must be the physical id of the wait\'s first resource, which names its solution version; got 7.',
    );
  });

  it('hands a relayed wait over to the next link without stopping anything', async () => {
    const event = trainingEvent(trainingProperties({ TimeoutSeconds: '7200', LinkIndex: '1', LinkCount: '3' }));
    const ref = await startTraining(event);
    versionsAre({ arn: VERSION_ARN, name: nameIn(ref), status: 'CREATE IN_PROGRESS' });

    await expect(poll(event, ref, 3600)).resolves.toMatchObject({ IsComplete: true });
    expect(personalize).toHaveReceivedCommandTimes(StopSolutionVersionCreationCommand, 0);
  });

  it('says when the timed-out training could not be stopped, leaving it to the rollback', async () => {
    const event = trainingEvent(trainingProperties({ TimeoutSeconds: '600' }));
    const ref = await startTraining(event);
    versionsAre({ arn: VERSION_ARN, name: nameIn(ref), status: 'CREATE IN_PROGRESS' });
    personalize.on(StopSolutionVersionCreationCommand).rejects(sdkErrors.internalFailure());

    await expect(poll(event, ref, 600)).rejects.toThrow(
      /^Could not stop the solution version \(InternalFailure: We encountered an internal error\): the rollback's Delete tries again\. Gave up waiting/,
    );
  });

  it('says when the timed-out training was not running any more', async () => {
    const event = trainingEvent(trainingProperties({ TimeoutSeconds: '600' }));
    const ref = await startTraining(event);
    personalize.on(ListSolutionVersionsCommand).resolves({ solutionVersions: [] });
    personalize.on(CreateSolutionVersionCommand).rejects(sdkErrors.limitExceeded());

    await expect(poll(event, ref, 600)).rejects.toThrow(/^The solution version was not running any more\. Gave up waiting/);
    expect(personalize).toHaveReceivedCommandTimes(StopSolutionVersionCreationCommand, 0);
  });

  function deleteOf(ref: string): CloudFormationCustomResourceEvent & { PhysicalResourceId: string } {
    return { ...deleteEvent(trainingProperties()), ResourceType: JOB_TYPE, PhysicalResourceId: ref };
  }

  async function deleteAfter(ref: string, elapsedSeconds: number) {
    jest.setSystemTime(NOW);
    const started = await onEvent(deleteOf(ref));
    jest.setSystemTime(NOW.getTime() + elapsedSeconds * 1000);
    return isComplete({ ...deleteOf(ref), ...started });
  }

  it('stops a training still running when CloudFormation deletes the resource (a rollback, a stack deletion)', async () => {
    const ref = await startTraining();
    versionsAre({ arn: VERSION_ARN, name: nameIn(ref), status: 'CREATE PENDING' });
    personalize.on(StopSolutionVersionCreationCommand).resolves({});

    await expect(onEvent(deleteOf(ref))).resolves.toEqual({ PhysicalResourceId: ref, WaitStartedAt: NOW.toISOString() });
    await expect(deleteAfter(ref, 0)).resolves.toEqual({ IsComplete: true });
    expect(personalize).toHaveReceivedCommandTimes(StopSolutionVersionCreationCommand, 1);
    expect(personalize).toHaveReceivedCommandTimes(CreateSolutionVersionCommand, 0);
  });

  it.each(['ACTIVE', 'CREATE FAILED', 'CREATE STOPPING', 'CREATE STOPPED'])('changes nothing when the version is %s', async (status) => {
    const ref = await startTraining();
    versionsAre({ arn: VERSION_ARN, name: nameIn(ref), status });

    await expect(deleteAfter(ref, 0)).resolves.toEqual({ IsComplete: true });
    expect(personalize).toHaveReceivedCommandTimes(StopSolutionVersionCreationCommand, 0);
  });

  it('changes nothing when the training was never started, or its solution is gone', async () => {
    const ref = await startTraining();
    personalize.on(ListSolutionVersionsCommand).resolves({ solutionVersions: [] });
    await expect(deleteAfter(ref, 0)).resolves.toEqual({ IsComplete: true });
    personalize.on(ListSolutionVersionsCommand).rejects(sdkErrors.notFound());
    await expect(deleteAfter(ref, 0)).resolves.toEqual({ IsComplete: true });
    expect(personalize).toHaveReceivedCommandTimes(StopSolutionVersionCreationCommand, 0);
    expect(personalize).toHaveReceivedCommandTimes(DescribeSolutionVersionCommand, 0);
  });

  it('describes only the versions still training, so 100 recent versions cost one list call', async () => {
    const ref = await startTraining();
    versionsAre(
      ...Array.from({ length: 99 }, (_, i) => ({ arn: `${SOLUTION_ARN}/${String(i).padStart(8, '0')}`, name: `old-${i}`, status: i % 2 === 0 ? 'ACTIVE' : 'CREATE FAILED' })),
      { arn: VERSION_ARN, name: nameIn(ref), status: 'CREATE IN_PROGRESS' },
    );
    personalize.on(StopSolutionVersionCreationCommand).resolves({});

    await expect(deleteAfter(ref, 0)).resolves.toEqual({ IsComplete: true });
    expect(personalize).toHaveReceivedCommandTimes(ListSolutionVersionsCommand, 1);
    expect(personalize).toHaveReceivedCommandTimes(DescribeSolutionVersionCommand, 1);
    expect(personalize).toHaveReceivedCommandWith(StopSolutionVersionCreationCommand, { solutionVersionArn: VERSION_ARN });
  });

  it.each([
    ['it is stopping already', new ResourceInUseException({ message: 'in use', $metadata: {} })],
    ['it is gone', sdkErrors.notFound()],
  ])('completes when Stop answers that %s', async (_, error) => {
    const ref = await startTraining();
    versionsAre({ arn: VERSION_ARN, name: nameIn(ref), status: 'CREATE IN_PROGRESS' });
    personalize.on(StopSolutionVersionCreationCommand).rejects(error);
    await expect(deleteAfter(ref, 0)).resolves.toEqual({ IsComplete: true });
  });

  it('keeps trying through faults while AWS is down, then lets the deletion go on and logs how to stop it by hand', async () => {
    const ref = await startTraining();
    personalize.on(ListSolutionVersionsCommand).rejects(sdkErrors.serviceUnavailable());

    await expect(deleteAfter(ref, 60)).resolves.toEqual({ IsComplete: false });
    await expect(deleteAfter(ref, STOP_ON_DELETE_SECONDS - 1)).resolves.toEqual({ IsComplete: false });
    await expect(deleteAfter(ref, STOP_ON_DELETE_SECONDS)).resolves.toEqual({ IsComplete: true });
    expect(logs.text).toContain('Delete: gave up stopping the solution versions this resource started after 5 minutes, and lets the deletion go on.');
    expect(logs.text).toContain(
      `If one still runs, list the versions of ${SOLUTION_ARN} with \\"aws personalize list-solution-versions\\", describe those in CREATE PENDING ` +
        `or CREATE IN_PROGRESS, and stop each whose name ends in -${ownerIn(ref)} and 6 more hex characters with ` +
        '\\"aws personalize stop-solution-version-creation --solution-version-arn <its ARN>\\"',
    );
  });

  it('keeps trying when finding the training takes longer than the handler may, instead of timing out the deletion', async () => {
    const ref = await startTraining();
    versionsAre(...Array.from({ length: 4 }, (_, i) => ({ arn: `${SOLUTION_ARN}/0000000${i}`, name: `other-${i}`, status: 'CREATE IN_PROGRESS' })));
    personalize.on(DescribeSolutionVersionCommand).callsFake(async () => {
      jest.setSystemTime(Date.now() + 20_000);
      return { solutionVersion: { name: 'other' } };
    });

    await expect(deleteAfter(ref, 0)).resolves.toEqual({ IsComplete: false });
    expect(personalize).toHaveReceivedCommandTimes(StopSolutionVersionCreationCommand, 0);
  });

  it('also keeps trying a Stop that is denied or refused, never failing the deletion', async () => {
    const ref = await startTraining();
    versionsAre({ arn: VERSION_ARN, name: nameIn(ref), status: 'CREATE IN_PROGRESS' });
    personalize.on(StopSolutionVersionCreationCommand).rejects(sdkErrors.accessDenied());
    await expect(deleteAfter(ref, 10)).resolves.toEqual({ IsComplete: false });
    personalize.on(StopSolutionVersionCreationCommand).rejects(sdkErrors.unknownClientError());
    await expect(deleteAfter(ref, STOP_ON_DELETE_SECONDS)).resolves.toEqual({ IsComplete: true });
  });

  it('completes a Delete whose poll lost its start time', async () => {
    const ref = await startTraining();
    personalize.on(ListSolutionVersionsCommand).rejects(sdkErrors.serviceUnavailable());
    await expect(isComplete({ ...deleteOf(ref), WaitStartedAt: 'not a time' })).resolves.toEqual({ IsComplete: true });
  });

  it('logs what the Delete did', async () => {
    const ref = await startTraining();
    versionsAre({ arn: VERSION_ARN, name: nameIn(ref), status: 'CREATE IN_PROGRESS' });
    personalize.on(StopSolutionVersionCreationCommand).resolves({});
    await deleteAfter(ref, 0);
    expect(logs.lines).toContainEqual(expect.objectContaining({ message: `Delete: asked Personalize to stop what this resource started: ${nameIn(ref)}`, owner: ownerIn(ref) }));

    versionsAre({ arn: VERSION_ARN, name: nameIn(ref), status: 'ACTIVE' });
    await deleteAfter(ref, 0);
    expect(logs.lines).toContainEqual(expect.objectContaining({ message: 'Delete: no solution version of this resource is running', owner: ownerIn(ref) }));

    personalize.on(ListSolutionVersionsCommand).rejects(sdkErrors.serviceUnavailable());
    await deleteAfter(ref, 0);
    expect(logs.lines).toContainEqual(
      expect.objectContaining({
        message: 'Delete: could not stop the solution versions yet; the next poll tries again',
        owner: ownerIn(ref),
        error: expect.stringContaining('ServiceUnavailable'),
      }),
    );
  });

  it.each([
    ['a waiter, which owns nothing', WAITER_TYPE],
    ['a batch job, which cannot be stopped', 'Custom::PersonalizeBatchSegmentJob'],
    ['an unknown type', 'Custom::SomethingElse'],
  ])('calls nothing for the Delete of %s, even with a training\'s reference', async (_, type) => {
    const ref = await startTraining();
    const event = { ...deleteOf(ref), ResourceType: type };
    await expect(onEvent(event)).resolves.toEqual({ PhysicalResourceId: ref });
    await expect(isComplete({ ...event, WaitStartedAt: NOW.toISOString() })).resolves.toEqual({ IsComplete: true });
    expect(personalize.calls()).toHaveLength(0);
  });

  it.each([
    ['one CloudFormation made up for a cancelled create', 'Local-Model-1A2B3C4D5E6F'],
    ['the provider framework\'s marker', 'AWSCDK::CustomResourceProviderFramework::CREATE_FAILED'],
  ])('finds and stops the training by its name when the Delete\'s physical id is %s', async (_, madeUp) => {
    const ref = await startTraining();
    versionsAre({ arn: VERSION_ARN, name: nameIn(ref), status: 'CREATE IN_PROGRESS' });
    personalize.on(StopSolutionVersionCreationCommand).resolves({});

    await expect(onEvent(deleteOf(madeUp))).resolves.toEqual({ PhysicalResourceId: madeUp, WaitStartedAt: NOW.toISOString() });
    await expect(isComplete({ ...deleteOf(madeUp), WaitStartedAt: NOW.toISOString() })).resolves.toEqual({ IsComplete: true });
    expect(personalize).toHaveReceivedCommandWith(StopSolutionVersionCreationCommand, { solutionVersionArn: VERSION_ARN });
  });

  it('spares a training newer than the one its physical id names: the cleanup of a replaced id leaves the version the resource names now', async () => {
    const old = await startTraining();
    const current = await startTraining({ ...trainingEvent(), RequestId: 'the-update' });
    versionsAre(
      { arn: VERSION_ARN, name: nameIn(old), status: 'CREATE IN_PROGRESS', createdAt: NOW },
      { arn: OTHER_VERSION_ARN, name: nameIn(current), status: 'CREATE IN_PROGRESS', createdAt: new Date(NOW.getTime() + 3600_000) },
    );
    personalize.on(StopSolutionVersionCreationCommand).resolves({});

    await expect(deleteAfter(old, 0)).resolves.toEqual({ IsComplete: true });
    expect(personalize).toHaveReceivedCommandTimes(StopSolutionVersionCreationCommand, 1);
    expect(personalize).toHaveReceivedCommandWith(StopSolutionVersionCreationCommand, { solutionVersionArn: VERSION_ARN });
  });

  it('never stops a training of another resource, another stack, one named by hand or an automatic one', async () => {
    const ref = await startTraining();
    const otherResource = await startTraining({ ...trainingEvent(), LogicalResourceId: 'OtherModel' });
    const otherStack = await startTraining({ ...trainingEvent(), StackId: 'arn:aws:cloudformation:us-east-1:111122223333:stack/other/00000000-0000-0000-0000-000000000000' });
    expect(nameIn(otherResource).slice(0, 'model-'.length)).toBe('model-');
    versionsAre(
      { arn: `${SOLUTION_ARN}/00000001`, name: nameIn(otherResource), status: 'CREATE IN_PROGRESS' },
      { arn: `${SOLUTION_ARN}/00000002`, name: nameIn(otherStack), status: 'CREATE IN_PROGRESS' },
      { arn: `${SOLUTION_ARN}/00000003`, name: 'model-by-hand', status: 'CREATE IN_PROGRESS' },
      { arn: `${SOLUTION_ARN}/00000004`, name: 'promo-autotrain-1a2b3c4d5e6f', status: 'CREATE PENDING' },
      { arn: VERSION_ARN, name: nameIn(ref), status: 'CREATE PENDING' },
    );
    personalize.on(StopSolutionVersionCreationCommand).resolves({});

    await expect(deleteAfter(ref, 0)).resolves.toEqual({ IsComplete: true });
    expect(personalize).toHaveReceivedCommandTimes(StopSolutionVersionCreationCommand, 1);
    expect(personalize).toHaveReceivedCommandWith(StopSolutionVersionCreationCommand, { solutionVersionArn: VERSION_ARN });
  });

  it('calls nothing for a Delete whose Job property does not read, and says so', async () => {
    const event = deleteOf('AWSCDK::CustomResourceProviderFramework::CREATE_FAILED');
    const unreadable = { ...event, ResourceProperties: { ...event.ResourceProperties, Job: training({ SolutionArn: 'not an ARN' }) } };
    await expect(onEvent(unreadable)).resolves.toEqual({ PhysicalResourceId: 'AWSCDK::CustomResourceProviderFramework::CREATE_FAILED' });
    expect(personalize.calls()).toHaveLength(0);
    expect(logs.lines).toContainEqual(expect.objectContaining({ message: 'Delete: nothing to stop, since the Job property does not read', error: expect.stringContaining('not an ARN') }));
  });
});

describe('a training that follows imports', () => {
  const IMPORT_1 = 'arn:aws:personalize:us-east-1:111122223333:dataset-import-job/interactions-1';
  const IMPORT_2 = 'arn:aws:personalize:us-east-1:111122223333:dataset-import-job/interactions-2';
  const following = (...imports: string[]) => trainingProperties({ Job: training({ AfterImports: imports }) });

  it('names in its reference which imports it followed, whatever their order', async () => {
    const a = await startTraining(trainingEvent(following(IMPORT_1, IMPORT_2)));
    const b = await startTraining(trainingEvent(following(IMPORT_2, IMPORT_1)));
    expect(a).toMatch(new RegExp(`^${SOLUTION_ARN}#model-[0-9a-f]{12}#[0-9a-f]{12}$`));
    expect(b).toBe(a);
    expect(await startTraining(trainingEvent(following(IMPORT_1)))).not.toBe(a);
    expect(await startTraining(trainingEvent(following(`${IMPORT_1}a`, 'b')))).not.toBe(await startTraining(trainingEvent(following(IMPORT_1, 'ab'))));
  });

  it('trains anew when an import changed, though Personalize describes the old version as made from the same solution', async () => {
    const ref = await startTraining(trainingEvent(following(IMPORT_1)));
    versionsAre({ arn: VERSION_ARN, name: nameIn(ref).split('#')[0], status: 'ACTIVE' });
    personalize.on(GetSolutionMetricsCommand).resolves({ metrics: {} });
    personalize.on(CreateSolutionVersionCommand).resolves({ solutionVersionArn: OTHER_VERSION_ARN });
    const update = { ...updateEvent(following(IMPORT_2), following(IMPORT_1), ref), RequestId: 'new-data', ResourceType: JOB_TYPE };

    const { PhysicalResourceId } = await onEvent(update);
    expect(PhysicalResourceId).not.toBe(ref);
    expect(personalize).toHaveReceivedCommandTimes(CreateSolutionVersionCommand, 1);
  });

  it('keeps the version a rollback asks for again when it followed the same imports', async () => {
    const ref = await startTraining(trainingEvent(following(IMPORT_1)));
    versionsAre({ arn: VERSION_ARN, name: nameIn(ref).split('#')[0], status: 'ACTIVE' });
    personalize.on(GetSolutionMetricsCommand).resolves({ metrics: {} });
    const rollback = { ...updateEvent(following(IMPORT_1), following(IMPORT_2), ref), RequestId: 'rollback-imports', ResourceType: JOB_TYPE };

    await expect(onEvent(rollback)).resolves.toMatchObject({ PhysicalResourceId: ref });
    expect(personalize).toHaveReceivedCommandTimes(CreateSolutionVersionCommand, 0);
  });

  it.each([['interactions-1'], [[7]], [['']], [[{ length: 1 }]]])('refuses AfterImports %j before any call', async (value) => {
    await expect(onEvent(trainingEvent(trainingProperties({ Job: training({ AfterImports: value }) })))).rejects.toThrow(
      'The Job property\'s AfterImports must be a list of dataset import job ARNs',
    );
    expect(personalize.calls()).toHaveLength(0);
  });

  it('follows no import when the list is empty', async () => {
    const ref = await startTraining(trainingEvent(following()));
    expect(ref.split('#')).toHaveLength(2);
  });
});

describe('updating a training', () => {
  it('stops the training a cancelled update started when the rollback asks for the old version again, and keeps the old one', async () => {
    const ref = await startTraining();
    const cancelled = await startTraining({ ...trainingEvent(trainingProperties({ Job: training({ TrainingMode: 'UPDATE' }) })), RequestId: 'cancelled-update' });
    versionsAre({ arn: VERSION_ARN, name: nameIn(ref), status: 'ACTIVE' }, { arn: OTHER_VERSION_ARN, name: nameIn(cancelled), status: 'CREATE IN_PROGRESS' });
    personalize.on(StopSolutionVersionCreationCommand).resolves({});
    const rollback = {
      ...updateEvent(trainingProperties(), trainingProperties({ Job: training({ TrainingMode: 'UPDATE' }) }), ref),
      RequestId: 'rollback-0002',
      ResourceType: JOB_TYPE,
    };

    await expect(onEvent(rollback)).resolves.toMatchObject({ PhysicalResourceId: ref });
    expect(personalize).toHaveReceivedCommandTimes(StopSolutionVersionCreationCommand, 1);
    expect(personalize).toHaveReceivedCommandWith(StopSolutionVersionCreationCommand, { solutionVersionArn: OTHER_VERSION_ARN });
    expect(personalize).toHaveReceivedCommandTimes(CreateSolutionVersionCommand, 0);
    expect(logs.lines).toContainEqual(
      expect.objectContaining({ message: `Asked Personalize to stop what this resource started before and no longer names: ${nameIn(cancelled)}`, kept: ref }),
    );
  });

  it('stops an earlier training of the resource still running when an update starts a new one, and never the new one', async () => {
    const ref = await startTraining();
    versionsAre({ arn: VERSION_ARN, name: nameIn(ref), status: 'CREATE IN_PROGRESS' });
    personalize.on(StopSolutionVersionCreationCommand).resolves({});
    personalize.on(CreateSolutionVersionCommand).resolves({ solutionVersionArn: OTHER_VERSION_ARN });
    const update = {
      ...updateEvent(trainingProperties({ Job: training({ TrainingMode: 'UPDATE' }) }), trainingProperties(), ref),
      RequestId: 'c0ffee01-0000-0000-0000-000000000000',
      ResourceType: JOB_TYPE,
    };

    const answer = await onEvent(update);
    expect(answer.PhysicalResourceId).not.toBe(ref);
    expect(personalize).toHaveReceivedCommandTimes(StopSolutionVersionCreationCommand, 1);
    expect(personalize).toHaveReceivedCommandWith(StopSolutionVersionCreationCommand, { solutionVersionArn: VERSION_ARN });
    expect(personalize).toHaveReceivedCommandTimes(CreateSolutionVersionCommand, 1);
  });

  it('goes on with the update when the lookup of earlier trainings fails, and logs how to stop them by hand', async () => {
    const ref = await startTraining();
    personalize.on(ListSolutionVersionsCommand).rejects(sdkErrors.serviceUnavailable());
    const update = { ...updateEvent(trainingProperties({ TimeoutSeconds: '1800' }), trainingProperties(), ref), ResourceType: JOB_TYPE };

    await expect(onEvent(update)).resolves.toMatchObject({ PhysicalResourceId: ref });
    expect(logs.lines).toContainEqual(
      expect.objectContaining({
        level: 'ERROR',
        message: expect.stringMatching(
          new RegExp(`^Could not look for solution versions this resource started before \\(ServiceUnavailable.*\\); the update goes on\\. If one other than ${nameIn(ref)} still runs, list the versions of`),
        ),
      }),
    );
  });

  it('keeps the version when only the gate changed, and checks it again', async () => {
    const ref = await startTraining();
    versionsAre({ arn: VERSION_ARN, name: nameIn(ref), status: 'ACTIVE' });
    personalize.on(GetSolutionMetricsCommand).resolves({ metrics: { coverage: 0.3 } });
    const event = { ...updateEvent(trainingProperties({ MinimumMetrics: { coverage: '0.5' } }), trainingProperties(), ref), ResourceType: JOB_TYPE };

    await expect(onEvent(event)).resolves.toMatchObject({ PhysicalResourceId: ref });
    await expect(poll(event, ref, 60)).rejects.toThrow('coverage is 0.3, below its minimum of 0.5');
    expect(personalize).toHaveReceivedCommandTimes(CreateSolutionVersionCommand, 0);
  });

  it('trains a new version when the training mode changes', async () => {
    const ref = await startTraining();
    personalize.on(ListSolutionVersionsCommand).resolves({ solutionVersions: [] });
    personalize.on(CreateSolutionVersionCommand).resolves({ solutionVersionArn: OTHER_VERSION_ARN });
    const event = {
      ...updateEvent(trainingProperties({ Job: training({ TrainingMode: 'UPDATE' }) }), trainingProperties(), ref),
      RequestId: 'c0ffee00-0000-0000-0000-000000000000',
      ResourceType: JOB_TYPE,
    };

    const answer = await onEvent(event);
    expect(answer.PhysicalResourceId).not.toBe(ref);
    expect(personalize).toHaveReceivedCommandWith(CreateSolutionVersionCommand, { trainingMode: 'UPDATE', name: nameIn(answer.PhysicalResourceId) });
  });

  it.each([
    ['another solution', { solutionArn: `${SOLUTION_ARN}-old` }],
    ['another training mode', { trainingMode: 'UPDATE' as const }],
  ])('trains anew on a rollback when the version it points at was trained from %s', async (_, described) => {
    const ref = await startTraining();
    personalize.on(ListSolutionVersionsCommand).resolves({ solutionVersions: [{ solutionVersionArn: VERSION_ARN, creationDateTime: NOW }] });
    personalize.on(DescribeSolutionVersionCommand).resolves({
      solutionVersion: { solutionVersionArn: VERSION_ARN, name: nameIn(ref), solutionArn: SOLUTION_ARN, status: 'ACTIVE', ...described },
    });
    personalize.on(GetSolutionMetricsCommand).resolves({ metrics: {} });
    personalize.on(CreateSolutionVersionCommand).resolves({ solutionVersionArn: OTHER_VERSION_ARN });
    const rollback = {
      ...updateEvent(trainingProperties(), trainingProperties({ Job: training({ TrainingMode: 'UPDATE', SolutionArn: `${SOLUTION_ARN}-new` }) }), ref),
      RequestId: 'rollback-0000',
      ResourceType: JOB_TYPE,
    };

    await expect(onEvent(rollback)).resolves.not.toMatchObject({ PhysicalResourceId: ref });
  });

  it('keeps the version a rollback asks for again, when it was trained from the same solution and mode', async () => {
    const ref = await startTraining();
    versionsAre({ arn: VERSION_ARN, name: nameIn(ref), status: 'ACTIVE' });
    personalize.on(GetSolutionMetricsCommand).resolves({ metrics: {} });
    const rollback = {
      ...updateEvent(trainingProperties(), trainingProperties({ Job: training({ TrainingMode: 'UPDATE' }) }), ref),
      RequestId: 'rollback-0001',
      ResourceType: JOB_TYPE,
    };

    await expect(onEvent(rollback)).resolves.toMatchObject({ PhysicalResourceId: ref });
    expect(personalize).toHaveReceivedCommandTimes(CreateSolutionVersionCommand, 0);
  });
});

describe('a training\'s reference', () => {
  it.each([
    [`${SOLUTION_ARN}#model-1a2b3c4d5e6f`, { solutionArn: SOLUTION_ARN, versionName: 'model-1a2b3c4d5e6f' }],
    [`${SOLUTION_ARN}#model-1#0123456789ab`, { solutionArn: SOLUTION_ARN, versionName: 'model-1', dataHash: '0123456789ab' }],
    [`${SOLUTION_ARN}#model-1#0123456789ab#x`, undefined],
    [`${SOLUTION_ARN}#model-1#0123456789AB`, undefined],
    [`${SOLUTION_ARN}#model-1#x0123456789ab`, undefined],
    [`${SOLUTION_ARN}#a#b`, undefined],
    ['model-1a2b3c4d5e6f', undefined],
    ['#model-1', undefined],
    [`${SOLUTION_ARN}#`, undefined],
    [`${SOLUTION_ARN}#-model`, undefined],
    [`${VERSION_ARN}#model`, undefined],
  ])('reads %j as %j', (ref, parsed) => {
    expect(parseTrainingRef(ref)).toEqual(parsed);
  });
});

describe('finding a training by name', () => {
  it('says which solution, name and window it looked in when none has the name', async () => {
    personalize.on(ListSolutionVersionsCommand).resolves({ solutionVersions: [] });
    await expect(describeVersionNamed(new PersonalizeClient({ region: 'us-east-1' }), SOLUTION_ARN, 'model-1')).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: `Solution ${SOLUTION_ARN} has no version named model-1 created in the last 13 hours.`,
    });
  });
});

describe('reading the quality gate', () => {
  it('takes minimums given as numbers as well as the strings CloudFormation sends', () => {
    expect(readQualityGate({ MinimumMetrics: { coverage: 0.2, precision_at_5: '0.1' } })).toEqual({
      minimumMetrics: { coverage: 0.2, precision_at_5: 0.1 },
      metricNames: [],
    });
  });

  it('takes a gate that is null for no gate', () => {
    expect(readQualityGate({ MinimumMetrics: null, MetricNames: null })).toEqual({ minimumMetrics: {}, metricNames: [] });
  });
});
