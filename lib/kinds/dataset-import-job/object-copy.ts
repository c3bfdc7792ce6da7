import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as cr from 'aws-cdk-lib/custom-resources';
import type { Construct } from 'constructs';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { acknowledgeFindings } from '../../engine/acknowledged-findings';
import { JobHandlers } from '../../engine/job-handlers';

/** An S3 object, by its bucket and key. */
export interface S3Object {
  readonly bucket: s3.IBucket;
  readonly key: string;
}

/** aws-cdk-lib's function for `AwsCustomResource`, one per stack, by the id it gives it. */
const AWS_CUSTOM_RESOURCE_FUNCTION_ID = 'AWS679f53fac002430cb0da5b7982bd2287';

/**
 * Copies an object when the resource is created, and again whenever `from` or `to` changes: one
 * `CopyObject` call through aws-cdk-lib's `AwsCustomResource`, allowed to read that one object and
 * write that one key (and to encrypt with the bucket's KMS key, if it has one of the stack's).
 * Deleting it leaves the copy in place.
 */
export function copyObject(scope: Construct, id: string, from: S3Object, to: S3Object): cr.AwsCustomResource {
  const copy: cr.AwsSdkCall = {
    service: 'S3',
    action: 'copyObject',
    parameters: { CopySource: `${from.bucket.bucketName}/${from.key}`, Bucket: to.bucket.bucketName, Key: to.key },
    physicalResourceId: cr.PhysicalResourceId.of(to.key),
  };
  const resource = new cr.AwsCustomResource(scope, id, {
    onCreate: copy,
    onUpdate: copy,
    policy: cr.AwsCustomResourcePolicy.fromStatements([
      new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [from.bucket.arnForObjects(from.key)] }),
      new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [to.bucket.arnForObjects(to.key)] }),
    ]),
    // CopyObject is in the SDK that Lambda's Node.js runtime ships: nothing to install at deploy time.
    installLatestAwsSdk: false,
  });
  // A bucket encrypted with a key of the stack's needs the copy to be allowed to encrypt with it.
  // What S3 asks of the writer of an SSE-KMS object, a CopyObject's destination included (S3 User Guide,
  // "Using server-side encryption with AWS KMS keys"; facts.md): one action, not grantEncrypt's wildcards.
  to.bucket.encryptionKey?.grant(resource, 'kms:GenerateDataKey');
  acknowledgeSdkCallFunctionFindings(Stack.of(scope));
  JobHandlers.of(scope).adoptSdkCallFunction(Stack.of(scope).node.findChild(AWS_CUSTOM_RESOURCE_FUNCTION_ID) as lambda.Function);
  return resource;
}

/**
 * cdk-nag's finding on the function aws-cdk-lib creates for a stack's `AwsCustomResource`s, which
 * it does not let the app change, acknowledged on that function alone. Call it once the stack has
 * an `AwsCustomResource`.
 */
export function acknowledgeSdkCallFunctionFindings(stack: Stack): void {
  acknowledgeFindings(stack.node.findChild(AWS_CUSTOM_RESOURCE_FUNCTION_ID), {
    id: 'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    reason: 'aws-cdk-lib gives the function that makes its SDK calls AWSLambdaBasicExecutionRole, for its own logs only.',
  });
}
