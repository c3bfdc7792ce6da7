import { REASON_BUDGET_BYTES, truncateToJsonBytes } from './response-budget';

/**
 * An error whose message is the whole story for the person reading CloudFormation's events.
 *
 * The provider framework reports a failed handler with the error's stack as the reason, and
 * CloudFormation shows it in the stack events. The stack of a bundled handler only crowds out the
 * message (and the 4096-byte response), so it is reduced to the message's one line; the full error
 * goes to the handler's log instead.
 */
export class WaiterError extends Error {
  constructor(message: string) {
    super(truncateToJsonBytes(toOneLine(message), REASON_BUDGET_BYTES));
    this.name = 'WaiterError';
    this.stack = `${this.name}: ${this.message}`;
  }
}

/** Collapses line breaks and control characters: the framework repeats every line after the first. */
export function toOneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ');
}

/** A value as it appears in an error message: on one line, short, and quoted if it is a string. */
export function quote(value: unknown, maxBytes = 300): string {
  if (typeof value === 'string') {
    return `"${truncateToJsonBytes(toOneLine(value), maxBytes)}"`;
  }
  return truncateToJsonBytes(JSON.stringify(value) ?? String(value), maxBytes);
}

/** "ResourceNotFoundException: No job with ARN ..." for any thrown value. */
export function describeThrown(error: unknown): string {
  if (error instanceof Error) {
    return truncateToJsonBytes(toOneLine(`${error.name}: ${error.message}`), 600);
  }
  return quote(error);
}

/** The name of what a call threw (the SDK's exception name, e.g. `ResourceNotFoundException`); empty for a non-Error. */
export function errorNameOf(error: unknown): string {
  return error instanceof Error ? error.name : '';
}
