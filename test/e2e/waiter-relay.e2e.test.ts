import { CfnParameter, Duration } from 'aws-cdk-lib';
import { BatchSegmentJobWaiter } from '../../lib';
import type { Deployment } from '../../local/local-deployment';
import { expectEveryGrantUsed, SynthesizedStack, useLocalPersonalize } from '../support/local-stack';

/*
 * A waiter with a five-hour timeout: a chain of links deployed one after another, as
 * CloudFormation deploys resources that depend on each other, each through the provider
 * framework's code and the handler bundle, against the local endpoint in simulated time.
 */

const jobArn = (name: string) => `arn:aws:personalize:us-east-1:111122223333:batch-segment-job/${name}`;
const { personalize, logs, iam } = useLocalPersonalize();
let stack: SynthesizedStack;
let chain: string[];

beforeAll(() => {
  stack = new SynthesizedStack((s) => {
    // The job comes from a parameter, as IAM sees it too: the handlers' policy names the job the parameter names.
    const job = new CfnParameter(s, 'JobArn', { type: 'String' });
    new BatchSegmentJobWaiter(s, 'Long', { batchSegmentJobArn: job.valueAsString, timeout: Duration.hours(5) });
  });
  chain = stack.deployment.chainOf('Long', 'Custom::PersonalizeBatchSegmentJobWaiter');
});

afterAll(() => stack.dispose());

/** Creates the links in order, as CloudFormation would, stopping at the first that fails. */
async function createChain(arn: string): Promise<{ links: Deployment[]; elapsedSeconds: number }> {
  const start = Date.now();
  const links: Deployment[] = [];
  for (const logicalId of chain) {
    const link = await stack.deployment.deploy({ requestType: 'Create', logicalId, parameters: { JobArn: arn } });
    links.push(link);
    if (link.response.Status === 'FAILED') {
      break;
    }
  }
  return { links, elapsedSeconds: (Date.now() - start) / 1000 };
}

it('is a chain of six links, each under the hour', () => {
  expect(chain).toHaveLength(6);
  expect(chain.map((id) => stack.deployment.propertiesOf(id).ServiceTimeout)).toEqual(['3600', '3600', '3600', '3600', '3600', String(1050 + 30 + 180)]);
});

it('waits out a three-hour job and answers with its attributes', async () => {
  personalize.addJob({
    batchSegmentJobArn: jobArn('three-hours'),
    timeline: [{ afterSeconds: 0, status: 'CREATE PENDING' }, { afterSeconds: 600, status: 'CREATE IN_PROGRESS' }, { afterSeconds: 3 * 3600, status: 'ACTIVE' }],
    numResults: 5000000,
    outputPath: 's3://promo-data/big/',
  });

  const { links, elapsedSeconds } = await createChain(jobArn('three-hours'));

  expect(links.map((link) => link.response.Status)).toEqual(Array(6).fill('SUCCESS'));
  // Three links hand over after 56m 30s each; the fourth sees the job end; the rest answer at once.
  expect(links.map((link) => link.elapsedSeconds)).toEqual([3390, 3390, 3390, 630, 0, 0]);
  expect(elapsedSeconds).toBe(3 * 3600);
  expect(links[5].response.Data).toMatchObject({ Status: 'ACTIVE', NumResults: '5000000', OutputPath: 's3://promo-data/big/' });
  expect(links[0].response.Data).toMatchObject({ Status: 'CREATE IN_PROGRESS' });
  expect(logs.lines.filter((line) => line.message === 'Handing the wait over to the next link')).toHaveLength(3);
});

it('fails a job that never ends at five hours, saying so', async () => {
  personalize.addJob({ batchSegmentJobArn: jobArn('endless'), timeline: [{ afterSeconds: 0, status: 'CREATE IN_PROGRESS' }] });

  const { links, elapsedSeconds } = await createChain(jobArn('endless'));

  expect(links.map((link) => link.response.Status)).toEqual(['SUCCESS', 'SUCCESS', 'SUCCESS', 'SUCCESS', 'SUCCESS', 'FAILED']);
  expect(elapsedSeconds).toBe(5 * 3600);
  expect(links[5].response.Reason).toMatch(
    new RegExp(`^Gave up waiting for batch segment job ${jobArn('endless')} after 5h; its last status was CREATE IN_PROGRESS\\. To wait longer, raise the waiter's timeout \\(now 5h; at most 12h\\)\\.`),
  );
});

it('answers a five-minute job within a poll of its end, not after an hour', async () => {
  personalize.addJob({ batchSegmentJobArn: jobArn('quick'), timeline: [{ afterSeconds: 0, status: 'CREATE PENDING' }, { afterSeconds: 290, status: 'ACTIVE' }] });

  const { links, elapsedSeconds } = await createChain(jobArn('quick'));

  expect(links.map((link) => link.response.Status)).toEqual(Array(6).fill('SUCCESS'));
  expect(elapsedSeconds).toBe(300);
  expect(links.slice(1).map((link) => link.polls)).toEqual([1, 1, 1, 1, 1]);
});

it('fails at the link that sees the job fail, so the rest are never created', async () => {
  personalize.addJob({
    batchSegmentJobArn: jobArn('fails-late'),
    timeline: [{ afterSeconds: 0, status: 'CREATE IN_PROGRESS' }, { afterSeconds: 2 * 3600, status: 'CREATE FAILED' }],
    failureReason: 'The job ran out of memory.',
  });

  const { links } = await createChain(jobArn('fails-late'));

  expect(links.map((link) => link.response.Status)).toEqual(['SUCCESS', 'SUCCESS', 'FAILED']);
  expect(links[2].response.Reason).toContain("Personalize's reason: The job ran out of memory.");
});

it('waits for a new job across all links when an update points the waiter at it', async () => {
  personalize.addJob({ batchSegmentJobArn: jobArn('old'), timeline: [{ afterSeconds: 0, status: 'ACTIVE' }] });
  personalize.addJob({ batchSegmentJobArn: jobArn('new'), timeline: [{ afterSeconds: 0, status: 'CREATE IN_PROGRESS' }, { afterSeconds: 2 * 3600, status: 'ACTIVE' }], outputPath: 's3://promo-data/new/' });

  const links: Deployment[] = [];
  for (const logicalId of chain) {
    links.push(
      await stack.deployment.deploy({
        requestType: 'Update',
        logicalId,
        parameters: { JobArn: jobArn('new') },
        physicalResourceId: jobArn('old'),
        oldProperties: { BatchSegmentJobArn: jobArn('old') },
      }),
    );
  }

  expect(links.map((link) => link.response.PhysicalResourceId)).toEqual(Array(6).fill(jobArn('new')));
  expect(links.map((link) => link.elapsedSeconds)).toEqual([3390, 3390, 420, 0, 0, 0]);
  expect(links[5].response.Data).toMatchObject({ Status: 'ACTIVE', OutputPath: 's3://promo-data/new/' });
});

it('grants its handlers and job roles nothing that no call of this file used', () => expectEveryGrantUsed(iam));
