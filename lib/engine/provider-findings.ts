import { CfnElement, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as cr from 'aws-cdk-lib/custom-resources';
import { IConstruct } from 'constructs';
import { acknowledgeFindings } from './acknowledged-findings';

/*
 * cdk-nag's AwsSolutions findings that aws-cdk-lib's provider framework makes unavoidable,
 * acknowledged one by one on the framework's own resources, never on a consumer's. Everything
 * else (managed policies, runtimes, log retention) is fixed in our own code instead.
 */

const VERSIONS_ONLY =
  "aws-cdk-lib's provider framework grants lambda:InvokeFunction on this function and its " +
  "versions and aliases ('<arn>:*'); the wildcard reaches no other function.";

/** The framework's roles may invoke the waiter's handlers, and their versions. */
export function acknowledgeInvokeGrants(role: IConstruct, invokedFunctions: readonly lambda.IFunction[]): void {
  for (const fn of invokedFunctions) {
    acknowledgeFindings(role, { id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${logicalIdOf(fn)}.Arn>:*]`, reason: VERSIONS_ONLY });
  }
}

/** The waiter state machine's invoke grants, logging and tracing, which the Provider does not let us change (tracing only through handlerSettings). */
export function acknowledgeStateMachineFindings(provider: cr.Provider): void {
  const stateMachine = provider.node.findChild('waiter-state-machine');
  acknowledgeInvokeGrants(stateMachine, [
    provider.node.findChild('framework-isComplete') as lambda.IFunction,
    provider.node.findChild('framework-onTimeout') as lambda.IFunction,
  ]);
  acknowledgeFindings(
    stateMachine,
    {
      id: 'AwsSolutions::AwsSolutions-SF1',
      reason:
        "The provider framework's state machine only retries one Lambda task, whose every attempt is in the " +
        'execution history and logged by the handlers. Logging its events would need a logs policy on "*", and ' +
        "with execution data would copy CloudFormation's pre-signed response URL into the logs.",
    },
    {
      id: 'AwsSolutions::AwsSolutions-SF2',
      reason:
        "aws-cdk-lib's Provider offers no way to enable X-Ray tracing on its state machine; the library turns it on through " +
        'the state machine\'s CloudFormation properties when handlerSettings.tracingEnabled is set, and leaves it off otherwise, as the Provider does.',
    },
  );
}

function logicalIdOf(fn: lambda.IFunction): string {
  return Stack.of(fn).getLogicalId(fn.node.defaultChild as CfnElement);
}
