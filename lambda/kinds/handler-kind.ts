import type { PersonalizeClient } from '@aws-sdk/client-personalize';
import type { JobKind } from '../../lib/kinds/job-kind';

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

/**
 * The handlers' side of one kind of job: its Describe and Create calls, how its definition is read
 * and checked, and what its description becomes. The engine (onEvent, isComplete and what they
 * call) knows nothing else of the kind.
 */
export interface HandlerKind<Described extends DescribedJob = DescribedJob, Definition extends JobDefinition = JobDefinition> {
  readonly kind: JobKind;
  /** Describes the job; throws what the SDK throws. */
  describe(client: PersonalizeClient, jobArn: string): Promise<Described>;
  /** Creates the job `jobArn` names; throws what the SDK throws. */
  create(client: PersonalizeClient, jobArn: string, definition: Definition): Promise<void>;
  /** Reads and checks the `Job` property; throws a WaiterError that names the bad value. */
  readDefinition(value: unknown): Definition;
  /** The ARN whose partition, region and account the job is created in (its solution version's, its dataset's). */
  homeArn(definition: Definition): string;
  /** The attributes of a described job, every one present (empty where Personalize said nothing). */
  attributes(job: Described): Record<string, string>;
  /** Whether the described job was created from `definition`. */
  matches(job: Described, definition: Definition): boolean;
  /** What a Create that Personalize answered "not found" could not find, and what to check. */
  missingOnCreate(definition: Definition, region: string): string;
}
