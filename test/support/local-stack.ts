import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { LocalDeployment, ModuleLoader, SimulatedClock } from '../../local/local-deployment';
import { LocalIam } from '../../local/iam/local-iam';
import { LocalPersonalize } from '../../local/personalize-endpoint';
import { CapturedLogs } from './captured-logs';

/** Loads modules through jest's registry, each in isolation, with stubs as jest mocks. */
export const jestModuleLoader: ModuleLoader = (modulePath, stubs) => {
  for (const [stubPath, exports] of Object.entries(stubs)) {
    jest.doMock(stubPath, () => exports);
  }
  let loaded: unknown;
  jest.isolateModules(() => {
    loaded = jest.requireActual(modulePath);
  });
  return loaded;
};

/** Jest's fake Date, which the handlers read too; timers stay real for the HTTP traffic. */
export const jestClock: SimulatedClock = {
  now: () => Date.now(),
  set: (epochMs) => jest.setSystemTime(epochMs),
};

export function useSimulatedTime(start = new Date('2026-11-28T10:00:00.000Z')): void {
  jest.useFakeTimers({ now: start, doNotFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'clearImmediate', 'nextTick', 'queueMicrotask', 'hrtime', 'performance'] });
}

/** The IAM of the test file's local endpoint (useLocalPersonalize), which every deployment of the file's stacks answers to. */
let fileIam: LocalIam | undefined;

/** A stack synthesized into its own cloud assembly inside the repository (the bundle resolves @aws-sdk from node_modules). */
export class SynthesizedStack {
  readonly outdir = fs.mkdtempSync(path.join(__dirname, '..', '..', '.test-assembly-'));
  /** A deployment of the stack as synthesized; `undeploy` starts a new one. */
  deployment: LocalDeployment;

  /**
   * @param build declares the resources of a plain stack named `Local`, or `{ stack }` makes a
   *   stack of its own in the app, named `Local`
   */
  constructor(build: ((stack: Stack) => void) | { readonly stack: (app: App, id: 'Local') => Stack }) {
    const app = new App({ outdir: this.outdir });
    if (typeof build === 'function') {
      build(new Stack(app, 'Local'));
    } else {
      build.stack(app, 'Local');
    }
    app.synth();
    this.deployment = this.newDeployment();
  }

  /**
   * Changes the template as synthesized (a statement taken out of a policy, say) and starts a new
   * deployment of it, as if the app had synthesized that; restoreTemplate undoes it.
   */
  editTemplate(edit: (template: { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> }) => void): void {
    this.synthesizedTemplate ??= fs.readFileSync(this.templateFile, 'utf8');
    const template = JSON.parse(this.synthesizedTemplate);
    edit(template);
    fs.writeFileSync(this.templateFile, JSON.stringify(template));
    this.undeploy();
  }

  /** The template as synthesized again, after editTemplate, and a new deployment of it. */
  restoreTemplate(): void {
    if (this.synthesizedTemplate !== undefined) {
      fs.writeFileSync(this.templateFile, this.synthesizedTemplate);
    }
    this.undeploy();
  }

  private synthesizedTemplate?: string;

  private get templateFile(): string {
    return path.join(this.outdir, 'Local.template.json');
  }

  /** Forgets what was deployed: the next deployment starts from an empty stack, with this template. */
  undeploy(): void {
    this.deployment = this.newDeployment();
  }

  private newDeployment(): LocalDeployment {
    return new LocalDeployment(this.outdir, 'Local', { loader: jestModuleLoader, clock: jestClock, iam: fileIam });
  }

  /** The logical id of the waiter (or, with its resource type, the job) whose construct id is `constructId`. */
  waiterId(constructId: string, resourceType = 'Custom::PersonalizeBatchSegmentJobWaiter'): string {
    const id = this.deployment.logicalIdsOf(resourceType).find((logicalId) => logicalId.startsWith(constructId));
    if (id === undefined) {
      throw new Error(`no ${resourceType} ${constructId} in the stack`);
    }
    return id;
  }

  dispose(): void {
    fs.rmSync(this.outdir, { recursive: true, force: true });
  }
}

/**
 * For a test file: a local Personalize endpoint that the handlers' SDK reaches, with IAM deciding
 * every call on the policies of the stacks deployed, simulated time in each test, the endpoint's
 * calls and faults reset between tests, and the logs captured.
 */
export function useLocalPersonalize(): { readonly personalize: LocalPersonalize; readonly logs: CapturedLogs; readonly iam: LocalIam } {
  const iam = new LocalIam();
  fileIam = iam;
  const personalize = new LocalPersonalize({ clock: () => Date.now(), iam });
  const logs = new CapturedLogs();
  const savedEnv = { ...process.env };
  beforeAll(async () => {
    process.env.AWS_ENDPOINT_URL_PERSONALIZE = await personalize.start();
    process.env.AWS_ACCESS_KEY_ID = 'AKIDLOCAL';
    process.env.AWS_SECRET_ACCESS_KEY = 'local-secret';
    delete process.env.AWS_PROFILE;
  });
  afterAll(async () => {
    await personalize.stop();
    process.env = savedEnv;
  });
  beforeEach(() => {
    useSimulatedTime();
    personalize.resetCallsAndFaults();
    iam.forgetDecisions();
    logs.start();
  });
  afterEach(() => {
    logs.stop();
    jest.useRealTimers();
  });
  return { personalize, logs, iam };
}

/**
 * Least privilege, measured: every statement (each of its resources) that the library grants the
 * handlers' role or a job role, in every stack the file deployed, allowed at least one call of
 * the file's tests. Fails with the list of those that none used.
 */
export function expectEveryGrantUsed(iam: LocalIam): void {
  const unused = iam.unusedGrants().map((grant) => `${grant.roleLogicalId} ${grant.policyName} #${grant.statement}: ${grant.actions.join(', ')} on ${grant.resource}`);
  expect(iam.trackedGrants().length).toBeGreaterThan(0);
  expect(unused).toEqual([]);
}
