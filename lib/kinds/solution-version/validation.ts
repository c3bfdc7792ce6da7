import { Token } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { METRIC_NAME_PATTERN, SOLUTION_ARN_EXAMPLE, SOLUTION_ARN_PATTERN } from './contract';

/*
 * Synth-time checks of a training's props. A value that is still a token passes here and is
 * checked by the handler before it starts the training.
 */

export function validateSolutionArn(scope: IConstruct, arn: string): void {
  // The pattern bounds the length too (a name of at most 63 characters).
  if (Token.isUnresolved(arn) || SOLUTION_ARN_PATTERN.test(arn)) {
    return;
  }
  throw new Error(
    `${scope.node.path}: solutionArn must be the ARN of a Personalize solution, such as ${SOLUTION_ARN_EXAMPLE} ` +
      `(a CfnSolution's attrSolutionArn); got ${JSON.stringify(arn)}.`,
  );
}

export function validateMetricName(scope: IConstruct, metricName: string): void {
  if (Token.isUnresolved(metricName)) {
    throw new Error(`${scope.node.path}: a metric name must be known at synth time (it names an attribute); got a token.`);
  }
  if (!METRIC_NAME_PATTERN.test(metricName)) {
    throw new Error(
      `${scope.node.path}: a metric name is 1 to 256 letters, digits, _ . and -, such as "precision_at_5"; got ${JSON.stringify(metricName)}.`,
    );
  }
}

export function validateMinimumMetrics(scope: IConstruct, minimumMetrics: { [metricName: string]: number } | undefined): void {
  for (const [metricName, minimum] of Object.entries(minimumMetrics ?? {})) {
    validateMetricName(scope, metricName);
    if (!Token.isUnresolved(minimum) && (typeof minimum !== 'number' || !Number.isFinite(minimum))) {
      throw new Error(`${scope.node.path}: minimumMetrics.${metricName} must be a number, such as 0.2; got ${JSON.stringify(minimum)}.`);
    }
  }
}
