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
  accessDenied: () =>
    serviceError('AccessDeniedException', 'User is not authorized to perform: personalize:DescribeBatchSegmentJob', 400, 'client'),
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
