import {
  CreateBatchSegmentJobCommand,
  CreateSolutionVersionCommand,
  DescribeSolutionCommand,
  DescribeSolutionVersionCommand,
  GetSolutionMetricsCommand,
  ListSolutionVersionsCommand,
  PersonalizeClient,
  StopSolutionVersionCreationCommand,
  UpdateSolutionCommand,
} from '@aws-sdk/client-personalize';
import { UPDATE_SECONDS } from '../../local/kinds/solution-version';
import { LocalPersonalize } from '../../local/personalize-endpoint';

/** The local endpoint's solution versions, as the real AWS SDK client sees them. */

const START = Date.parse('2026-11-28T10:00:00.000Z');
const SOLUTION = 'arn:aws:personalize:us-east-1:111122223333:solution/promo';
let now = START;
const personalize = new LocalPersonalize({ clock: () => now });
let client: PersonalizeClient;

const train = (name: string, solutionArn = SOLUTION) => client.send(new CreateSolutionVersionCommand({ solutionArn, name }));
const describe_ = async (solutionVersionArn: string) => (await client.send(new DescribeSolutionVersionCommand({ solutionVersionArn }))).solutionVersion!;

beforeAll(async () => {
  const endpoint = await personalize.start();
  client = new PersonalizeClient({ region: 'us-east-1', endpoint, maxAttempts: 1, credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'secret' } });
});

afterAll(() => personalize.stop());

beforeEach(() => {
  now = START;
  personalize.trainings.removeAll();
  personalize.trainings.addSolution(SOLUTION);
});

it('trains through the live statuses, reports training hours and, once ACTIVE, metrics; a batch job can then use the version', async () => {
  const { solutionVersionArn } = await train('nightly');
  expect(solutionVersionArn).toMatch(new RegExp(`^${SOLUTION}/[0-9a-f]+$`));
  expect(await describe_(solutionVersionArn!)).toMatchObject({ name: 'nightly', status: 'CREATE PENDING', trainingMode: 'FULL', solutionArn: SOLUTION });
  await expect(client.send(new GetSolutionMetricsCommand({ solutionVersionArn }))).rejects.toMatchObject({ name: 'ResourceInUseException' });

  now = START + 3 * 3600 * 1000;
  expect(await describe_(solutionVersionArn!)).toMatchObject({ status: 'ACTIVE', trainingHours: 1.917 });
  expect((await client.send(new GetSolutionMetricsCommand({ solutionVersionArn }))).metrics).toMatchObject({ precision_at_5: 0.09 });
  await expect(
    client.send(
      new CreateBatchSegmentJobCommand({
        jobName: 'from-trained',
        solutionVersionArn,
        jobInput: { s3DataSource: { path: 's3://promo-data/in.json' } },
        jobOutput: { s3DataDestination: { path: 's3://promo-data/out/' } },
        roleArn: 'arn:aws:iam::111122223333:role/PersonalizeBatch',
      }),
    ),
  ).resolves.toMatchObject({ batchSegmentJobArn: expect.any(String) });
});

it('refuses a name the solution already has, a solution not ACTIVE yet, and one it does not know', async () => {
  await train('nightly');
  await expect(train('nightly')).rejects.toMatchObject({ name: 'ResourceAlreadyExistsException' });
  personalize.trainings.addSolution(`${SOLUTION}-new`, { activeAfterSeconds: 600 });
  await expect(train('first', `${SOLUTION}-new`)).rejects.toMatchObject({ name: 'ResourceInUseException' });
  now = START + 600 * 1000;
  await expect(train('first', `${SOLUTION}-new`)).resolves.toMatchObject({ solutionVersionArn: expect.any(String) });
  await expect(train('x', `${SOLUTION}-unknown`)).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
});

