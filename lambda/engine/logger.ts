import { Logger } from '@aws-lambda-powertools/logger';
import type { WaiterLogLevel } from '../../lib/engine/wait-contract';

/** One logger per container; the construct sets POWERTOOLS_SERVICE_NAME and each waiter its level. */
export const logger = new Logger();

/** Applies a waiter's level (Lambda's names) to the shared logger; Powertools calls FATAL "CRITICAL". */
export function useLogLevel(level: WaiterLogLevel): void {
  logger.setLogLevel(level === 'FATAL' ? 'CRITICAL' : level);
}
