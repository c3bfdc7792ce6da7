import {
  CreateDatasetImportJobCommand,
  DescribeDatasetImportJobCommand,
  ListDatasetImportJobsCommand,
  ListTagsForResourceCommand,
  PersonalizeClient,
  ResourceInUseException,
} from '@aws-sdk/client-personalize';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { handler as isComplete } from '../../lambda/engine/is-complete';
import { datasetImportJob, readImportDefinition } from '../../lambda/kinds/dataset-import-job/kind';
import { ImportAttribute } from '../../lib/kinds/dataset-import-job/contract';
import { ownerHash } from '../../lambda/engine/job-name';
import { handler as onEvent } from '../../lambda/engine/on-event';
import { CapturedLogs } from '../support/captured-logs';
import { createEvent, deleteEvent, JOB_ROLE_ARN, updateEvent, waiterProperties } from '../support/events';
import { sdkErrors } from '../support/sdk-errors';

const personalize = mockClient(PersonalizeClient);
const logs = new CapturedLogs();
const NOW = new Date('2026-11-28T10:00:00.000Z');
const DATASET_ARN = 'arn:aws:personalize:us-east-1:111122223333:dataset/promo/INTERACTIONS';
const JOB_TYPE = 'Custom::PersonalizeDatasetImportJob';
const WAITER_TYPE = 'Custom::PersonalizeDatasetImportJobWaiter';
const IMPORT_ARN_OF = (name: string) => `arn:aws:personalize:us-east-1:111122223333:dataset-import-job/${name}`;
/** The physical id of support/events.ts's import resource: its dataset and owner, kept across updates. */
const KEPT_ID = `${DATASET_ARN}#${ownerHash(createEvent().StackId, createEvent().LogicalResourceId)}`;

function importJob(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { NamePrefix: 'interactions', DatasetArn: DATASET_ARN, DataLocation: 's3://promo-data/interactions.csv', RoleArn: JOB_ROLE_ARN, DataVersion: 'v1', ...overrides };
}

function importProperties(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return waiterProperties({ BatchSegmentJobArn: undefined, Job: importJob(), ...overrides });
}

function importEvent(properties = importProperties()): CloudFormationCustomResourceEvent {
  return { ...createEvent(properties), ResourceType: JOB_TYPE };
}

function poll(event: CloudFormationCustomResourceEvent, jobArn: string, elapsedSeconds: number) {
  jest.setSystemTime(NOW.getTime() + elapsedSeconds * 1000);
  return isComplete({ ...event, PhysicalResourceId: jobArn, WaitStartedAt: NOW.toISOString() });
}

/** The imports into the dataset, as ListDatasetImportJobs summarizes them. */
function importsAre(...imports: { name: string; status: string; createdAt?: Date }[]): void {
  personalize.on(ListDatasetImportJobsCommand).resolves({
    datasetImportJobs: imports.map((imported) => ({ datasetImportJobArn: IMPORT_ARN_OF(imported.name), jobName: imported.name, status: imported.status, creationDateTime: imported.createdAt ?? NOW })),
  });
}

/** Starts an import; answers the job onEvent named and the physical id it answered. */
async function startImport(event: CloudFormationCustomResourceEvent): Promise<{ jobArn: string; physicalId: string }> {
  const answer = await onEvent(event);
  return { jobArn: answer.JobRef ?? answer.PhysicalResourceId, physicalId: answer.PhysicalResourceId };
}

beforeEach(() => {
  personalize.reset();
  importsAre();
  jest.useFakeTimers({ now: NOW, doNotFake: ['setTimeout', 'setImmediate', 'nextTick', 'queueMicrotask'] });
  logs.start();
});

afterEach(() => {
  logs.stop();
  jest.useRealTimers();
});