it('stops a pending training at once and one in progress after CREATE STOPPING; a finished one cannot be stopped', async () => {
  const pending = (await train('pending')).solutionVersionArn!;
  await client.send(new StopSolutionVersionCreationCommand({ solutionVersionArn: pending }));
  expect((await describe_(pending)).status).toBe('CREATE STOPPED');

  now = START + 600 * 1000;
  const inProgress = (await train('in-progress')).solutionVersionArn!;
  now += 400 * 1000;
  await client.send(new StopSolutionVersionCreationCommand({ solutionVersionArn: inProgress }));
  expect((await describe_(inProgress)).status).toBe('CREATE STOPPING');
  now += 60 * 1000;
  expect((await describe_(inProgress)).status).toBe('CREATE STOPPED');
  await expect(client.send(new StopSolutionVersionCreationCommand({ solutionVersionArn: inProgress }))).rejects.toMatchObject({ name: 'ResourceInUseException' });
});

it('lists a solution\'s versions by pages, without their names', async () => {
  for (const name of ['a', 'b', 'c']) {
    await train(name);
  }
  const first = await client.send(new ListSolutionVersionsCommand({ solutionArn: SOLUTION, maxResults: 2 }));
  const second = await client.send(new ListSolutionVersionsCommand({ solutionArn: SOLUTION, maxResults: 2, nextToken: first.nextToken }));
  expect(first.solutionVersions).toHaveLength(2);
  expect(second.solutionVersions).toHaveLength(1);
  expect(second.nextToken).toBeUndefined();
  expect(first.solutionVersions![0]).not.toHaveProperty('name');
  expect(first.solutionVersions![0]).toMatchObject({ status: 'CREATE PENDING', creationDateTime: new Date(START) });
});

it('refuses a 21st training in progress in a region', async () => {
  for (let i = 0; i < 20; i++) {
    await train(`t${i}`);
  }
  await expect(train('t20')).rejects.toMatchObject({ name: 'LimitExceededException', message: expect.stringContaining('More than 20 resources with PENDING or IN_PROGRESS status') });
});

it('turns automatic training off once the solution is ACTIVE, as UpdateSolution does, and refuses before then or for an unknown solution', async () => {
  const late = 'arn:aws:personalize:us-east-1:111122223333:solution/late';
  personalize.trainings.addSolution(late, { activeAfterSeconds: 600 });
  expect(personalize.trainings.trainsAutomatically(late)).toBe(true);
  await expect(client.send(new UpdateSolutionCommand({ solutionArn: late, performAutoTraining: false }))).rejects.toMatchObject({ name: 'ResourceInUseException' });
  await expect(client.send(new UpdateSolutionCommand({ solutionArn: `${SOLUTION}-gone`, performAutoTraining: false }))).rejects.toMatchObject({
    name: 'ResourceNotFoundException',
  });

  now = START + 600 * 1000;
  expect(await client.send(new UpdateSolutionCommand({ solutionArn: late, performAutoTraining: false }))).toMatchObject({ solutionArn: late });
  // The update runs for a while: the setting holds from its end, and meanwhile the solution neither trains nor takes another update.
  expect(personalize.trainings.trainsAutomatically(late)).toBe(true);
  expect((await client.send(new DescribeSolutionCommand({ solutionArn: late }))).solution).toMatchObject({
    status: 'ACTIVE',
    performAutoTraining: true,
    latestSolutionUpdate: { status: 'CREATE IN_PROGRESS', performAutoTraining: false },
  });
  await expect(client.send(new UpdateSolutionCommand({ solutionArn: late }))).rejects.toMatchObject({ name: 'ResourceInUseException' });
  await expect(client.send(new CreateSolutionVersionCommand({ solutionArn: late }))).rejects.toMatchObject({ name: 'ResourceInUseException' });

  now += UPDATE_SECONDS * 1000;
  expect(personalize.trainings.trainsAutomatically(late)).toBe(false);
  expect((await client.send(new DescribeSolutionCommand({ solutionArn: late }))).solution).toMatchObject({
    performAutoTraining: false,
    latestSolutionUpdate: { status: 'ACTIVE', performAutoTraining: false },
  });
  await client.send(new UpdateSolutionCommand({ solutionArn: late }));
  now += UPDATE_SECONDS * 1000;
  expect(personalize.trainings.trainsAutomatically(late)).toBe(false);
  await client.send(new UpdateSolutionCommand({ solutionArn: late, performAutoTraining: true }));
  now += UPDATE_SECONDS * 1000;
  expect(personalize.trainings.trainsAutomatically(late)).toBe(true);
});
