import { ListTagsForResourceCommand, PersonalizeClient } from '@aws-sdk/client-personalize';
import { mockClient } from 'aws-sdk-client-mock';
import { DEFINITION_TAG_KEY, REUSE_WITHIN_SECONDS } from '../../lib/engine/job-contract';
import { adoptableSince, definitionHash, isTaggedWith, readReuseWithin, withDefinitionTag } from '../../lambda/engine/adoption';
import { WaiterError } from '../../lambda/engine/handler-error';

const personalize = mockClient(PersonalizeClient);
const ARN = 'arn:aws:personalize:us-east-1:111122223333:solution/promo/1a2b3c4d';

beforeEach(() => personalize.reset());

describe('readReuseWithin', () => {
  it('reads no window when the field is absent or empty: the kind then adopts nothing', () => {
    expect(readReuseWithin({})).toEqual({});
    expect(readReuseWithin({ ReuseWithinSeconds: '' })).toEqual({});
  });

  it.each([
    ['0', 0],
    ['3600', 3600],
    [String(REUSE_WITHIN_SECONDS.max), REUSE_WITHIN_SECONDS.max],
  ])('reads %s as %d seconds, its bounds included', (value, seconds) => {
    expect(readReuseWithin({ ReuseWithinSeconds: value })).toEqual({ reuseWithinSeconds: seconds });
  });

  it.each(['-1', String(REUSE_WITHIN_SECONDS.max + 1), '1.5', 'a day', ' 60'])('refuses %j, naming the field, the range and the value', (value) => {
    const read = () => readReuseWithin({ ReuseWithinSeconds: value });
    expect(read).toThrow(WaiterError);
    expect(read).toThrow(`The Job property's ReuseWithinSeconds must be a whole number of seconds from 0 to ${REUSE_WITHIN_SECONDS.max}; got "${value}".`);
  });
});

describe('definitionHash', () => {
  it('is 32 hex characters, the same for the same parts, and an absent part reads as an empty one', () => {
    const hash = definitionHash(['a', undefined, 'c']);
    expect(hash).toMatch(/^[0-9a-f]{32}$/);
    expect(definitionHash(['a', undefined, 'c'])).toBe(hash);
    expect(definitionHash(['a', '', 'c'])).toBe(hash);
  });

  it('differs when any part differs, or the parts move', () => {
    const hash = definitionHash(['a', 'b']);
    expect(definitionHash(['a', 'c'])).not.toBe(hash);
    expect(definitionHash(['b', 'a'])).not.toBe(hash);
    expect(definitionHash(['a', 'b', ''])).not.toBe(hash);
  });
});

describe('withDefinitionTag', () => {
  it('adds the definition tag after the user\'s tags, or alone', () => {
    expect(withDefinitionTag(undefined, 'h')).toEqual([{ tagKey: DEFINITION_TAG_KEY, tagValue: 'h' }]);
    expect(withDefinitionTag([{ tagKey: 'team', tagValue: 'recs' }], 'h')).toEqual([
      { tagKey: 'team', tagValue: 'recs' },
      { tagKey: DEFINITION_TAG_KEY, tagValue: 'h' },
    ]);
  });
});

describe('isTaggedWith', () => {
  it('reads the work\'s tags and finds the definition tag with the hash', async () => {
    personalize.on(ListTagsForResourceCommand, { resourceArn: ARN }).resolves({ tags: [{ tagKey: 'team', tagValue: 'recs' }, { tagKey: DEFINITION_TAG_KEY, tagValue: 'h' }] });

    await expect(isTaggedWith(new PersonalizeClient({}), ARN, 'h')).resolves.toBe(true);
  });

  it.each([
    ['no tags at all', undefined],
    ['another hash', [{ tagKey: DEFINITION_TAG_KEY, tagValue: 'other' }]],
    ['the hash under another key', [{ tagKey: 'team', tagValue: 'h' }]],
  ])('finds none with %s', async (_case, tags) => {
    personalize.on(ListTagsForResourceCommand).resolves({ tags });

    await expect(isTaggedWith(new PersonalizeClient({}), ARN, 'h')).resolves.toBe(false);
  });

  it('throws what the SDK throws', async () => {
    personalize.on(ListTagsForResourceCommand).rejects(new Error('refused'));

    await expect(isTaggedWith(new PersonalizeClient({}), ARN, 'h')).rejects.toThrow('refused');
  });
});

describe('adoptableSince', () => {
  it('is the window\'s length before now', () => {
    jest.useFakeTimers({ now: new Date('2026-11-28T10:00:00.000Z') });
    expect(adoptableSince(3600)).toBe(Date.parse('2026-11-28T09:00:00.000Z'));
    jest.useRealTimers();
  });
});
