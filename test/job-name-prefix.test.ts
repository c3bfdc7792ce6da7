import { App, Names, Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { namePrefixFromPath } from '../lib/engine/job-name-prefix';

const construct = (stackId: string, ...ids: string[]) => {
  let scope: Construct = new Stack(new App(), stackId);
  for (const id of ids) {
    scope = new Construct(scope, id);
  }
  return scope;
};
const hashOf = (scope: Construct) => Names.uniqueResourceName(scope, { maxLength: 255, separator: '-' }).slice(-8);

describe('a job name prefix made from the construct path', () => {
  it('is the path and its hash when it fits', () => {
    const scope = construct('Promo', 'Segments');
    expect(namePrefixFromPath(scope, 50)).toBe(`Promo-Segments-${hashOf(scope)}`);
  });

  it('drops whole ids between the stack and the construct, then the stack, never letters from a word', () => {
    const nested = construct('PersonalizePipelineExample', 'Nightly', 'Recommendations');
    // With the stack's id and the construct's, 51 characters: the stack's goes too.
    expect(namePrefixFromPath(nested, 50)).toBe(`Recommendations-${hashOf(nested)}`);
    expect(namePrefixFromPath(nested, 51)).toBe(`PersonalizePipelineExample-Recommendations-${hashOf(nested)}`);
    const twoParts = construct('PersonalizeRecommendationsJobExample', 'Nightly');
    expect(namePrefixFromPath(twoParts, 50)).toBe(`Nightly-${hashOf(twoParts)}`);
    const deep = construct('Stack', 'Pipeline', 'Stage', 'Model');
    expect(namePrefixFromPath(deep, 30)).toBe(`Stack-Stage-Model-${hashOf(deep)}`);
    expect(namePrefixFromPath(deep, 24)).toBe(`Stack-Model-${hashOf(deep)}`);
  });

  it('cuts only a construct id too long on its own, at its end, keeping the hash', () => {
    const long = construct('S', 'A'.repeat(60));
    expect(namePrefixFromPath(long, 50)).toBe(`${'A'.repeat(41)}-${hashOf(long)}`);
  });
});
