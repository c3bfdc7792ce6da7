import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { IConstruct } from 'constructs';
import type { JobRunOptions } from './job-run-options';

/*
 * Synth-time checks of how a run is set up, so that a definition Step Functions would refuse, or
 * one that would run but never look at its job, is reported by `cdk synth` with the fix.
 */

/** A reference path to a field: '$' or '$.a.b', what ResultPath takes (the ASL specification, "Reference Paths"). */
const REFERENCE_PATH = /^\$(\.[A-Za-z_][A-Za-z0-9_]*)*$/;
/** A path into the state ('$.') or the context object ('$$.'), what a run key is read from. */
const KEY_PATH = /^\$\$?\.[A-Za-z_][A-Za-z0-9_.]*$/;

export function validateJobRunSettings(scope: IConstruct, settings: JobRunOptions): void {
  const where = scope.node.path;
  if (settings.resultPath !== undefined && !REFERENCE_PATH.test(settings.resultPath)) {
    throw new Error(
      `${where}: resultPath must be '$' or a path to a field such as '$.segments' (the run keeps its working fields there); ` +
        `got ${settings.resultPath === sfn.JsonPath.DISCARD ? 'JsonPath.DISCARD' : JSON.stringify(settings.resultPath)}. To drop the result, chain a Pass state after the run.`,
    );
  }
  if (settings.runKey !== undefined && !KEY_PATH.test(settings.runKey)) {
    throw new Error(
      `${where}: runKey must be a path into the state ('$.runDate') or the context object ('$$.Execution.Input.scheduledTime'); got ${JSON.stringify(settings.runKey)}.`,
    );
  }
  const poll = settings.pollInterval;
  if (poll !== undefined && (poll.toMilliseconds() < 1000 || poll.toMilliseconds() % 1000 !== 0)) {
    throw new Error(`${where}: pollInterval must be a whole number of seconds, at least 1 (a Wait state's seconds); got ${poll.toHumanString()}.`);
  }
  const slot = settings.slotTimeout;
  if (slot !== undefined && poll !== undefined && slot.toMilliseconds() < poll.toMilliseconds()) {
    throw new Error(`${where}: slotTimeout (${slot.toHumanString()}) must be at least the pollInterval, the time between two tries of the Create.`);
  }
}
