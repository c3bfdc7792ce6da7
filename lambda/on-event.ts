import { describeJob } from './describe-job';
import { describeRejectedMessage } from './failure-messages';
import type { OnEventRequest, OnEventResponse } from './framework-contract';
import { logger, useLogLevel } from './logger';
import { WaiterError } from './waiter-error';
import { readWaiterSettings } from './waiter-settings';
import { withErrorReporting } from './with-error-reporting';

/**
 * Starts a wait. The job is described once here, so that a missing job or a malformed ARN fails
 * the deployment now instead of after the timeout; throttling, faults and access denied (IAM may
 * still be propagating) are left to the polls.
 */
export const handler = withErrorReporting(async (event: OnEventRequest): Promise<OnEventResponse> => {
  if (event.RequestType === 'Delete') {
    // The waiter owns nothing and Personalize cannot delete jobs: a Delete must never fail or wait.
    logger.info('Delete: nothing to clean up');
    return { PhysicalResourceId: event.PhysicalResourceId };
  }
  const settings = readWaiterSettings(event.ResourceProperties);
  useLogLevel(settings.logLevel);
  const waitStartedAt = new Date().toISOString();

  const outcome = await describeJob(settings.jobArn);
  if (outcome.kind === 'permanent') {
    throw new WaiterError(describeRejectedMessage(settings.jobArn, outcome.error));
  }
  logger.info('Waiting for batch segment job', {
    jobArn: settings.jobArn,
    status: outcome.kind === 'described' ? outcome.job.status : undefined,
    describeFailure: outcome.kind === 'described' ? undefined : outcome.kind,
    timeoutSeconds: settings.timeoutSeconds,
  });
  return { PhysicalResourceId: settings.jobArn, WaitStartedAt: waitStartedAt };
});
