import { BATCH_SEGMENT_JOB } from '../../lib/kinds/batch-segment-job/contract';
import type { HandlerKind, JobDefinition } from '../../lambda/engine/handler-kind';
import { observeJob } from '../../lambda/engine/observe-job';
import { sdkErrors } from '../support/sdk-errors';

/*
 * observeJob on a kind whose Describe and Create are scripted: what it answers for each outcome,
 * and that it creates only a job of its own that Personalize says does not exist.
 */

const REF = 'arn:aws:personalize:us-east-1:111122223333:batch-segment-job/spring-promo-0123456789ab';
const JOB: JobDefinition = { namePrefix: 'spring-promo', tags: {} };
const DESCRIBED = { status: 'ACTIVE' };

function kindWith(describe: () => Promise<unknown>, create: () => Promise<void> = async () => undefined, notReady?: string): { kind: HandlerKind; create: jest.Mock } {
  const createMock = jest.fn(create);
  const kind = {
    kind: BATCH_SEGMENT_JOB,
    describe: jest.fn(describe),
    create: createMock,
    notReadyOnCreate: () => notReady,
  } as unknown as HandlerKind;
  return { kind, create: createMock };
}

const throwing = (error: unknown) => async () => {
  throw error;
};

it('answers a described job as it is, and creates nothing', async () => {
  const { kind, create } = kindWith(async () => DESCRIBED);

  await expect(observeJob(kind, REF, JOB, 'status')).resolves.toEqual({ kind: 'described', job: DESCRIBED });
  expect(create).not.toHaveBeenCalled();
});

it('answers a job that does not exist as a permanent Describe failure for a waiter, which has no job to create', async () => {
  const error = sdkErrors.notFound();
  const { kind } = kindWith(throwing(error));

  await expect(observeJob(kind, REF, undefined, 'status')).resolves.toEqual({ kind: 'permanent', error, call: 'Describe' });
});

it.each([
  ['a throttled Describe', sdkErrors.throttling(), 'transient'],
  ['a refused Describe', sdkErrors.accessDenied(), 'accessDenied'],
  ['a Describe rejected for its input', sdkErrors.invalidInput(), 'permanent'],
])('leaves the job alone after %s, whose existence is unknown', async (_case, error, failure) => {
  const { kind, create } = kindWith(throwing(error));

  await expect(observeJob(kind, REF, JOB, 'status')).resolves.toEqual({ kind: failure, error, call: 'Describe' });
  expect(create).not.toHaveBeenCalled();
});

it('creates a job of its own that does not exist yet, and says it started', async () => {
  const { kind, create } = kindWith(throwing(sdkErrors.notFound()));

  await expect(observeJob(kind, REF, JOB, 'status')).resolves.toEqual({ kind: 'started' });
  expect(create).toHaveBeenCalledTimes(1);
  expect(create).toHaveBeenCalledWith(expect.anything(), REF, JOB);
});

it.each([
  ['the region is at its job limit', sdkErrors.limitExceeded(), 'waitingForSlot'],
  ['Personalize rejects its settings', sdkErrors.invalidInput(), 'settingsRejected'],
])('answers what a refused Create means when %s, with no call named', async (_case, error, outcome) => {
  const { kind } = kindWith(throwing(sdkErrors.notFound()), throwing(error));

  await expect(observeJob(kind, REF, JOB, 'status')).resolves.toEqual({ kind: outcome, error });
});

it('answers notReady with the kind\'s status when what the job is made from is not ready', async () => {
  const error = sdkErrors.invalidInput();
  const { kind } = kindWith(throwing(sdkErrors.notFound()), throwing(error), 'solution not ACTIVE yet');

  await expect(observeJob(kind, REF, JOB, 'status')).resolves.toEqual({ kind: 'notReady', status: 'solution not ACTIVE yet', error });
});

it.each([
  ['refused by IAM', sdkErrors.accessDenied('personalize:CreateBatchSegmentJob', REF), 'accessDenied'],
  ['faulted', sdkErrors.internalFailure(), 'transient'],
  ['refused for a reason retrying cannot help', sdkErrors.unknownClientError(), 'permanent'],
])('names the Create as the call that failed when it was %s', async (_case, error, failure) => {
  const { kind } = kindWith(throwing(sdkErrors.notFound()), throwing(error));

  await expect(observeJob(kind, REF, JOB, 'status')).resolves.toEqual({ kind: failure, error, call: 'Create' });
});
