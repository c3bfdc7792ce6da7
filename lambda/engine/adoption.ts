import { createHash } from 'crypto';
import { ListTagsForResourceCommand, PersonalizeClient } from '@aws-sdk/client-personalize';
import { DEFINITION_TAG_KEY, JobField, REUSE_WITHIN_SECONDS } from '../../lib/engine/job-contract';
import { WaiterProperty } from '../../lib/engine/wait-contract';
import type { Fields } from './job-fields';
import { quote, WaiterError } from './handler-error';

/**
 * Adopting work made before instead of redoing it (trainings and imports): what the kinds that
 * allow it share. A job's definition is recorded in a tag at its creation, since Personalize
 * describes neither the data a version was trained on nor an import's data version.
 */

/** What a kind that allows adoption reads of `reuseWithin`. */
export interface Reusable {
  /** How old, in seconds, adopted work may be; 0 adopts none. */
  readonly reuseWithinSeconds?: number;
}

/** Work found to adopt: its reference and when it was created. */
export interface Adopted {
  readonly ref: string;
  readonly createdAt: Date;
}

/** Reads the `ReuseWithinSeconds` field: a whole number of seconds from 0 to 30 days, as a string. */
export function readReuseWithin(fields: Fields): Reusable {
  const value = fields[JobField.REUSE_WITHIN_SECONDS];
  if (value === undefined || value === '') {
    return {};
  }
  const seconds = /^\d+$/.test(String(value)) ? Number(value) : NaN;
  if (!(seconds >= REUSE_WITHIN_SECONDS.min && seconds <= REUSE_WITHIN_SECONDS.max)) {
    throw new WaiterError(
      `The ${WaiterProperty.JOB} property's ${JobField.REUSE_WITHIN_SECONDS} must be a whole number of seconds from ${REUSE_WITHIN_SECONDS.min} to ${REUSE_WITHIN_SECONDS.max}; got ${quote(value)}.`,
    );
  }
  return { reuseWithinSeconds: seconds };
}

/** The definition tag's value: a hash of the parts that define the work, in order. */
export function definitionHash(parts: readonly (string | undefined)[]): string {
  return createHash('sha256').update(JSON.stringify(parts.map((part) => part ?? ''))).digest('hex').slice(0, 32);
}

/** The tag list of a Create call: the user's tags and the definition tag. */
export function withDefinitionTag(tags: { tagKey: string; tagValue: string }[] | undefined, hash: string): { tagKey: string; tagValue: string }[] {
  return [...(tags ?? []), { tagKey: DEFINITION_TAG_KEY, tagValue: hash }];
}

/** Whether the work `arn` names carries the definition tag `hash`. Throws what the SDK throws. */
export async function isTaggedWith(client: PersonalizeClient, arn: string, hash: string): Promise<boolean> {
  const { tags } = await client.send(new ListTagsForResourceCommand({ resourceArn: arn }));
  return (tags ?? []).some((tag) => tag.tagKey === DEFINITION_TAG_KEY && tag.tagValue === hash);
}

/** The earliest creation time adoptable work may have, for a window of `seconds`. */
export function adoptableSince(seconds: number): number {
  return Date.now() - seconds * 1000;
}