describe('importing into a dataset', () => {
  it('creates the import, named from the request, in the dataset\'s region, with its settings', async () => {
    personalize.on(DescribeDatasetImportJobCommand).rejects(sdkErrors.notFound());
    personalize.on(CreateDatasetImportJobCommand).resolves({});

    const { jobArn, physicalId } = await startImport(
      importEvent(importProperties({ Job: importJob({ ImportMode: 'INCREMENTAL', PublishAttributionMetricsToS3: 'true', Tags: { team: 'recs' } }) })),
    );

    expect(jobArn).toMatch(/^arn:aws:personalize:us-east-1:111122223333:dataset-import-job\/interactions-[0-9a-f]{12}$/);
    expect(physicalId).toBe(KEPT_ID);
    expect(personalize).toHaveReceivedCommandWith(CreateDatasetImportJobCommand, {
      jobName: jobArn.split('/')[1],
      datasetArn: DATASET_ARN,
      dataSource: { dataLocation: 's3://promo-data/interactions.csv' },
      roleArn: JOB_ROLE_ARN,
      importMode: 'INCREMENTAL',
      publishAttributionMetricsToS3: true,
      tags: [
        { tagKey: 'team', tagValue: 'recs' },
        { tagKey: 'cdk-personalize-batch-jobs:definition', tagValue: expect.stringMatching(/^[0-9a-f]{32}$/) },
      ],
    });
  });

  it('answers the import\'s attributes once it is ACTIVE', async () => {
    const arn = IMPORT_ARN_OF('interactions-1');
    personalize.on(DescribeDatasetImportJobCommand).resolves({
      datasetImportJob: {
        datasetImportJobArn: arn,
        jobName: 'interactions-1',
        status: 'ACTIVE',
        datasetArn: DATASET_ARN,
        importMode: 'FULL',
        dataSource: { dataLocation: 's3://promo-data/interactions.csv' },
        roleArn: JOB_ROLE_ARN,
        publishAttributionMetricsToS3: false,
        creationDateTime: NOW,
        lastUpdatedDateTime: NOW,
      },
    });

    await expect(poll(importEvent(), arn, 60)).resolves.toEqual({
      IsComplete: true,
      Data: {
        DatasetImportJobArn: arn,
        JobName: 'interactions-1',
        Status: 'ACTIVE',
        DatasetArn: DATASET_ARN,
        ImportMode: 'FULL',
        DataLocation: 's3://promo-data/interactions.csv',
        RoleArn: JOB_ROLE_ARN,
        PublishAttributionMetricsToS3: 'false',
        FailureReason: '',
        CreationDateTime: NOW.toISOString(),
        LastUpdatedDateTime: NOW.toISOString(),
      },
    });
  });

  it('answers empty attributes for what Personalize did not describe', async () => {
    personalize.on(DescribeDatasetImportJobCommand).resolves({ datasetImportJob: { status: 'ACTIVE' } });
    const answer = await poll(importEvent(), IMPORT_ARN_OF('x'), 60);
    expect(answer.Data).toMatchObject({ JobName: '', DatasetArn: '', ImportMode: '', DataLocation: '', PublishAttributionMetricsToS3: '', CreationDateTime: '' });
  });

  it('waits, without failing, for a dataset that is not ACTIVE yet', async () => {
    personalize.on(DescribeDatasetImportJobCommand).rejects(sdkErrors.notFound());
    personalize.on(CreateDatasetImportJobCommand).rejects(new ResourceInUseException({ message: 'Dataset is in CREATE IN_PROGRESS', $metadata: {} }));
    const event = importEvent(importProperties({ TimeoutSeconds: '600' }));
    const { jobArn: PhysicalResourceId } = await startImport(event);

    await expect(poll(event, PhysicalResourceId, 300)).resolves.toEqual({ IsComplete: false });
    await expect(poll(event, PhysicalResourceId, 600)).rejects.toThrow(`its last status was not created yet: dataset ${DATASET_ARN} is not ready to import into`);
  });

  it('waits for a slot while the region has five imports in progress', async () => {
    personalize.on(DescribeDatasetImportJobCommand).rejects(sdkErrors.notFound());
    personalize.on(CreateDatasetImportJobCommand).rejects(sdkErrors.limitExceeded());
    const event = importEvent(importProperties({ TimeoutSeconds: '600' }));
    const { jobArn: PhysicalResourceId } = await startImport(event);

    await expect(poll(event, PhysicalResourceId, 600)).rejects.toThrow('limit of five pending or in-progress dataset import jobs');
  });

  it('fails at once, naming the dataset, when it does not exist', async () => {
    personalize.on(DescribeDatasetImportJobCommand).rejects(sdkErrors.notFound());
    personalize.on(CreateDatasetImportJobCommand).rejects(sdkErrors.notFound());
    await expect(onEvent(importEvent())).rejects.toThrow(`Personalize could not find the dataset ${DATASET_ARN}: check that it exists and lives in us-east-1.`);
  });

  it('says what to check when Personalize keeps rejecting the import\'s settings', async () => {
    personalize.on(DescribeDatasetImportJobCommand).rejects(sdkErrors.notFound());
    personalize.on(CreateDatasetImportJobCommand).rejects(sdkErrors.invalidInput());
    const { jobArn: PhysicalResourceId } = await startImport(importEvent());
    await expect(poll(importEvent(), PhysicalResourceId, 60)).rejects.toThrow('check the data location (a CSV file, or a folder of them), the role it names');
  });

  it('starts no import while another into the dataset still runs, and starts it once that one has ended', async () => {
    personalize.on(DescribeDatasetImportJobCommand).rejects(sdkErrors.notFound());
    personalize.on(CreateDatasetImportJobCommand).resolves({});
    importsAre({ name: 'cancelled-update-import', status: 'CREATE IN_PROGRESS' });
    const event = importEvent(importProperties({ TimeoutSeconds: '3600' }));

    const { jobArn } = await startImport(event);
    await expect(poll(event, jobArn, 60)).resolves.toEqual({ IsComplete: false });
    expect(personalize).toHaveReceivedCommandTimes(CreateDatasetImportJobCommand, 0);
    expect(logs.lines).toContainEqual(
      expect.objectContaining({
        message: 'Waiting to create the dataset import job',
        error: expect.stringContaining(`Import ${IMPORT_ARN_OF('cancelled-update-import')} into dataset ${DATASET_ARN} is still CREATE IN_PROGRESS.`),
      }),
    );

    importsAre({ name: 'cancelled-update-import', status: 'ACTIVE' }, { name: jobArn.split('/')[1], status: 'CREATE FAILED' });
    await expect(poll(event, jobArn, 120)).resolves.toEqual({ IsComplete: false });
    expect(personalize).toHaveReceivedCommandTimes(CreateDatasetImportJobCommand, 1);
  });

  it('does not wait for itself: an import of its own name that runs is the one it created', async () => {
    personalize.on(DescribeDatasetImportJobCommand).rejects(sdkErrors.notFound());
    personalize.on(CreateDatasetImportJobCommand).rejects(new ResourceInUseException({ message: 'from Personalize', $metadata: {} }));
    const event = importEvent();
    const { jobArn } = await startImport(event);
    importsAre({ name: jobArn.split('/')[1], status: 'CREATE PENDING' });
    personalize.resetHistory();

    await poll(event, jobArn, 60);
    expect(personalize).toHaveReceivedCommandTimes(CreateDatasetImportJobCommand, 1);
  });

  it('fails when the import ends CREATE FAILED, with the reason', async () => {
    personalize.on(DescribeDatasetImportJobCommand).resolves({ datasetImportJob: { status: 'CREATE FAILED', failureReason: 'Column USER_ID missing' } });
    await expect(poll(importEvent(), IMPORT_ARN_OF('x'), 60)).rejects.toThrow(/Dataset import job .* ended CREATE FAILED\..*Column USER_ID missing/);
  });

  it.each([
    [{ ImportMode: 'REPLACE' }, 'The Job property\'s ImportMode must be one of FULL, INCREMENTAL; got "REPLACE".'],
    [{ PublishAttributionMetricsToS3: 'yes' }, 'The Job property\'s PublishAttributionMetricsToS3 must be "true" or "false"; got "yes".'],
    [{ DataVersion: 7 }, 'The Job property\'s DataVersion must be a string; got 7.'],
    [{ DatasetArn: 'promo' }, 'The Job property\'s DatasetArn must be a dataset ARN such as arn:aws:personalize:us-east-1:111122223333:dataset/promo/INTERACTIONS'],
    [{ DataLocation: 'promo-data/x.csv' }, 'The Job property\'s DataLocation must be an S3 path such as s3://bucket/interactions.csv'],
  ])('refuses %j before any call', async (overrides, message) => {
    await expect(onEvent(importEvent(importProperties({ Job: importJob(overrides) })))).rejects.toThrow(message);
    expect(personalize.calls()).toHaveLength(0);
  });
});

