/**
 * CloudFormation rejects a custom resource response over 4096 bytes, and that one body carries the
 * status, the ids, the failure reason and every attribute. These helpers keep our part of it small
 * enough, cutting from the end so that a value's beginning always survives.
 */

/** What the provider framework adds around our data or reason: status, ids (ARN-long physical id, logical id up to 255) and keys. */
const ENVELOPE_BYTES = 1000;
export const RESPONSE_LIMIT_BYTES = 4096;

/** Budget for the attributes' JSON, `{"NumResults":"10",...}`. */
export const DATA_BUDGET_BYTES = RESPONSE_LIMIT_BYTES - ENVELOPE_BYTES;

/**
 * Budget for an error message; the framework appends a line naming the log group (up to ~90 bytes).
 */
export const REASON_BUDGET_BYTES = 2000;

const ELLIPSIS = '…';

/** Bytes a string takes inside a JSON document, escapes included. */
export function jsonBytes(value: string): number {
  return Buffer.byteLength(JSON.stringify(value)) - 2;
}

/**
 * The longest prefix of `text` (whole code points, then "…") whose JSON form fits `maxBytes`.
 */
export function truncateToJsonBytes(text: string, maxBytes: number): string {
  if (jsonBytes(text) <= maxBytes) {
    return text;
  }
  const budget = maxBytes - jsonBytes(ELLIPSIS);
  let kept = '';
  let used = 0;
  for (const codePoint of text) {
    const size = jsonBytes(codePoint);
    if (used + size > budget) {
      break;
    }
    kept += codePoint;
    used += size;
  }
  return kept + ELLIPSIS;
}

/**
 * Cuts the longest values of `data` to a common length, the largest that lets the whole object's
 * JSON fit `maxBytes`; short values are never touched.
 */
export function fitToJsonBytes<T extends Record<string, string>>(data: T, maxBytes: number): T {
  const totalBytes = (cap: number) =>
    Buffer.byteLength(JSON.stringify(capValues(data, cap)));
  const longest = Math.max(0, ...Object.values(data).map(jsonBytes));
  if (totalBytes(longest) <= maxBytes) {
    return data;
  }
  let low = jsonBytes(ELLIPSIS);
  let high = longest;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (totalBytes(middle) <= maxBytes) {
      low = middle;
    } else {
      high = middle - 1;
    }
  }
  return capValues(data, low);
}

function capValues<T extends Record<string, string>>(data: T, capBytes: number): T {
  return Object.fromEntries(
    Object.entries(data).map(([key, value]) => [key, truncateToJsonBytes(value, capBytes)]),
  ) as T;
}
