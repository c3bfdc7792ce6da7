import { Token } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { ARN_MAX_LENGTH } from '../engine/job-contract';
import { FILTER_ARN_PATTERN, SOLUTION_VERSION_ARN_EXAMPLE, SOLUTION_VERSION_ARN_PATTERN } from './contract';

/*
 * Synth-time checks of a batch job's own props (segment and inference). A value that is still a
 * token passes here and is checked by the handler before it creates the job.
 */

export function validateSolutionVersionArn(scope: IConstruct, arn: string): void {
  if (Token.isUnresolved(arn) || (arn.length <= ARN_MAX_LENGTH && SOLUTION_VERSION_ARN_PATTERN.test(arn))) {
    return;
  }
  throw new Error(
    `${scope.node.path}: solutionVersionArn must be the ARN of a Personalize solution version, such as ` +
      `${SOLUTION_VERSION_ARN_EXAMPLE}; got ${JSON.stringify(arn)}.`,
  );
}

export function validateFilterArn(scope: IConstruct, arn: string | undefined): void {
  if (arn === undefined || Token.isUnresolved(arn) || (arn.length <= ARN_MAX_LENGTH && FILTER_ARN_PATTERN.test(arn))) {
    return;
  }
  throw new Error(
    `${scope.node.path}: filterArn must be the ARN of a Personalize filter, such as ` +
      `arn:aws:personalize:us-east-1:111122223333:filter/active-users; got ${JSON.stringify(arn)}.`,
  );
}

/** `unit` says what the kind's numResults counts, e.g. `users per segment`. */
export function validateNumResults(
  scope: IConstruct,
  numResults: number | undefined,
  limits: { readonly min: number; readonly max: number },
  unit: string,
): void {
  if (numResults === undefined || Token.isUnresolved(numResults)) {
    return;
  }
  if (!Number.isInteger(numResults) || numResults < limits.min || numResults > limits.max) {
    throw new Error(
      `${scope.node.path}: numResults must be a whole number of ${unit} from ${limits.min} to ` +
        `${limits.max.toLocaleString('en-US')}; got ${numResults}.`,
    );
  }
}
