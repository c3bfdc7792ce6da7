import { isServerError, isThrottlingError, isTransientError } from '@smithy/core/retry';

/**
 * What a failed call to Personalize (Describe or Create) means for the wait:
 * - `transient`: throttling, 5xx, network faults and timeouts; the next poll tries again.
 * - `accessDenied`: may be IAM propagation shortly after the role changed; retried for a while.
 * - `permanent`: retrying cannot help (no such job, invalid input, anything unknown); fail now.
 */
export type CallFailureKind = 'transient' | 'accessDenied' | 'permanent';

export function classifyCallFailure(error: unknown): CallFailureKind {
  if (!(error instanceof Error)) {
    return 'permanent';
  }
  if (error.name === 'AccessDeniedException') {
    return 'accessDenied';
  }
  const sdkError = error as Parameters<typeof isTransientError>[0];
  if (isThrottlingError(sdkError) || isTransientError(sdkError) || isServerError(sdkError)) {
    return 'transient';
  }
  return (sdkError as { $fault?: string }).$fault === 'server' ? 'transient' : 'permanent';
}
