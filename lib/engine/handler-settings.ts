import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as kms from 'aws-cdk-lib/aws-kms';

/**
 * How every function this library creates in a stack runs: its job handlers, the provider
 * framework's functions (and its waiter state machines, for tracing) and aws-cdk-lib's function
 * that makes the asset copies of a `DatasetImportSource.fromAsset`. They are shared by all the
 * stack's constructs, so these settings are stack-wide: give them on one construct, or the same on
 * each; two constructs that give one setting different values fail at synth.
 *
 * Without settings, the functions run outside any VPC, untraced, with unreserved concurrency and
 * unencrypted log groups (README, "Compliance packs").
 */
export interface JobHandlerSettings {
  /**
   * The VPC to run the functions in. In subnets without a NAT gateway they need the interface
   * endpoints for Personalize, Step Functions, Lambda and CloudWatch Logs (and X-Ray, when
   * traced), and S3's gateway endpoint, through which the provider framework answers
   * CloudFormation and the asset copies run (README, "Running in a VPC").
   *
   * @default - the functions run outside any VPC
   */
  readonly vpc?: ec2.IVpc;

  /**
   * Where in `vpc` to place the functions; public subnets are refused, as aws-cdk-lib refuses them
   * for a function (it gets no public address there).
   *
   * @default - the VPC's private subnets, or its isolated ones when it has none
   */
  readonly vpcSubnets?: ec2.SubnetSelection;

  /**
   * The security groups of the functions in `vpc`.
   *
   * @default - one security group of the library's, allowing HTTPS (443) out and nothing in
   */
  readonly securityGroups?: ec2.ISecurityGroup[];

  /**
   * A KMS key that encrypts the library's log groups. A key of the app's own gets the key policy
   * statement CloudWatch Logs needs; for an imported key, add it yourself (README, "Compliance packs").
   * The asset copies' function then logs to the handlers' log group too.
   *
   * @default - the log groups are encrypted by CloudWatch Logs' own keys
   */
  readonly logEncryptionKey?: kms.IKey;

  /**
   * How many concurrent executions to reserve for each function, at least 1. Each wait in
   * progress takes at most one execution of each at a time, and a throttled poll is retried by
   * the waiter state machine; what a function reserves, the account's other functions lose.
   *
   * @default - no concurrency reserved: the functions share the account's unreserved concurrency
   */
  readonly reservedConcurrentExecutions?: number;

  /**
   * Whether the functions and the waiter state machines send traces to AWS X-Ray (active tracing).
   * Grants each of their roles X-Ray's `PutTraceSegments` and `PutTelemetryRecords` on `"*"`
   * (and the state machines' the sampling reads), as X-Ray supports no resource-level permissions.
   *
   * @default false
   */
  readonly tracingEnabled?: boolean;

  /**
   * The memory of each function, in MiB, from 128 to 10,240.
   *
   * @default - 256 for the job handlers; Lambda's default (128) for the provider framework's
   * functions and the asset copies' function
   */
  readonly memorySize?: number;
}
