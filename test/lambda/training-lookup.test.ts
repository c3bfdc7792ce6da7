import { DescribeSolutionVersionCommand, ListSolutionVersionsCommand, PersonalizeClient } from '@aws-sdk/client-personalize';
import { mockClient } from 'aws-sdk-client-mock';
import { describeRunningVersions, describeVersionNamed, LOOKUP_BUDGET_MS, LookupUnfinishedError, newestActiveVersion } from '../../lambda/kinds/solution-version/training-lookup';

/*
 * The lookups of a solution's versions by what their list answers: which versions are described,
 * and the time budget each lookup keeps within the handlers' minute.
 */

const SOLUTION = 'arn:aws:personalize:us-east-1:111122223333:solution/promo';
const NOW = Date.parse('2026-11-28T10:00:00.000Z');
const personalize = mockClient(PersonalizeClient);
const client = () => new PersonalizeClient({ region: 'us-east-1' });
const version = (id: string, status: string, minutesAgo = 10) => ({ solutionVersionArn: `${SOLUTION}/${id}`, status, creationDateTime: new Date(NOW - minutesAgo * 60_000) });

beforeEach(() => {
  personalize.reset();
  jest.useFakeTimers({ now: NOW });
});

afterEach(() => jest.useRealTimers());

describe('describeRunningVersions', () => {
  it('describes only the versions still training, and answers nothing else', async () => {
    personalize.on(ListSolutionVersionsCommand).resolves({ solutionVersions: [version('a', 'ACTIVE'), version('b', 'CREATE IN_PROGRESS'), version('c', 'CREATE STOPPED'), version('d', 'CREATE PENDING')] });
    personalize.on(DescribeSolutionVersionCommand).callsFake(({ solutionVersionArn }) => ({ solutionVersion: { solutionVersionArn, name: `name-${String(solutionVersionArn).slice(-1)}` } }));

    const running = await describeRunningVersions(client(), SOLUTION);

    expect(running.map((described) => described.name)).toEqual(['name-b', 'name-d']);
    expect(personalize.commandCalls(DescribeSolutionVersionCommand).map((call) => call.args[0].input.solutionVersionArn)).toEqual([`${SOLUTION}/b`, `${SOLUTION}/d`]);
  });

  it('answers none for a solution with no versions, or a page that lists none, and leaves out a version Personalize no longer describes', async () => {
    personalize.on(ListSolutionVersionsCommand).resolvesOnce({}).resolves({ solutionVersions: [version('b', 'CREATE IN_PROGRESS')] });
    personalize.on(DescribeSolutionVersionCommand).resolves({});

    await expect(describeRunningVersions(client(), SOLUTION)).resolves.toStrictEqual([]);
    expect(personalize.commandCalls(DescribeSolutionVersionCommand)).toHaveLength(0);
    await expect(describeRunningVersions(client(), SOLUTION)).resolves.toStrictEqual([]);
  });

  it('goes on when the lookup has taken its whole budget and no more', async () => {
    personalize.on(ListSolutionVersionsCommand).callsFake(() => {
      jest.setSystemTime(Date.now() + LOOKUP_BUDGET_MS);
      return { solutionVersions: [] };
    });

    await expect(describeRunningVersions(client(), SOLUTION)).resolves.toStrictEqual([]);
  });

  it('gives up once the lookup has gone on longer than its budget, as a fault the next poll retries', async () => {
    personalize.on(ListSolutionVersionsCommand).resolves({ solutionVersions: [version('b', 'CREATE IN_PROGRESS'), version('d', 'CREATE PENDING')] });
    const describedAfter = (ms: number) =>
      personalize.on(DescribeSolutionVersionCommand).callsFake(({ solutionVersionArn }) => {
        jest.setSystemTime(Date.now() + ms);
        return { solutionVersion: { solutionVersionArn } };
      });

    describedAfter(LOOKUP_BUDGET_MS / 2);
    await expect(describeRunningVersions(client(), SOLUTION)).resolves.toHaveLength(2);

    describedAfter(LOOKUP_BUDGET_MS + 1);
    const error = await describeRunningVersions(client(), SOLUTION).catch((thrown: unknown) => thrown as LookupUnfinishedError);
    expect(error).toBeInstanceOf(LookupUnfinishedError);
    expect(error).toMatchObject({ name: 'LookupUnfinishedError', $fault: 'server' });
    expect((error as Error).message).toBe(`Looking for the trainings in progress of solution ${SOLUTION} took over 25 s; the next poll looks again.`);
  });
});

describe('describeVersionNamed', () => {
  it('describes the versions newest first until one has the name', async () => {
    personalize.on(ListSolutionVersionsCommand).resolves({ solutionVersions: [version('old', 'ACTIVE', 30), version('new', 'ACTIVE', 5)] });
    personalize.on(DescribeSolutionVersionCommand).callsFake(({ solutionVersionArn }) => ({ solutionVersion: { solutionVersionArn, name: String(solutionVersionArn).endsWith('new') ? 'other' : 'model-1' } }));

    await expect(describeVersionNamed(client(), SOLUTION, 'model-1')).resolves.toMatchObject({ solutionVersionArn: `${SOLUTION}/old` });
    expect(personalize.commandCalls(DescribeSolutionVersionCommand).map((call) => call.args[0].input.solutionVersionArn)).toEqual([`${SOLUTION}/new`, `${SOLUTION}/old`]);
  });

  it('says the training is not created yet when no version has the name, describing nothing of a page that lists none', async () => {
    personalize.on(ListSolutionVersionsCommand).resolves({});

    await expect(describeVersionNamed(client(), SOLUTION, 'model-1')).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: `Solution ${SOLUTION} has no version named model-1 created in the last 13 hours.`,
    });
    expect(personalize.commandCalls(DescribeSolutionVersionCommand)).toHaveLength(0);
  });
});

describe('newestActiveVersion', () => {
  it('answers the newest ACTIVE version the check accepts, described, and asks only about ACTIVE ones', async () => {
    personalize.on(ListSolutionVersionsCommand).resolves({ solutionVersions: [version('a', 'ACTIVE', 50), version('b', 'CREATE FAILED', 20), version('c', 'ACTIVE', 10)] });
    personalize.on(DescribeSolutionVersionCommand).callsFake(({ solutionVersionArn }) => ({ solutionVersion: { solutionVersionArn } }));
    const asked: string[] = [];
    const isAdoptable = async (arn: string) => {
      asked.push(arn);
      return arn.endsWith('/a');
    };

    await expect(newestActiveVersion(client(), SOLUTION, NOW - 3600_000, isAdoptable)).resolves.toEqual({ solutionVersionArn: `${SOLUTION}/a` });
    expect(asked).toEqual([`${SOLUTION}/c`, `${SOLUTION}/a`]);
  });

  it('gives up past its budget, naming the lookup', async () => {
    personalize.on(ListSolutionVersionsCommand).resolves({ solutionVersions: [version('a', 'ACTIVE', 50), version('c', 'ACTIVE', 10)] });
    const slowCheck = async () => {
      jest.setSystemTime(Date.now() + LOOKUP_BUDGET_MS + 1);
      return false;
    };

    await expect(newestActiveVersion(client(), SOLUTION, NOW - 3600_000, slowCheck)).rejects.toThrow(`Looking for a version of solution ${SOLUTION} to reuse took over 25 s`);
  });
});
