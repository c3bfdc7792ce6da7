import FakeTimers from '@sinonjs/fake-timers';
import { LocalDeployment } from '../local/local-deployment';
import { LocalIam } from '../local/iam/local-iam';
import { LocalPersonalize } from '../local/personalize-endpoint';

/**
 * The local endpoint and a simulated clock for benchmarks: Date is faked for this process (the
 * handlers read it), timers stay real for the HTTP traffic. IAM decides every call, as in the
 * tests and the demo: a benchmark of calls IAM would refuse would measure nothing real.
 */
export async function withLocalPersonalize<T>(
  run: (personalize: LocalPersonalize, clock: FakeTimers.InstalledClock, swap: { current(): FakeTimers.InstalledClock; replace(next: FakeTimers.InstalledClock): void }) => Promise<T>,
): Promise<T> {
  let clock = FakeTimers.install({ toFake: ['Date'], now: new Date('2026-11-28T10:00:00.000Z') });
  const personalize = new LocalPersonalize({ clock: () => Date.now(), iam: new LocalIam() });
  const saved = { ...process.env };
  const writeOut = process.stdout.write;
  const writeErr = process.stderr.write;
  try {
    process.env.AWS_ENDPOINT_URL_PERSONALIZE = await personalize.start();
    process.env.AWS_ACCESS_KEY_ID = 'AKIDLOCALBENCH';
    process.env.AWS_SECRET_ACCESS_KEY = 'local-bench-secret';
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
    // The handlers' and the framework's logs would drown the figures.
    process.stdout.write = process.stderr.write = (() => true) as typeof process.stdout.write;
    return await run(personalize, clock, { current: () => clock, replace: (next) => (clock = next) });
  } finally {
    process.stdout.write = writeOut;
    process.stderr.write = writeErr;
    process.env = saved;
    await personalize.stop();
    clock.uninstall();
  }
}

export function localDeployment(assemblyDir: string, stackName: string, clock: FakeTimers.InstalledClock, personalize: LocalPersonalize): LocalDeployment {
  return new LocalDeployment(assemblyDir, stackName, { clock: { now: () => Date.now(), set: (ms) => clock.setSystemTime(ms) }, iam: personalize.iam });
}
