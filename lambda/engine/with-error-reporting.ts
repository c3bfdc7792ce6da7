import type { OnEventRequest } from './framework-contract';
import { DEFAULT_LOG_LEVEL } from '../../lib/engine/wait-contract';
import { logger, useLogLevel } from './logger';
import { describeThrown, WaiterError } from './handler-error';

/**
 * Wraps a handler: tags its log lines with the request (never the response URL) and makes sure
 * whatever it throws reaches CloudFormation as a WaiterError, the full error staying in the log.
 */
export function withErrorReporting<E extends OnEventRequest, R>(
  handle: (event: E) => Promise<R>,
): (event: E) => Promise<R> {
  return async (event) => {
    logger.resetKeys();
    useLogLevel(DEFAULT_LOG_LEVEL);
    logger.appendKeys({
      requestType: event.RequestType,
      logicalResourceId: event.LogicalResourceId,
      physicalResourceId: 'PhysicalResourceId' in event ? event.PhysicalResourceId : undefined,
    });
    try {
      return await handle(event);
    } catch (error) {
      logger.error('Failing the deployment', error as Error);
      if (error instanceof WaiterError) {
        throw error;
      }
      throw new WaiterError(
        `The Personalize job handler failed unexpectedly: ${describeThrown(error)}. ` +
          'See its log for details.',
      );
    }
  };
}
