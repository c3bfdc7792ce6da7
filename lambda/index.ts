/** The waiter's Lambda entry points, bundled into one asset that both functions share. */
export { handler as onEvent } from './on-event';
export { handler as isComplete } from './is-complete';