describe('updating an import', () => {
  const current = 'interactions-' + ownerHash(createEvent().StackId, createEvent().LogicalResourceId) + '1a2b3c';
  const update = (job: Record<string, unknown>, oldJob: Record<string, unknown>, overrides: Record<string, unknown> = {}, requestId = 'update-request') => ({
    ...updateEvent(importProperties({ Job: importJob(job), ...overrides }), importProperties({ Job: importJob(oldJob) }), KEPT_ID),
    RequestId: requestId,
    ResourceType: JOB_TYPE,
  });

  it('starts a new import when the data version changes, and keeps its physical id', async () => {
    importsAre({ name: current, status: 'ACTIVE' });
    personalize.on(DescribeDatasetImportJobCommand).rejects(sdkErrors.notFound());
    personalize.on(CreateDatasetImportJobCommand).resolves({});

    const { jobArn, physicalId } = await startImport(update({ DataVersion: 'v2' }, {}));
    expect(physicalId).toBe(KEPT_ID);
    expect(jobArn).not.toBe(IMPORT_ARN_OF(current));
    expect(personalize).toHaveReceivedCommandTimes(CreateDatasetImportJobCommand, 1);
  });

  it('keeps the import it made last when only the tags or the wait changed', async () => {
    importsAre(
      { name: 'interactions-' + '0'.repeat(12), status: 'ACTIVE', createdAt: new Date(NOW.getTime() + 60_000) },
      { name: current, status: 'ACTIVE' },
      { name: 'interactions-' + ownerHash(createEvent().StackId, createEvent().LogicalResourceId) + '000000', status: 'ACTIVE', createdAt: new Date(NOW.getTime() - 60_000) },
    );
    personalize.on(DescribeDatasetImportJobCommand).resolves({ datasetImportJob: { status: 'ACTIVE' } });

    await expect(startImport(update({ Tags: { team: 'recs' } }, {}, { TimeoutSeconds: '1200' }))).resolves.toEqual({ jobArn: IMPORT_ARN_OF(current), physicalId: KEPT_ID });
    expect(personalize).toHaveReceivedCommandTimes(CreateDatasetImportJobCommand, 0);
  });

  it('imports from its definition when the lookup of its last import fails, and says so', async () => {
    personalize.on(ListDatasetImportJobsCommand).rejectsOnce(sdkErrors.serviceUnavailable()).resolves({ datasetImportJobs: [] });
    personalize.on(DescribeDatasetImportJobCommand).rejects(sdkErrors.notFound());
    personalize.on(CreateDatasetImportJobCommand).resolves({});

    await expect(startImport(update({ Tags: { team: 'recs' } }, {}))).resolves.toMatchObject({ physicalId: KEPT_ID });
    expect(personalize).toHaveReceivedCommandTimes(CreateDatasetImportJobCommand, 1);
    expect(logs.lines).toContainEqual(expect.objectContaining({ message: 'Could not look up the dataset import job this resource made last; it starts one from its definition' }));
  });

  const describedAsMadeFromTheSameSettings = {
    datasetImportJob: { status: 'ACTIVE', datasetArn: DATASET_ARN, dataSource: { dataLocation: 's3://promo-data/interactions.csv' }, roleArn: JOB_ROLE_ARN },
  };

  it('keeps the import a rollback asks for again when the last one is described as made from the same settings, without a data version', async () => {
    importsAre({ name: current, status: 'ACTIVE' });
    personalize.on(DescribeDatasetImportJobCommand).resolves(describedAsMadeFromTheSameSettings);
    const rollback = update({ DataVersion: undefined }, { RoleArn: `${JOB_ROLE_ARN}2` }, {}, 'rollback');

    await expect(startImport(rollback)).resolves.toEqual({ jobArn: IMPORT_ARN_OF(current), physicalId: KEPT_ID });
    expect(personalize).toHaveReceivedCommandTimes(CreateDatasetImportJobCommand, 0);
  });

  it('imports the old data again on the reverse Update of a rolled-back import, once the new import has ended', async () => {
    const newImport = 'interactions-' + ownerHash(createEvent().StackId, createEvent().LogicalResourceId) + 'fedcba';
    importsAre({ name: current, status: 'ACTIVE' }, { name: newImport, status: 'CREATE IN_PROGRESS', createdAt: new Date(NOW.getTime() + 1000) });
    personalize.on(DescribeDatasetImportJobCommand).rejects(sdkErrors.notFound());
    personalize.on(CreateDatasetImportJobCommand).resolves({});
    const rollback = update({ DataVersion: 'v1' }, { DataVersion: 'v2' }, {}, 'rollback');

    const { jobArn, physicalId } = await startImport(rollback);
    expect(physicalId).toBe(KEPT_ID);
    expect([IMPORT_ARN_OF(current), IMPORT_ARN_OF(newImport)]).not.toContain(jobArn);
    expect(personalize).toHaveReceivedCommandTimes(CreateDatasetImportJobCommand, 0);

    importsAre({ name: current, status: 'ACTIVE' }, { name: newImport, status: 'ACTIVE', createdAt: new Date(NOW.getTime() + 1000) });
    await poll(rollback, jobArn, 60);
    expect(personalize).toHaveReceivedCommandWith(CreateDatasetImportJobCommand, { jobName: jobArn.split('/')[1], dataSource: { dataLocation: 's3://promo-data/interactions.csv' } });
  });

  it('imports the data again for an update to another data version, though Personalize describes the last import as the same', async () => {
    importsAre({ name: current, status: 'ACTIVE' });
    personalize.on(DescribeDatasetImportJobCommand, { datasetImportJobArn: IMPORT_ARN_OF(current) }).resolves(describedAsMadeFromTheSameSettings);
    personalize.on(DescribeDatasetImportJobCommand).rejects(sdkErrors.notFound());
    personalize.on(CreateDatasetImportJobCommand).resolves({});

    await expect(startImport(update({ DataVersion: 'v2' }, {}, {}, 'data-changed'))).resolves.not.toMatchObject({ jobArn: IMPORT_ARN_OF(current) });
    expect(personalize).toHaveReceivedCommandTimes(CreateDatasetImportJobCommand, 1);
  });
});

