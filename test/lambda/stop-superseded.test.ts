import { BATCH_SEGMENT_JOB } from '../../lib/kinds/batch-segment-job/contract';
import type { OnEventRequest } from '../../lambda/engine/framework-contract';
import type { HandlerKind, JobDefinition } from '../../lambda/engine/handler-kind';
import { ownerHash } from '../../lambda/engine/job-name';
import { stopSuperseded } from '../../lambda/engine/stop-superseded';
import { CapturedLogs } from '../support/captured-logs';

/*
 * stopSuperseded on a kind whose stopOwned is scripted: what it asks to stop on an Update, and
 * that it never fails the Update.
 */

const STACK_ID = 'arn:aws:cloudformation:us-east-1:111122223333:stack/Local/8d3e4b60';
const NEW_JOB: JobDefinition = { namePrefix: 'model', tags: { version: 'new' } };
const OLD_JOB: JobDefinition = { namePrefix: 'model', tags: { version: 'old' } };
const KEPT = 'ref/model-abcdef123456';
const logs = new CapturedLogs();

beforeEach(() => logs.start());
afterEach(() => logs.stop());

function updateEvent(oldJob: unknown): OnEventRequest & { readonly RequestType: 'Update' } {
  return {
    RequestType: 'Update',
    StackId: STACK_ID,
    LogicalResourceId: 'Model',
    RequestId: 'request',
    ResourceType: 'Custom::PersonalizeSolutionVersion',
    ResourceProperties: { ServiceToken: 'token', Job: { tags: 'new' } },
    ...(oldJob !== undefined ? { OldResourceProperties: { ServiceToken: 'token', Job: oldJob } } : {}),
    PhysicalResourceId: KEPT,
  } as unknown as OnEventRequest & { readonly RequestType: 'Update' };
}

function kindWith(stopOwned: HandlerKind['stopOwned'], stopOwnedByHand?: HandlerKind['stopOwnedByHand']): HandlerKind {
  return {
    kind: { ...BATCH_SEGMENT_JOB, noun: 'solution version', refProperty: 'Training' },
    readDefinition: (value: unknown) => {
      if ((value as { tags?: string })?.tags !== 'old') {
        throw new Error('does not read');
      }
      return OLD_JOB;
    },
    nameOfRef: (ref: string) => ref.split('/').pop()!,
    isRef: () => false,
    stopOwned,
    ...(stopOwnedByHand !== undefined ? { stopOwnedByHand } : {}),
  } as unknown as HandlerKind;
}

it('does nothing for a kind whose work does not bill until it ends', async () => {
  await expect(stopSuperseded(kindWith(undefined), updateEvent({ tags: 'old' }), NEW_JOB, KEPT)).resolves.toBeUndefined();
  expect(logs.lines).toEqual([]);
});

it('asks to stop what the resource started from its new and old definitions, sparing the one it keeps, and names what it stopped', async () => {
  const stopOwned = jest.fn(async () => ['model-0000001', 'model-0000002']);

  await stopSuperseded(kindWith(stopOwned), updateEvent({ tags: 'old' }), NEW_JOB, KEPT);

  expect(stopOwned).toHaveBeenCalledWith(expect.any(Function), [NEW_JOB, OLD_JOB], ownerHash(STACK_ID, 'Model'), { keepName: 'model-abcdef123456' });
  expect(logs.lines).toEqual([
    expect.objectContaining({ level: 'INFO', message: 'Asked Personalize to stop what this resource started before and no longer names: model-0000001, model-0000002', kept: KEPT }),
  ]);
});

it.each([
  ['no old properties', undefined],
  ['old properties that no longer read', { tags: 'unreadable' }],
])('looks only for the new definition\'s work with %s, and says nothing when nothing was running', async (_case, oldJob) => {
  const stopOwned = jest.fn(async () => []);

  await stopSuperseded(kindWith(stopOwned), updateEvent(oldJob), NEW_JOB, KEPT);

  expect(stopOwned).toHaveBeenCalledWith(expect.any(Function), [NEW_JOB], expect.any(String), { keepName: 'model-abcdef123456' });
  expect(logs.lines).toEqual([]);
});

it('never fails the Update when the lookup fails: it logs an error that says how to stop the work by hand', async () => {
  const stopOwned = jest.fn(async () => {
    throw new Error('Rate exceeded');
  });

  await expect(stopSuperseded(kindWith(stopOwned, () => 'list the versions and stop them'), updateEvent({ tags: 'old' }), NEW_JOB, KEPT)).resolves.toBeUndefined();

  expect(logs.lines).toEqual([
    expect.objectContaining({
      level: 'ERROR',
      message:
        'Could not look for solution versions this resource started before (Error: Rate exceeded); the update goes on. ' +
        'If one other than model-abcdef123456 still runs, list the versions and stop them.',
    }),
  ]);
});

it('says to stop it by hand when the kind has no steps of its own to give', async () => {
  await stopSuperseded(
    kindWith(async () => {
      throw new Error('Rate exceeded');
    }),
    updateEvent({ tags: 'old' }),
    NEW_JOB,
    KEPT,
  );

  expect(logs.lines[0].message).toMatch(/If one other than model-abcdef123456 still runs, stop it by hand\.$/);
});
