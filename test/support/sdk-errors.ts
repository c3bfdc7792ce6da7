import {
  InvalidInputException,
  LimitExceededException,
  ResourceNotFoundException,
} from '@aws-sdk/client-personalize';

/** Errors as the AWS SDK raises them for each fault the waiter must tell apart. */
export const sdkErrors = {
  notFound: () =>
    new ResourceNotFoundException({ message: 'Could not find batch segment job', $metadata: { httpStatusCode: 400 } }),
  invalidInput: () =>
    new InvalidInputException({ message: '1 validation error detected', $metadata: { httpStatusCode: 400 } }),
  limitExceeded: () =>
    new LimitExceededException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 400 } }),
  throttling: () => serviceError('ThrottlingException', 'Rate exceeded', 400, 'client'),
  /** AWS's refusal, naming the principal, the action and the resource (IAM User Guide, "Troubleshoot access denied error messages"). */
  accessDenied: (action = 'personalize:DescribeBatchSegmentJob', resource = 'arn:aws:personalize:us-east-1:111122223333:batch-segment-job/spring-promo') =>
    serviceError(
      'AccessDeniedException',
      `User: arn:aws:sts::111122223333:assumed-role/Handlers/onEvent is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`,
      400,
      'client',
    ),
  /** A refusal whose message names neither action nor resource. */
  accessDeniedUnnamed: () => serviceError('AccessDeniedException', 'Access denied', 400, 'client'),
  internalFailure: () => serviceError('InternalFailure', 'We encountered an internal error', 500, 'server'),
  serviceUnavailable: () => serviceError('ServiceUnavailable', 'Service unavailable', 503, 'server'),
  notImplemented: () => serviceError('NotImplemented', 'Not implemented', 501, 'server'),
  unknownClientError: () => serviceError('ValidationException', 'Something the waiter does not know', 400, 'client'),
  sdkTimeout: () => Object.assign(new Error('a request has exceeded the configured 5000 ms requestTimeout'), { name: 'TimeoutError', code: 'ETIMEDOUT' }),
  connectionReset: () => Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
  dnsFailure: () => Object.assign(new Error('getaddrinfo EAI_AGAIN personalize.us-east-1.amazonaws.com'), { code: 'EAI_AGAIN' }),
};

function serviceError(name: string, message: string, httpStatusCode: number, fault: 'client' | 'server'): Error {
  return Object.assign(new Error(message), { name, $fault: fault, $metadata: { httpStatusCode } });
}