describe('adopting an import made before (reuseWithin)', () => {
  const DAY = '86400';
  const tagged = (hash: string) => ({ tags: [{ tagKey: 'cdk-personalize-batch-jobs:definition', tagValue: hash }] });
  let definitionTag = '';

  beforeEach(async () => {
    // The definition tag an import of importJob() is created with.
    personalize.on(DescribeDatasetImportJobCommand).rejects(sdkErrors.notFound());
    personalize.on(CreateDatasetImportJobCommand).resolves({});
    await onEvent(importEvent(importProperties({ Job: importJob({ ReuseWithinSeconds: '0' }) })));
    const tags = personalize.commandCalls(CreateDatasetImportJobCommand)[0].args[0].input.tags!;
    definitionTag = tags.find((tag) => tag.tagKey === 'cdk-personalize-batch-jobs:definition')!.tagValue!;
    personalize.reset();
    personalize.on(DescribeDatasetImportJobCommand).rejects(sdkErrors.notFound());
    personalize.on(CreateDatasetImportJobCommand).resolves({});
  });

  const reusable = () => importEvent(importProperties({ Job: importJob({ ReuseWithinSeconds: DAY }) }));

  it('adopts the latest import into the dataset when this construct made it from the same definition, within the window, and it is ACTIVE', async () => {
    importsAre({ name: 'interactions-0123456789ab', status: 'ACTIVE', createdAt: new Date(NOW.getTime() - 3600_000) });
    personalize.on(ListTagsForResourceCommand).resolves(tagged(definitionTag));
    personalize.on(DescribeDatasetImportJobCommand, { datasetImportJobArn: IMPORT_ARN_OF('interactions-0123456789ab') }).resolves({ datasetImportJob: { status: 'ACTIVE' } });

    const answer = await onEvent(reusable());

    expect(answer).toMatchObject({ JobRef: IMPORT_ARN_OF('interactions-0123456789ab'), Data: { Reused: 'true' } });
    expect(personalize).toHaveReceivedCommandTimes(CreateDatasetImportJobCommand, 0);
    expect(logs.lines).toContainEqual(expect.objectContaining({ message: 'Reusing dataset import job interactions-0123456789ab, made from the same definition 1h ago' }));
  });

  it.each([
    ['another import into the dataset started since', [{ name: 'interactions-0123456789ab', status: 'ACTIVE', createdAt: new Date(NOW.getTime() - 7200_000) }, { name: 'by-hand', status: 'ACTIVE', createdAt: new Date(NOW.getTime() - 3600_000) }]],
    ['it failed', [{ name: 'interactions-0123456789ab', status: 'CREATE FAILED' }]],
    ['it is older than the window', [{ name: 'interactions-0123456789ab', status: 'ACTIVE', createdAt: new Date(NOW.getTime() - 86_401_000) }]],
    ['another construct made it', [{ name: 'items-0123456789ab', status: 'ACTIVE' }]],
  ])('imports anew when %s', async (_, imports) => {
    importsAre(...imports);
    personalize.on(ListTagsForResourceCommand).resolves(tagged(definitionTag));

    await expect(onEvent(reusable())).resolves.toMatchObject({ Data: { Reused: 'false' } });
    expect(personalize).toHaveReceivedCommandTimes(CreateDatasetImportJobCommand, 1);
  });

  it('imports anew when the latest import was made from another definition, or the tags cannot be read', async () => {
    importsAre({ name: 'interactions-0123456789ab', status: 'ACTIVE' });
    personalize.on(ListTagsForResourceCommand).resolves(tagged('another-definition'));
    await expect(onEvent(reusable())).resolves.toMatchObject({ Data: { Reused: 'false' } });

    personalize.on(ListTagsForResourceCommand).rejects(sdkErrors.accessDenied());
    await expect(onEvent({ ...reusable(), RequestId: 'another' })).resolves.toMatchObject({ Data: { Reused: 'false' } });
    expect(logs.lines).toContainEqual(expect.objectContaining({ message: 'Could not look for a dataset import job to reuse; this request starts its own' }));
  });

  it('refuses a window that is not a whole number of seconds up to 30 days', async () => {
    await expect(onEvent(importEvent(importProperties({ Job: importJob({ ReuseWithinSeconds: '2592001' }) })))).rejects.toThrow(
      'The Job property\'s ReuseWithinSeconds must be a whole number of seconds from 0 to 2592000; got "2592001".',
    );
    await expect(onEvent(importEvent(importProperties({ Job: importJob({ ReuseWithinSeconds: '1.5' }) })))).rejects.toThrow('got "1.5"');
  });
});

