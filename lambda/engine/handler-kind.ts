import type { PersonalizeClient } from '@aws-sdk/client-personalize';
import type { JobKind } from '../../lib/engine/job-kind';
import type { Adopted } from './adoption';

/** What the engine reads of any described job. */
export interface DescribedJob {
  readonly status?: string;
  readonly failureReason?: string;
}

/** What the engine needs of any job a construct creates. */
export interface JobDefinition {
  readonly namePrefix: string;
  readonly tags: Readonly<Record<string, string>>;
}

/** What stopOwned leaves running: the job named `keepName`, and any created after the one `upToRef` names. */
export interface OwnedWorkSpared {
  readonly keepName?: string;
  readonly upToRef?: string;
}

/** What a Stop call found: a job it asked to stop, or one that was not running (finished, stopping, or never created). */
export type StopResult = 'stopRequested' | 'notRunning';

/**
 * The handlers' side of one kind of job: its Describe and Create calls, how its definition is read
 * and checked, and what its description becomes. The engine (onEvent, isComplete and what they
 * call) knows nothing else of the kind.
 *
 * A job is named by a reference: the physical id of the construct's resource, which the engine
 * describes, creates and stops by. For a batch job it is the job's ARN; a kind whose ARN the
 * service chooses makes its own (see lib/kinds/solution-version/contract.ts).
 */
/** How much a Describe reads: the job's status and settings, or also its results for the answer. */
export type DescribeDetail = 'status' | 'results';

export interface HandlerKind<Described extends DescribedJob = DescribedJob, Definition extends JobDefinition = JobDefinition, KindSettings = unknown> {
  readonly kind: JobKind;
  /**
   * Describes the job; throws what the SDK throws (ResourceNotFoundException for a job not created
   * yet). With `results`, a job that has succeeded is described with what it produced beyond
   * Describe (a version's metrics), which only the resource's answer needs.
   */
  describe(client: PersonalizeClient, ref: string, detail: DescribeDetail): Promise<Described>;
  /** Creates the job `ref` names; throws what the SDK throws. */
  create(client: PersonalizeClient, ref: string, definition: Definition): Promise<void>;
  /**
   * Fields of the definition, beside its tags, that apply only when a job starts: an update that
   * changes only these keeps the job it has.
   */
  readonly startOnlyFields?: readonly string[];
  /** Reads and checks the `Job` property; throws a WaiterError that names the bad value. */
  readDefinition(value: unknown): Definition;
  /** The ARN whose partition, region and account the job is created in (its solution version's, its solution's). */
  homeArn(definition: Definition): string;
  /** The reference of the job named `name` that `definition` defines. */
  refFor(definition: Definition, name: string): string;
  /** Whether `value` is a reference such as `refFor` gives. */
  isRef(value: string): boolean;
  /** The job's name inside a reference. */
  nameOfRef(ref: string): string;
  /**
   * The attributes of a described job, every one present (empty where Personalize said nothing);
   * `ref` is the job's reference, for a job not described yet (a wait handed over before it started).
   */
  attributes(job: Described, settings: KindSettings, ref: string): Record<string, string>;
  /**
   * For a kind whose resource keeps its physical id (JobKind.keepsPhysicalId): the reference of the
   * latest job the resource `owner` names (see ownerHash) started from `definition`'s home, which
   * an update that changes nothing keeps. Undefined when there is none; throws what the SDK throws.
   */
  latestOwned?(client: PersonalizeClient, definition: Definition, owner: string): Promise<string | undefined>;
  /** Whether the described job, which `ref` names, was created from `definition`. */
  matches(job: Described, definition: Definition, ref: string): boolean;
  /** What a Create that Personalize answered "not found" could not find, and what to check. */
  missingOnCreate(definition: Definition, region: string): string;
  /** What to check when Personalize found a Create's settings invalid. */
  invalidOnCreate(definition: Definition): string;
  /** The kind's own settings among the resource's properties (a quality gate); throws a WaiterError that names a bad one. */
  readSettings(properties: Record<string, unknown>): KindSettings;
  /** Why a job that succeeded must still fail the deployment (a metric below its minimum); undefined when it may go on. */
  shortfall?(job: Described, settings: KindSettings): string | undefined;
  /** When a Create refusal only means "not yet" for this kind (what it is made from is not ready), the status to report. */
  notReadyOnCreate?(error: unknown, definition: Definition): string | undefined;
  /**
   * For work that bills until it ends: stops the job `ref` names if it is still running. Throws
   * what the SDK throws.
   */
  stop?(client: PersonalizeClient, ref: string): Promise<StopResult>;
  /** How a person stops the job `ref` names when the handlers could not (for kinds with `stop`). */
  stopByHand?(ref: string): string;
  /**
   * For work that bills until it ends: stops every job still running that the resource `owner`
   * names (see ownerHash) started from any of `definitions`, except the one named `keepName`, and
   * none created after the job `upToRef` names (a Delete of a replaced id spares the newer job the
   * resource names now). Answers the names of the jobs it asked to stop. Throws what the SDK throws.
   */
  stopOwned?(client: (region: string) => PersonalizeClient, definitions: readonly Definition[], owner: string, spare: OwnedWorkSpared): Promise<string[]>;
  /**
   * For work a retry may adopt (see lambda/engine/adoption.ts): the work of `definition` made before and
   * still good to use (ACTIVE, within the definition's window, tagged with its definition), or
   * undefined. Throws what the SDK throws, and LookupUnfinishedError when it ran out of time.
   */
  adopt?(client: PersonalizeClient, definition: Definition): Promise<Adopted | undefined>;
  /** How a person finds and stops the jobs stopOwned would have stopped, when the handlers could not. */
  stopOwnedByHand?(definitions: readonly Definition[], owner: string): string;
}
