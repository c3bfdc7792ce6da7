import { LocalStateMachine, VirtualTimers } from '../../local/step-functions/local-state-machine';
import type { LocalIam } from '../../local/iam/local-iam';
import type { SynthesizedStack } from './local-stack';

/** jest's fake timers, which the Wait states and retries sleep on, moved on by the local state machine. */
export const jestTimers: VirtualTimers = { pending: () => jest.getTimerCount(), next: () => jest.advanceTimersToNextTimer() };

/** Fakes setTimeout and Date from `now`; the rest of the event loop stays real, for the SDK's I/O. */
export function useFakeClock(now: Date): void {
  jest.useFakeTimers({ now, doNotFake: ['setImmediate', 'clearImmediate', 'nextTick', 'queueMicrotask', 'hrtime', 'performance', 'setInterval', 'clearInterval'] });
}

/** The stack's only state machine (or the one whose logical id starts with `prefix`), executed locally with IAM deciding. */
export function localStateMachineOf(stack: SynthesizedStack, iam: LocalIam, prefix = ''): LocalStateMachine {
  const logicalIds = stack.deployment.logicalIdsOf('AWS::StepFunctions::StateMachine').filter((id) => id.startsWith(prefix));
  if (logicalIds.length !== 1) {
    throw new Error(`The stack has ${logicalIds.length} state machines whose logical id starts with "${prefix}": ${logicalIds.join(', ')}.`);
  }
  return new LocalStateMachine(stack.deployment, logicalIds[0], { iam, personalizeEndpoint: process.env.AWS_ENDPOINT_URL_PERSONALIZE!, timers: jestTimers });
}
