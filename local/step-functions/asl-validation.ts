import aslValidator from 'asl-validator';

/**
 * The errors asl-validator 4.0.0 (Apache-2.0), a validator of the Amazon States Language (its JSON
 * schemas, transitions, terminal states and paths), finds in a deployed definition: none when valid.
 * It sets a default QueryLanguage on the states it reads, so it is given a copy.
 */
export function aslErrorsOf(definition: unknown): string[] {
  const result = aslValidator(structuredClone(definition), { checkPaths: true, checkArn: true });
  return result.isValid ? [] : result.errorsText('\n').split('\n');
}
