import { classifyCallFailure } from '../../lambda/engine/call-failure';
import { sdkErrors } from '../support/sdk-errors';

describe('classifyCallFailure', () => {
  it.each([
    { name: 'ThrottlingException', error: sdkErrors.throttling(), expected: 'transient' },
    { name: 'LimitExceededException (request rate)', error: sdkErrors.limitExceeded(), expected: 'transient' },
    { name: '500 InternalFailure', error: sdkErrors.internalFailure(), expected: 'transient' },
    { name: '503 ServiceUnavailable', error: sdkErrors.serviceUnavailable(), expected: 'transient' },
    { name: '501 NotImplemented', error: sdkErrors.notImplemented(), expected: 'transient' },
    { name: 'an SDK request timeout', error: sdkErrors.sdkTimeout(), expected: 'transient' },
    { name: 'a dropped connection', error: sdkErrors.connectionReset(), expected: 'transient' },
    { name: 'a DNS failure', error: sdkErrors.dnsFailure(), expected: 'transient' },
    { name: 'AccessDeniedException', error: sdkErrors.accessDenied(), expected: 'accessDenied' },
    { name: 'ResourceNotFoundException', error: sdkErrors.notFound(), expected: 'permanent' },
    { name: 'InvalidInputException', error: sdkErrors.invalidInput(), expected: 'permanent' },
    { name: 'an unknown client error', error: sdkErrors.unknownClientError(), expected: 'permanent' },
    { name: 'a plain Error', error: new Error('boom'), expected: 'permanent' },
    { name: 'a thrown string', error: 'boom', expected: 'permanent' },
    { name: 'undefined', error: undefined, expected: 'permanent' },
  ])('treats $name as $expected', ({ error, expected }) => {
    expect(classifyCallFailure(error)).toBe(expected);
  });

  it('treats an unrecognised error that the SDK marks as a server fault as transient', () => {
    const error = Object.assign(new Error('odd'), { name: 'OddServerError', $fault: 'server', $metadata: {} });
    expect(classifyCallFailure(error)).toBe('transient');
  });
});
