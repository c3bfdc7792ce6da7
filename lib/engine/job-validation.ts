import { Token } from 'aws-cdk-lib';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { IConstruct } from 'constructs';
import { JOB_NAME_PREFIX_PATTERN, JOB_NAME_SUFFIX_LENGTH, S3_PATH_MAX_LENGTH, TAGS } from './job-contract';
import { JOB_NAME_MAX_LENGTH } from './job-kind';

/*
 * Synth-time checks of the props every kind that creates work has, against Personalize's own
 * limits. A value that is still a token passes here and is checked by the handler before it
 * creates the work.
 */

/** S3 bucket names are at least this long; the length of a path in a bucket named by a token is checked with it. */
const SHORTEST_BUCKET_NAME = 3;

/** `prop` names the prop in the message: `jobNamePrefix` for jobs, `namePrefix` for trainings. */
export function validateJobNamePrefix(scope: IConstruct, prefix: string, prop: string, suffixLength: number = JOB_NAME_SUFFIX_LENGTH): void {
  if (Token.isUnresolved(prefix)) {
    return;
  }
  const maxLength = jobNamePrefixMaxLength(suffixLength);
  if (prefix.length > maxLength || !JOB_NAME_PREFIX_PATTERN.test(prefix)) {
    throw new Error(
      `${scope.node.path}: ${prop} must be 1 to ${maxLength} letters, digits, - and _, starting with a ` +
        `letter or digit (the name adds "-" and ${suffixLength} characters, within Personalize's ${JOB_NAME_MAX_LENGTH}); got ${JSON.stringify(prefix)}.`,
    );
  }
}

/** The longest prefix of a job name that ends in "-" and `suffixLength` characters. */
export function jobNamePrefixMaxLength(suffixLength: number): number {
  return JOB_NAME_MAX_LENGTH - 1 - suffixLength;
}




/**
 * `what` names the prop, e.g. `input.key`; a key that is a token passes. `added` is what the
 * construct appends to the key (a job's own output folder), within Personalize's limit too.
 */
export function validateS3Key(scope: IConstruct, what: string, bucket: s3.IBucket, key: string, isFolder: boolean, added?: { readonly length: number; readonly what: string }): void {
  if (Token.isUnresolved(key)) {
    return;
  }
  const expected = isFolder ? 'a key prefix that ends with "/", such as "segments/out/"' : 'an object key such as "segments/queries.json"';
  if (key.length === 0 || key.startsWith('/') || (isFolder && !key.endsWith('/'))) {
    throw new Error(`${scope.node.path}: ${what} must be ${expected}, without a leading "/"; got ${JSON.stringify(key)}.`);
  }
  const bucketNameLength = Token.isUnresolved(bucket.bucketName) ? SHORTEST_BUCKET_NAME : bucket.bucketName.length;
  const pathLength = 's3://'.length + bucketNameLength + 1 + key.length + (added?.length ?? 0);
  if (pathLength > S3_PATH_MAX_LENGTH) {
    throw new Error(
      `${scope.node.path}: ${what} makes an S3 path of ${pathLength} characters${added !== undefined ? ` with ${added.what}` : ''}; ` +
        `Personalize takes at most ${S3_PATH_MAX_LENGTH}. Shorten ${JSON.stringify(key)}.`,
    );
  }
}

export function validateTags(scope: IConstruct, tags: Readonly<Record<string, string>>): void {
  const entries = Object.entries(tags);
  if (entries.length > TAGS.maxCount) {
    throw new Error(`${scope.node.path}: tags may hold at most ${TAGS.maxCount} tags; got ${entries.length}.`);
  }
  for (const [key, value] of entries) {
    if (Token.isUnresolved(key) || Token.isUnresolved(value)) {
      continue;
    }
    if (key.length === 0 || key.length > TAGS.maxKeyLength || value.length > TAGS.maxValueLength) {
      throw new Error(
        `${scope.node.path}: tag ${JSON.stringify(key)} must have a key of 1 to ${TAGS.maxKeyLength} characters and a ` +
          `value of at most ${TAGS.maxValueLength}; got a key of ${key.length} and a value of ${value.length}.`,
      );
    }
  }
}
