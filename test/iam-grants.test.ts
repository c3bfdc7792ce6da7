import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { PipelineStack } from '../bin/pipeline-stack';
import { RecommendationsJobStack } from '../bin/recommendations-job-stack';
import { SegmentsExportStack } from '../bin/segments-export-stack';
import { SegmentsJobStack } from '../bin/segments-job-stack';
import { TrainingStack } from '../bin/training-stack';
import { SOLUTION_VERSION_ARN_EXAMPLE } from '../lib/batch-jobs/contract';
import { JOB_KINDS } from '../lib/kinds';
import { BATCH_SEGMENT_JOB } from '../lib/kinds/batch-segment-job/contract';
import { isLibraryGrantedRole } from '../local/iam/library-roles';
import { LocalIam, RoleSession } from '../local/iam/local-iam';
import { statementsOf } from '../local/iam/policy-world';
import { authorizationsFor, roleUseOf } from '../local/iam/personalize-calls';
import { checkRoleUse } from '../local/iam/personalize-role-checks';
import { LocalDeployment } from '../local/local-deployment';
import { objectCopies, templateCalls } from './support/template-calls';

/*
 * The grants of every example stack (bin/app.ts), checked without a deployment: each call each
 * construct's handlers make (test/support/template-calls.ts), and Personalize's own reads and
 * writes with the job roles, decided by IAM (local/iam/) on the synthesized policies; and each
 * statement granted to the handlers' and job roles used by one of them. The end-to-end tests
 * make the same calls through the handlers themselves.
 */

const EXAMPLES: ReadonlyArray<readonly [string, (app: App, id: string) => Stack]> = [
  ['PersonalizePipelineExample', (app, id) => new PipelineStack(app, id)],
  ['PersonalizeRegulatedPipelineExample', (app, id) => new PipelineStack(app, id, { regulated: true })],
  ['PersonalizeSegmentsExample', (app, id) => new SegmentsExportStack(app, id, { batchSegmentJobArn: BATCH_SEGMENT_JOB.arnExample })],
  ['PersonalizeSegmentsJobExample', (app, id) => new SegmentsJobStack(app, id, { solutionVersionArn: SOLUTION_VERSION_ARN_EXAMPLE })],
  ['PersonalizeRecommendationsJobExample', (app, id) => new RecommendationsJobStack(app, id, { solutionVersionArn: SOLUTION_VERSION_ARN_EXAMPLE })],
  ['PersonalizeTrainingExample', (app, id) => new TrainingStack(app, id, { datasetGroupArn: 'arn:aws:personalize:us-east-1:111122223333:dataset-group/promo', minimumNdcg: 0.2 })],
];

interface Checked {
  readonly refusals: string[];
  readonly unused: string[];
  readonly calls: number;
  readonly copies: number;
}

/** Every call of the template's constructs, decided; and the library's grants that none used. */
async function checkGrants(outdir: string, stackName: string): Promise<Checked> {
  const deployment = new LocalDeployment(outdir, stackName);
  const resources = templateCalls(deployment);
  const world = deployment.policyWorld();
  const iam = new LocalIam();
  iam.trackGrants(world.roles.filter(isLibraryGrantedRole));
  const handlersRole = world.roles.find((role) => role.logicalId.startsWith('PersonalizeJobHandlersRole'))!;
  const session: RoleSession = { world: () => world, roleArn: handlersRole.roleArn, sessionName: 'handlers' };
  const refusals: string[] = [];
  let calls = 0;
  // Lambda's log (and trace) writes for the handlers, with their role.
  const template = JSON.parse(fs.readFileSync(path.join(outdir, `${stackName}.template.json`), 'utf8'));
  const handlerFunctions = deployment.logicalIdsOf('AWS::Lambda::Function').filter((id) => deployment.runtimeWritesOf(id).roleArn === handlersRole.roleArn);
  for (const functionId of handlerFunctions) {
    for (const write of deployment.runtimeWritesOf(functionId).writes) {
      calls++;
      const decision = await iam.decide(world, { requester: { session }, ...write });
      if (!decision.allowed) {
        refusals.push(`the handlers' logs: ${decision.refusal}`);
      }
    }
  }
  for (const { logicalId, calls: requests } of resources) {
    for (const request of requests) {
      for (const authorization of authorizationsFor(request)) {
        calls++;
        const decision = await iam.decide(world, { requester: { session }, ...authorization });
        if (!decision.allowed) {
          refusals.push(`${logicalId} ${request.operation}: ${decision.refusal}`);
        }
      }
      const use = roleUseOf(request);
      const refusal = use === undefined ? undefined : await checkRoleUse(iam, world, use);
      if (refusal !== undefined) {
        refusals.push(`${logicalId} ${request.operation}, Personalize with the job's role: ${refusal.message}`);
      }
    }
  }
  // S3 authorizes CopyObject as s3:GetObject on the source and s3:PutObject on the destination, and
  // the destination's KMS key when its bucket has one (S3 User Guide, "CopyObject"; facts.md).
  const copies = objectCopies(deployment, template);
  for (const copy of copies) {
    const role = world.roles.find((candidate) => candidate.roleArn === copy.roleArn)!;
    iam.trackGrants([role]);
    const copier: RoleSession = { world: () => world, roleArn: copy.roleArn, sessionName: 'copy' };
    const destinationKey = world.bucketKey(copy.destination.bucket);
    const requests = [
      { action: 's3:GetObject', resource: `arn:aws:s3:::${copy.source.bucket}/${copy.source.key}`, resourcePolicy: world.bucketPolicy(copy.source.bucket) },
      { action: 's3:PutObject', resource: `arn:aws:s3:::${copy.destination.bucket}/${copy.destination.key}`, resourcePolicy: world.bucketPolicy(copy.destination.bucket) },
      ...(destinationKey !== undefined ? [{ action: 'kms:GenerateDataKey', resource: destinationKey, resourcePolicy: world.keyPolicy(destinationKey) }] : []),
      // Its traces, when traced; its logs are allowed by an AWS managed policy, which the model does not read.
      ...deployment
        .logicalIdsOf('AWS::Lambda::Function')
        .map((id) => deployment.runtimeWritesOf(id))
        .filter((writes) => writes.roleArn === copy.roleArn)
        .flatMap((writes) => writes.writes.filter((write) => write.action.startsWith('xray:'))),
    ];
    for (const request of requests) {
      calls++;
      const decision = await iam.decide(world, { requester: { session: copier }, ...request });
      if (!decision.allowed) {
        refusals.push(`${copy.logicalId} CopyObject: ${decision.refusal}`);
      }
    }
  }
  const unused = iam.unusedGrants().map((grant) => `${grant.roleLogicalId} #${grant.statement}: ${grant.actions.join(', ')} on ${grant.resource}`);
  return { refusals, unused, calls, copies: copies.length };
}

