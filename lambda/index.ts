/** The waiter's Lambda entry points, bundled into one asset that both functions share. */
export { handler as onEvent } from './engine/on-event';
export { handler as isComplete } from './engine/is-complete';
