import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks, ServerlessChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { PipelineStack, PipelineStackProps } from '../bin/pipeline-stack';
import { JobHandlers } from '../lib/engine/job-handlers';
import { JobWaitBase } from '../lib/engine/job-wait-base';
import { RunBatchInferenceJob, RunBatchSegmentJob, RunDatasetImportJob, TrainSolutionVersion } from '../lib';
import { cdkNagUnsupportedReason } from './support/cdk-nag-support';

/*
 * What cdk-nag's compliance packs report on the resources this library creates in the example
 * pipeline (bin/pipeline-stack.ts): the handlers, the provider framework's functions, roles, log
 * groups and state machines, the job roles, the asset copies and aws-cdk-lib's function that makes
 * them. Without handler settings, counted by rule, so that a new finding shows: what is left is what
 * the settings clear (README, "Compliance packs"). With the regulated example's settings, nothing.
 */

/** aws-cdk-lib's function for AwsCustomResource, which the asset copies run on (lib/kinds/dataset-import-job/object-copy.ts). */
const SDK_CALL_FUNCTION_ID = 'AWS679f53fac002430cb0da5b7982bd2287';

/** The library's pieces of a state machine, whose job roles are the library's resources too. */
const RUNS = [RunDatasetImportJob, TrainSolutionVersion, RunBatchSegmentJob, RunBatchInferenceJob];

const PACKS = [
  ['AwsSolutions', (app: App) => new AwsSolutionsChecks(app)],
  ['HIPAA Security', (app: App) => new HIPAASecurityChecks(app)],
  ['NIST 800-53 rev 5', (app: App) => new NIST80053R5Checks(app)],
  ['PCI DSS 3.2.1', (app: App) => new PCIDSS321Checks(app)],
  ['Serverless', (app: App) => new ServerlessChecks(app)],
] as const;

/** The paths of what the library created in the stack: its constructs, its handlers and the SDK-call function. */
function libraryPaths(stack: IConstruct): string[] {
  const ours = stack.node.findAll().filter((construct) => construct instanceof JobWaitBase || construct instanceof JobHandlers || RUNS.some((run) => construct instanceof run));
  return [...ours.map((construct) => construct.node.path), `${stack.node.path}/${SDK_CALL_FUNCTION_ID}`];
}

/** The pack's findings on the library's resources (or, with `under`, on everything under that construct id), by rule. */
function findingsOnLibrary(pack: (app: App) => object, props: PipelineStackProps = {}, under?: string): Record<string, number> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'packs-'));
  const app = new App({ outdir });
  const stack = new PipelineStack(app, 'Pipeline', props);
  Validations.of(app).addPlugins(pack(app) as never);
  // The synth throws when the pack reports anything, the example's own resources included; the report says what.
  try {
    app.synth();
  } catch (error) {
    expect(String(error)).toMatch(/validation/i);
  }
  const ours = under === undefined ? libraryPaths(stack) : [`${stack.node.path}/${under}`];
  const report = JSON.parse(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf8'));
  fs.rmSync(outdir, { recursive: true, force: true });
  const counts: Record<string, number> = {};
  for (const { violations } of report.pluginReports as Array<{ violations: Array<{ ruleName: string; violatingConstructs: Array<{ constructPath: string }> }> }>) {
    for (const { ruleName, violatingConstructs } of violations) {
      const onLibrary = violatingConstructs.filter(({ constructPath }) => ours.some((own) => constructPath === own || constructPath.startsWith(`${own}/`)));
      if (onLibrary.length > 0) {
        counts[ruleName] = (counts[ruleName] ?? 0) + onLibrary.length;
      }
    }
  }
  return counts;
}

const cdkNagSkipped = cdkNagUnsupportedReason();
const describeCdkNag = cdkNagSkipped === undefined ? describe : describe.skip;

describeCdkNag(`compliance packs on the library's resources in the example pipeline${cdkNagSkipped === undefined ? '' : ` (skipped: ${cdkNagSkipped})`}`, () => {
  describe('without handler settings', () => {
    it('AwsSolutions reports nothing', () => {
      expect(findingsOnLibrary(PACKS[0][1])).toEqual({});
    });

    it.each([
      ['HIPAA Security', 'HIPAA.Security'],
      ['NIST 800-53 rev 5', 'NIST.800.53.R5'],
    ])('%s reports unreserved concurrency, functions outside a VPC and unencrypted log groups', (name, prefix) => {
      const pack = PACKS.find(([packName]) => packName === name)![1];
      expect(findingsOnLibrary(pack)).toEqual({
        [`${prefix}-LambdaConcurrency`]: 9,
        [`${prefix}-LambdaInsideVPC`]: 9,
        [`${prefix}-CloudWatchLogGroupEncrypted`]: 3,
      });
    });

    it('PCI DSS 3.2.1 reports functions outside a VPC and unencrypted log groups', () => {
      expect(findingsOnLibrary(PACKS[3][1])).toEqual({
        'PCI.DSS.321-LambdaInsideVPC': 9,
        'PCI.DSS.321-CloudWatchLogGroupEncrypted': 3,
      });
    });

    it("Serverless reports the provider framework's default memory size, no tracing and state machines without X-Ray", () => {
      expect(findingsOnLibrary(PACKS[4][1])).toEqual({
        'Serverless-LambdaDefaultMemorySize': 7,
        'Serverless-LambdaTracing': 9,
        'Serverless-StepFunctionStateMachineXray': 2,
      });
    });
  });

  describe('with the copies written into a bucket encrypted with a KMS key of the stack', () => {
    it.each(PACKS.map(([name, pack]) => [name, pack] as const))('%s reports what it reports without the key, and nothing on the copy\'s grant', (_name, pack) => {
      expect(findingsOnLibrary(pack, { encryptData: true })).toEqual(findingsOnLibrary(pack));
    });
  });

  describe('with the scheduled runs (bin/scheduled-runs.ts)', () => {
    it.each(PACKS.map(([name, pack]) => [name, pack] as const))('%s reports on the library\'s resources what it reports without them', (_name, pack) => {
      expect(findingsOnLibrary(pack, { scheduled: true })).toEqual(findingsOnLibrary(pack));
    });

    it.each(PACKS.map(([name, pack]) => [name, pack] as const))('%s reports nothing on the runs, their state machine and schedules', (_name, pack) => {
      expect(findingsOnLibrary(pack, { scheduled: true }, 'ScheduledRuns')).toEqual({});
    });
  });

  describe("with the regulated example's handler settings (in a VPC, logs encrypted, concurrency reserved, traced, memory set) and its KMS-encrypted bucket", () => {
    it.each(PACKS.map(([name, pack]) => [name, pack] as const))('%s reports nothing', (_name, pack) => {
      expect(findingsOnLibrary(pack, { regulated: true })).toEqual({});
    });

    it('encrypts the bucket the copies are written to with a key of the stack', () => {
      const stack = new PipelineStack(new App(), 'Pipeline', { regulated: true });
      expect(stack.node.tryFindChild('DataKey')).toBeDefined();
    });
  });
});
