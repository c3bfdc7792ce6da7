import { Token } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { DATASET_ARN_EXAMPLE, DATASET_ARN_PATTERN } from './contract';

/** A dataset's ARN, known at synth (a token is checked by the handler before it imports). */
export function validateDatasetArn(scope: IConstruct, arn: string): void {
  if (Token.isUnresolved(arn) || DATASET_ARN_PATTERN.test(arn)) {
    return;
  }
  throw new Error(
    `${scope.node.path}: datasetArn must be the ARN of a Personalize dataset, such as ${DATASET_ARN_EXAMPLE} ` +
      `(a CfnDataset's attrDatasetArn); got ${JSON.stringify(arn)}.`,
  );
}