const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'iam-grants-'));

beforeAll(() => {
  const app = new App({ outdir });
  EXAMPLES.forEach(([name, build]) => build(app, name));
  app.synth();
});

afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

describe.each(EXAMPLES.map(([name]) => name))('%s', (stackName) => {
  it('allows every call of its constructs on the resources they make it on, and Personalize every read and write with the job roles; each grant is used', async () => {
    const { refusals, unused, calls } = await checkGrants(outdir, stackName);

    expect(refusals).toEqual([]);
    expect(unused).toEqual([]);
    expect(calls).toBeGreaterThan(2);
  });
});

it("decides the pipeline's four asset copies (its two imports' data and its two jobs' inputs), each with its own grants only", async () => {
  const { refusals, copies } = await checkGrants(outdir, 'PersonalizePipelineExample');

  expect(copies).toBe(4);
  expect(refusals).toEqual([]);
});

it('reports the call a grant taken out of a template refuses, and the statement no call uses', async () => {
  const edited = fs.mkdtempSync(path.join(os.tmpdir(), 'iam-grants-edited-'));
  const stackName = 'PersonalizeRecommendationsJobExample';
  const template = JSON.parse(fs.readFileSync(path.join(outdir, `${stackName}.template.json`), 'utf8'));
  const policy = Object.entries(template.Resources as Record<string, { Properties: { PolicyDocument: { Statement: Array<{ Action: unknown; Resource: unknown }> } } }>).find(([id]) =>
    id.startsWith('PersonalizeJobHandlersRoleDefaultPolicy'),
  )![1];
  const statements = policy.Properties.PolicyDocument.Statement;
  const passRole = statements.findIndex((statement) => statement.Action === 'iam:PassRole');
  statements.splice(passRole, 1);
  statements.push({ Effect: 'Allow', Action: 'personalize:DescribeCampaign', Resource: 'arn:aws:personalize:us-east-1:111122223333:campaign/unused' } as never);
  fs.writeFileSync(path.join(edited, `${stackName}.template.json`), JSON.stringify(template));

  const { refusals, unused } = await checkGrants(edited, stackName);

  expect(refusals).toEqual([expect.stringMatching(/^Nightly\w+ CreateBatchInferenceJob: User: .* is not authorized to perform: iam:PassRole on resource: arn:aws:iam::111122223333:role\/NightlyRole/)]);
  expect(unused).toEqual([expect.stringMatching(/personalize:DescribeCampaign on arn:aws:personalize:us-east-1:111122223333:campaign\/unused$/)]);
  fs.rmSync(edited, { recursive: true, force: true });
});

it("names in each kind's grantedActions exactly what the constructs grant the handlers, so a refusal is told apart from a missing grant", () => {
  const granted = new Set<string>();
  for (const [stackName] of EXAMPLES) {
    const world = new LocalDeployment(outdir, stackName).policyWorld();
    const handlersRole = world.roles.find((role) => role.logicalId.startsWith('PersonalizeJobHandlersRole'))!;
    handlersRole.identityPolicies.flatMap((policy) => statementsOf(policy.policy)).forEach((statement) => [statement.Action].flat().forEach((action: string) => granted.add(action)));
  }
  // What Lambda writes with the role (LocalDeployment.runtimeWritesOf), not what the handlers call.
  const runtimeWrites = ['logs:CreateLogStream', 'logs:PutLogEvents', 'xray:PutTraceSegments', 'xray:PutTelemetryRecords'];
  expect([...granted].filter((action) => !runtimeWrites.includes(action)).sort()).toEqual([...new Set(JOB_KINDS.flatMap((kind) => kind.grantedActions))].sort());
});
