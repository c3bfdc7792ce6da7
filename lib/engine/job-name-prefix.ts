import { Names } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * The job name prefix made from a construct's path when none is given: the stack's and the
 * constructs' ids joined by "-", then a hash of the path (as `Names.uniqueResourceName` makes it).
 * When that is longer than `maxLength`, whole ids are dropped, not letters from the middle of words
 * (`PersonalizeRecommendansJobExample-…`): first those between the stack and the construct itself,
 * then the stack's. Only a construct id longer than the limit on its own is cut, at its end.
 */
export function namePrefixFromPath(scope: IConstruct, maxLength: number): string {
  const full = Names.uniqueResourceName(scope, { maxLength: 255, separator: '-' });
  if (full.length <= maxLength) {
    return full;
  }
  const hash = full.slice(full.lastIndexOf('-') + 1);
  const parts = scope.node.scopes.map((construct) => construct.node.id.replace(/[^A-Za-z0-9]/g, '')).filter((id) => id !== '' && id !== 'Default');
  if (`${parts.join('-')}-${hash}` !== full) {
    // A path Names spells otherwise: its own shortening.
    return Names.uniqueResourceName(scope, { maxLength, separator: '-' });
  }
  const fits = (kept: readonly string[]) => `${kept.join('-')}-${hash}`.length <= maxLength;
  let kept = [...parts];
  while (!fits(kept) && kept.length > 2) {
    kept = [kept[0], ...kept.slice(2)];
  }
  if (!fits(kept) && kept.length > 1) {
    kept = kept.slice(1);
  }
  const name = `${kept.join('-')}-${hash}`;
  return name.length <= maxLength ? name : `${name.slice(0, maxLength - hash.length - 1)}-${hash}`;
}