describe('waiting for an import started elsewhere', () => {
  it('describes it by its ARN and deletes without calling Personalize', async () => {
    const arn = IMPORT_ARN_OF('nightly');
    const waiter = { ...createEvent(waiterProperties({ BatchSegmentJobArn: undefined, DatasetImportJobArn: arn })), ResourceType: WAITER_TYPE };
    personalize.on(DescribeDatasetImportJobCommand).resolves({ datasetImportJob: { status: 'CREATE IN_PROGRESS' } });

    await expect(onEvent(waiter)).resolves.toMatchObject({ PhysicalResourceId: arn });
    expect(personalize).toHaveReceivedCommandWith(DescribeDatasetImportJobCommand, { datasetImportJobArn: arn });
    personalize.reset();
    const deletion = { ...deleteEvent(), ResourceType: WAITER_TYPE, PhysicalResourceId: arn } as CloudFormationCustomResourceEvent;
    await expect(onEvent(deletion)).resolves.toEqual({ PhysicalResourceId: arn });
    expect(personalize.calls()).toHaveLength(0);
  });
});

describe('reading an import\'s definition', () => {
  const base = { NamePrefix: 'interactions', DatasetArn: DATASET_ARN, DataLocation: 's3://promo-data/interactions.csv', RoleArn: JOB_ROLE_ARN };

  it('reads every field, leaving out the empty ones', () => {
    expect(readImportDefinition({ ...base, ImportMode: 'INCREMENTAL', PublishAttributionMetricsToS3: 'false', DataVersion: 'v1', Tags: { a: 'b' } })).toEqual({
      namePrefix: 'interactions',
      datasetArn: DATASET_ARN,
      dataLocation: 's3://promo-data/interactions.csv',
      roleArn: JOB_ROLE_ARN,
      importMode: 'INCREMENTAL',
      publishAttributionMetricsToS3: false,
      dataVersion: 'v1',
      tags: { a: 'b' },
    });
    expect(readImportDefinition({ ...base, ImportMode: '', DataVersion: '' })).toEqual({
      namePrefix: 'interactions',
      datasetArn: DATASET_ARN,
      dataLocation: 's3://promo-data/interactions.csv',
      roleArn: JOB_ROLE_ARN,
      tags: {},
    });
  });

  it.each([
    ['true', true],
    [true, true],
    ['false', false],
    [false, false],
  ])('reads PublishAttributionMetricsToS3 %j as %j', (value, expected) => {
    expect(readImportDefinition({ ...base, PublishAttributionMetricsToS3: value }).publishAttributionMetricsToS3).toBe(expected);
  });

  it.each([
    [{ RoleArn: 'PersonalizeBatch' }, 'The Job property\'s RoleArn must be an IAM role ARN'],
    [{ NamePrefix: '' }, 'The Job property\'s NamePrefix must be a job name prefix of letters, digits, - and _ that starts with a letter or digit'],
    [{ PublishAttributionMetricsToS3: '' }, 'must be "true" or "false"; got "".'],
  ])('refuses %j, naming the field', (overrides, message) => {
    expect(() => readImportDefinition({ ...base, ...overrides })).toThrow(message);
  });
});

