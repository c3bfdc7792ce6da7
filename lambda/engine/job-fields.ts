import { JobField, TAGS } from '../../lib/engine/job-contract';
import { WaiterProperty } from '../../lib/engine/wait-contract';
import { quote, WaiterError } from './handler-error';

/** Reading what every kind's `Job` property holds. */

export type Fields = Record<string, unknown>;

/** The `Job` property as an object of fields; throws when it is not one. */
export function jobFields(value: unknown): Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new WaiterError(`The ${WaiterProperty.JOB} property must be an object of job settings; got ${quote(value)}.`);
  }
  return value as Fields;
}

export function matching(fields: Fields, key: string, pattern: RegExp, maxLength: number, what: string): string {
  const value = fields[key];
  if (typeof value !== 'string' || value.length > maxLength || !pattern.test(value)) {
    throw new WaiterError(
      `The ${WaiterProperty.JOB} property's ${key} must be ${what}, at most ${maxLength} characters; got ${quote(value)}.`,
    );
  }
  return value;
}

export function optionalMatching(fields: Fields, key: string, pattern: RegExp, maxLength: number, what: string): string | undefined {
  return fields[key] === undefined || fields[key] === '' ? undefined : matching(fields, key, pattern, maxLength, what);
}

export function readTags(value: unknown): Record<string, string> {
  if (value === undefined) {
    return {};
  }
  const entries = typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.entries(value) : undefined;
  if (entries === undefined || entries.length > TAGS.maxCount) {
    throw new WaiterError(
      `The ${WaiterProperty.JOB} property's ${JobField.TAGS} must be an object of at most ${TAGS.maxCount} tags; got ${quote(value)}.`,
    );
  }
  for (const [key, tagValue] of entries) {
    if (key.length === 0 || key.length > TAGS.maxKeyLength || typeof tagValue !== 'string' || tagValue.length > TAGS.maxValueLength) {
      throw new WaiterError(
        `Tag ${quote(key)} must have a key of 1 to ${TAGS.maxKeyLength} characters and a string value of at most ` +
          `${TAGS.maxValueLength}; got ${quote(tagValue)}.`,
      );
    }
  }
  return Object.fromEntries(entries) as Record<string, string>;
}

/** The job's tags as Personalize's Create calls take them. */

export function isoTime(time: Date | undefined): string {
  return time !== undefined && !Number.isNaN(time.getTime()) ? time.toISOString() : '';
}
