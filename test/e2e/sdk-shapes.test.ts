import * as personalize from '@aws-sdk/client-personalize';
import { operationShapes, recasedByShape } from '../../local/step-functions/sdk-shapes';

/*
 * The local SDK integration's recasing, by the real SDK's shapes: what makes the local world
 * refuse a task parameter Step Functions would not pass, and keep a map's keys as the user wrote them.
 */

const lowerFirst = (key: string) => key.charAt(0).toLowerCase() + key.slice(1);
const upperFirst = (key: string) => key.charAt(0).toUpperCase() + key.slice(1);
const createInference = operationShapes(personalize.CreateBatchInferenceJob$);
const describeInference = operationShapes(personalize.DescribeBatchInferenceJob$);

describe('recasing by the SDK\'s shapes', () => {
  it('recases member names at every depth, lists of structures included, and keeps a map\'s keys', () => {
    expect(
      recasedByShape(
        {
          JobName: 'nightly',
          BatchInferenceJobConfig: { ItemExplorationConfig: { ExplorationWeight: '0.3' }, RankingInfluence: { FRESHNESS: 0.5 } },
          Tags: [{ TagKey: 'team', TagValue: 'growth' }],
          FilterArn: undefined,
        },
        createInference.input,
        lowerFirst,
      ),
    ).toEqual({
      jobName: 'nightly',
      batchInferenceJobConfig: { itemExplorationConfig: { ExplorationWeight: '0.3' }, rankingInfluence: { FRESHNESS: 0.5 } },
      tags: [{ tagKey: 'team', tagValue: 'growth' }],
    });
  });

  it('answers with PascalCase member names and timestamps as ISO 8601', () => {
    const answer = { batchInferenceJob: { status: 'ACTIVE', creationDateTime: new Date('2026-11-30T02:00:05Z'), batchInferenceJobConfig: { itemExplorationConfig: { explorationWeight: '0.3' } } } };

    expect(recasedByShape(answer, describeInference.output, upperFirst)).toEqual({
      BatchInferenceJob: { Status: 'ACTIVE', CreationDateTime: '2026-11-30T02:00:05.000Z', BatchInferenceJobConfig: { ItemExplorationConfig: { explorationWeight: '0.3' } } },
    });
  });

  it('refuses a parameter that is no member of the request, naming the members there are', () => {
    expect(() => recasedByShape({ JobInput: { S3DataSource: { Path: 's3://a/b', Bucket: 'a' } } }, createInference.input, lowerFirst)).toThrow(
      'The field JobInput.S3DataSource.Bucket is not a member of S3DataConfig: the API has path, kmsKeyArn.',
    );
  });
});
