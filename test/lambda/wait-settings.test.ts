import { batchSegmentJob } from '../../lambda/kinds/batch-segment-job/kind';
import { readWaitSettings as readSettings } from '../../lambda/engine/wait-settings';
import { JOB_ARN, waiterProperties } from '../support/events';

const readWaitSettings = (properties: Record<string, unknown> | undefined) => readSettings(batchSegmentJob, properties);

describe('readWaitSettings', () => {
  it('reads the string values CloudFormation sends', () => {
    expect(
      readWaitSettings(waiterProperties({ TimeoutSeconds: '1200', PollIntervalSeconds: '45', FailOnJobFailure: 'false', LogLevel: 'DEBUG' })),
    ).toEqual({ ref: JOB_ARN, timeoutSeconds: 1200, pollIntervalSeconds: 45, failOnJobFailure: false, logLevel: 'DEBUG', linkIndex: 1, linkCount: 1 });
  });

  it('also reads numbers and booleans', () => {
    expect(readWaitSettings(waiterProperties({ TimeoutSeconds: 60, PollIntervalSeconds: 5, FailOnJobFailure: true }))).toMatchObject({
      timeoutSeconds: 60,
      pollIntervalSeconds: 5,
      failOnJobFailure: true,
    });
    expect(readWaitSettings(waiterProperties({ FailOnJobFailure: false })).failOnJobFailure).toBe(false);
  });

  it('uses the defaults for settings that are absent', () => {
    expect(readWaitSettings({ BatchSegmentJobArn: JOB_ARN })).toEqual({
      ref: JOB_ARN,
      timeoutSeconds: 3600,
      pollIntervalSeconds: 30,
      failOnJobFailure: true,
      logLevel: 'INFO',
      linkIndex: 1,
      linkCount: 1,
    });
  });

  it.each([
    ['a missing ARN', { BatchSegmentJobArn: undefined }, 'The BatchSegmentJobArn property must be the ARN of an Amazon Personalize batch segment job, such as arn:aws:personalize:us-east-1:111122223333:batch-segment-job/spring-promo; got undefined.'],
    ['a solution ARN', { BatchSegmentJobArn: 'arn:aws:personalize:us-east-1:111122223333:solution/x' }, 'got "arn:aws:personalize:us-east-1:111122223333:solution/x".'],
    ['an ARN without a region', { BatchSegmentJobArn: 'arn:aws:personalize::111122223333:batch-segment-job/x' }, 'got "arn:aws:personalize::111122223333:batch-segment-job/x".'],
    ['a job name too long', { BatchSegmentJobArn: `arn:aws:personalize:us-east-1:111122223333:batch-segment-job/${'a'.repeat(64)}` }, 'batch segment job'],
    ['a fractional timeout', { TimeoutSeconds: '90.5' }, 'The TimeoutSeconds property must be a whole number of seconds from 60 to 43200; got "90.5".'],
    ['a timeout below a minute', { TimeoutSeconds: '59' }, 'got "59"'],
    ['a timeout above 12 hours', { TimeoutSeconds: '43201' }, 'got "43201"'],
    ['a timeout above an hour on a single resource', { TimeoutSeconds: '3601' }, 'A TimeoutSeconds over 3600 (got 3601) needs a chain of waits that the construct builds at synth time: give a timeout over one hour as a Duration, not a token.'],
    ['a link index past the link count', { TimeoutSeconds: '7200', LinkIndex: '4', LinkCount: '3' }, 'The LinkIndex property (4) must not exceed LinkCount (3).'],
    ['a link count of zero', { LinkCount: '0' }, 'The LinkCount property must be a whole number from 1 to 20; got "0".'],
    ['a negative timeout', { TimeoutSeconds: '-60' }, 'got "-60"'],
    ['a fractional timeout number', { TimeoutSeconds: 90.5 }, 'got 90.5.'],
    ['a timeout with a leading space', { TimeoutSeconds: ' 120' }, 'got " 120".'],
    ['a timeout with a trailing space', { TimeoutSeconds: '120 ' }, 'got "120 ".'],
    ['an ARN inside a list', { BatchSegmentJobArn: [JOB_ARN] }, `got ["${JOB_ARN}"].`],
    ['an ARN with text before it', { BatchSegmentJobArn: `x${JOB_ARN}` }, 'got "x'],
    ['an ARN with a path after the job name', { BatchSegmentJobArn: `${JOB_ARN}/extra` }, '/extra".'],
    ['an empty poll interval', { PollIntervalSeconds: '' }, 'The PollIntervalSeconds property must be a whole number of seconds from 5 to 300; got "".'],
    ['a poll interval of 4 seconds', { PollIntervalSeconds: '4' }, 'got "4"'],
    ['a poll interval over 5 minutes', { PollIntervalSeconds: '301' }, 'got "301"'],
    ['a poll interval longer than the timeout', { TimeoutSeconds: '60', PollIntervalSeconds: '61' }, 'The PollIntervalSeconds property (61) must not exceed TimeoutSeconds (60): the waiter would give up before its first poll.'],
    ['a boolean spelled "yes"', { FailOnJobFailure: 'yes' }, 'The FailOnJobFailure property must be "true" or "false"; got "yes".'],
    ['an unknown log level', { LogLevel: 'LOUD' }, 'The LogLevel property must be one of TRACE, DEBUG, INFO, WARN, ERROR, FATAL; got "LOUD".'],
  ])('rejects %s', (_name, overrides, message) => {
    expect(() => readWaitSettings(waiterProperties(overrides))).toThrow(message);
  });

  it('reads the place of a link in a relayed wait', () => {
    expect(readWaitSettings(waiterProperties({ TimeoutSeconds: '18000', LinkIndex: '2', LinkCount: '6' }))).toMatchObject({
      timeoutSeconds: 18000,
      linkIndex: 2,
      linkCount: 6,
    });
  });

  it('accepts the edges of each range', () => {
    expect(readWaitSettings(waiterProperties({ TimeoutSeconds: '43200', LinkIndex: '20', LinkCount: '20' }))).toMatchObject({ timeoutSeconds: 43200 });
    expect(readWaitSettings(waiterProperties({ TimeoutSeconds: '3600', PollIntervalSeconds: '300' }))).toMatchObject({
      timeoutSeconds: 3600,
      pollIntervalSeconds: 300,
    });
    expect(readWaitSettings(waiterProperties({ TimeoutSeconds: '60', PollIntervalSeconds: '60' }))).toMatchObject({
      timeoutSeconds: 60,
      pollIntervalSeconds: 60,
    });
  });

  it('accepts ARNs of every partition and a 63-character job name', () => {
    for (const arn of [
      'arn:aws-cn:personalize:cn-north-1:111122223333:batch-segment-job/a',
      'arn:aws-us-gov:personalize:us-gov-west-1:111122223333:batch-segment-job/job_2-b',
      `arn:aws:personalize:ap-southeast-2:111122223333:batch-segment-job/${'a'.repeat(63)}`,
    ]) {
      expect(readWaitSettings({ BatchSegmentJobArn: arn }).ref).toBe(arn);
    }
  });

  it('reads no properties at all as a missing ARN', () => {
    expect(() => readWaitSettings(undefined)).toThrow('got undefined.');
  });

  it('quotes a long bad value briefly, on one line', () => {
    const error = (() => {
      try {
        readWaitSettings({ BatchSegmentJobArn: 'x\n'.repeat(1000) });
      } catch (thrown) {
        return thrown as Error;
      }
      return undefined;
    })();
    expect(error?.message).not.toContain('\n');
    expect(error?.message.length).toBeLessThan(600);
  });
});