describe('telling an import made from a definition', () => {
  const definition = readImportDefinition({ NamePrefix: 'interactions', DatasetArn: DATASET_ARN, DataLocation: 's3://promo-data/interactions.csv', RoleArn: JOB_ROLE_ARN });
  const described = { datasetArn: DATASET_ARN, dataSource: { dataLocation: 's3://promo-data/interactions.csv' }, roleArn: JOB_ROLE_ARN };

  it.each([
    ['the same import', {}, true],
    ['another dataset', { datasetArn: `${DATASET_ARN}X` }, false],
    ['another location', { dataSource: { dataLocation: 's3://promo-data/other.csv' } }, false],
    ['no location', { dataSource: undefined }, false],
    ['another role', { roleArn: `${JOB_ROLE_ARN}X` }, false],
    ['an incremental import', { importMode: 'INCREMENTAL' as const }, false],
    ['a full import, said so', { importMode: 'FULL' as const }, true],
  ])('takes %s for %j: %j', (_, difference, expected) => {
    expect(datasetImportJob.matches({ ...described, ...difference }, definition, IMPORT_ARN_OF('x'))).toBe(expected);
  });

  it('never takes an existing import for one defined by a data version: Personalize does not say which data it read', () => {
    const versioned = { ...definition, dataVersion: '2026-11-28' };
    expect(datasetImportJob.matches(described, versioned, IMPORT_ARN_OF('x'))).toBe(false);
  });

  it('answers the role it ran with as an attribute', () => {
    expect(datasetImportJob.attributes({ roleArn: JOB_ROLE_ARN }, undefined, IMPORT_ARN_OF('x')).RoleArn).toBe(JOB_ROLE_ARN);
  });

  it('answers every attribute, empty, for an import Personalize described with nothing, but its ARN, which the reference gives', () => {
    const ref = IMPORT_ARN_OF('not-started');
    expect(datasetImportJob.attributes({}, undefined, ref)).toEqual({
      ...Object.fromEntries(Object.values(ImportAttribute).map((name) => [name, ''])),
      DatasetImportJobArn: ref,
    });
    expect(datasetImportJob.attributes({ datasetImportJobArn: IMPORT_ARN_OF('described') }, undefined, ref).DatasetImportJobArn).toBe(IMPORT_ARN_OF('described'));
  });

  it('reads an empty import mode or data version, as a token that resolved to nothing arrives, as none given', () => {
    const read = readImportDefinition({ NamePrefix: 'interactions', DatasetArn: DATASET_ARN, DataLocation: 's3://promo-data/interactions.csv', RoleArn: JOB_ROLE_ARN, ImportMode: '', DataVersion: '' });
    expect(read.importMode).toBeUndefined();
    expect(read.dataVersion).toBeUndefined();
    expect(datasetImportJob.matches(described, read, IMPORT_ARN_OF('x'))).toBe(true);
  });
});
