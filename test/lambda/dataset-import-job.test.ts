import {
  CreateDatasetImportJobCommand,
  DescribeDatasetImportJobCommand,
  PersonalizeClient,
  ResourceInUseException,
} from '@aws-sdk/client-personalize';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { handler as isComplete } from '../../lambda/is-complete';
import { datasetImportJob, readImportDefinition } from '../../lambda/kinds/dataset-import-job';
import { ImportAttribute } from '../../lib/kinds/dataset-import-job';
import { handler as onEvent } from '../../lambda/on-event';
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

beforeEach(() => {
  personalize.reset();
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

    const { PhysicalResourceId } = await onEvent(
      importEvent(importProperties({ Job: importJob({ ImportMode: 'INCREMENTAL', PublishAttributionMetricsToS3: 'true', Tags: { team: 'recs' } }) })),
    );

    expect(PhysicalResourceId).toMatch(/^arn:aws:personalize:us-east-1:111122223333:dataset-import-job\/interactions-[0-9a-f]{12}$/);
    expect(personalize).toHaveReceivedCommandWith(CreateDatasetImportJobCommand, {
      jobName: PhysicalResourceId.split('/')[1],
      datasetArn: DATASET_ARN,
      dataSource: { dataLocation: 's3://promo-data/interactions.csv' },
      roleArn: JOB_ROLE_ARN,
      importMode: 'INCREMENTAL',
      publishAttributionMetricsToS3: true,
      tags: [{ tagKey: 'team', tagValue: 'recs' }],
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
    const { PhysicalResourceId } = await onEvent(event);

    await expect(poll(event, PhysicalResourceId, 300)).resolves.toEqual({ IsComplete: false });
    await expect(poll(event, PhysicalResourceId, 600)).rejects.toThrow(`its last status was not created yet: dataset ${DATASET_ARN} is not ready to import into`);
  });

  it('waits for a slot while the region has five imports in progress', async () => {
    personalize.on(DescribeDatasetImportJobCommand).rejects(sdkErrors.notFound());
    personalize.on(CreateDatasetImportJobCommand).rejects(sdkErrors.limitExceeded());
    const event = importEvent(importProperties({ TimeoutSeconds: '600' }));
    const { PhysicalResourceId } = await onEvent(event);

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
    const { PhysicalResourceId } = await onEvent(importEvent());
    await expect(poll(importEvent(), PhysicalResourceId, 60)).rejects.toThrow('check the data location (a CSV file, or a folder of them), the role it names');
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
  const current = IMPORT_ARN_OF('interactions-1a2b3c4d5e6f');

  it('starts a new import when the data version changes', async () => {
    personalize.on(DescribeDatasetImportJobCommand).rejects(sdkErrors.notFound());
    personalize.on(CreateDatasetImportJobCommand).resolves({});
    const event = { ...updateEvent(importProperties({ Job: importJob({ DataVersion: 'v2' }) }), importProperties(), current), ResourceType: JOB_TYPE };

    const { PhysicalResourceId } = await onEvent(event);
    expect(PhysicalResourceId).not.toBe(current);
    expect(personalize).toHaveReceivedCommandTimes(CreateDatasetImportJobCommand, 1);
  });

  it('keeps the import when only the tags or the wait changed', async () => {
    personalize.on(DescribeDatasetImportJobCommand).resolves({ datasetImportJob: { status: 'ACTIVE' } });
    const event = {
      ...updateEvent(importProperties({ Job: importJob({ Tags: { team: 'recs' } }), TimeoutSeconds: '1200' }), importProperties(), current),
      ResourceType: JOB_TYPE,
    };

    await expect(onEvent(event)).resolves.toMatchObject({ PhysicalResourceId: current });
    expect(personalize).toHaveReceivedCommandTimes(CreateDatasetImportJobCommand, 0);
  });

  const describedAsMadeFromTheSameSettings = {
    datasetImportJob: { status: 'ACTIVE', datasetArn: DATASET_ARN, dataSource: { dataLocation: 's3://promo-data/interactions.csv' }, roleArn: JOB_ROLE_ARN },
  };

  it('keeps the import a rollback asks for again when Personalize describes it as made from the same settings, without a data version', async () => {
    personalize.on(DescribeDatasetImportJobCommand).resolves(describedAsMadeFromTheSameSettings);
    const job = importJob({ DataVersion: undefined });
    const rollback = { ...updateEvent(importProperties({ Job: job }), importProperties({ Job: importJob({ RoleArn: `${JOB_ROLE_ARN}2` }) }), current), RequestId: 'rollback', ResourceType: JOB_TYPE };

    await expect(onEvent(rollback)).resolves.toMatchObject({ PhysicalResourceId: current });
    expect(personalize).toHaveReceivedCommandTimes(CreateDatasetImportJobCommand, 0);
  });

  it('imports the data again for an update to another data version, though Personalize describes the import as the same', async () => {
    personalize.on(DescribeDatasetImportJobCommand, { datasetImportJobArn: current }).resolves(describedAsMadeFromTheSameSettings);
    personalize.on(DescribeDatasetImportJobCommand).rejects(sdkErrors.notFound());
    personalize.on(CreateDatasetImportJobCommand).resolves({});
    const update = { ...updateEvent(importProperties({ Job: importJob({ DataVersion: 'v2' }) }), importProperties(), current), RequestId: 'data-changed', ResourceType: JOB_TYPE };

    await expect(onEvent(update)).resolves.not.toMatchObject({ PhysicalResourceId: current });
    expect(personalize).toHaveReceivedCommandTimes(CreateDatasetImportJobCommand, 1);
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
    expect(datasetImportJob.attributes({ roleArn: JOB_ROLE_ARN }, undefined).RoleArn).toBe(JOB_ROLE_ARN);
  });

  it('answers every attribute, empty, for an import Personalize described with nothing', () => {
    expect(datasetImportJob.attributes({}, undefined)).toEqual(Object.fromEntries(Object.values(ImportAttribute).map((name) => [name, ''])));
  });

  it('reads an empty import mode or data version, as a token that resolved to nothing arrives, as none given', () => {
    const read = readImportDefinition({ NamePrefix: 'interactions', DatasetArn: DATASET_ARN, DataLocation: 's3://promo-data/interactions.csv', RoleArn: JOB_ROLE_ARN, ImportMode: '', DataVersion: '' });
    expect(read.importMode).toBeUndefined();
    expect(read.dataVersion).toBeUndefined();
    expect(datasetImportJob.matches(described, read, IMPORT_ARN_OF('x'))).toBe(true);
  });
});
