import { Annotations, Aws, Stack } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { IConstruct } from 'constructs';
import { acknowledgeFindings } from './acknowledged-findings';
import type { StackSettings } from './stack-wide-settings';

/*
 * Applies a stack's handler settings to what the library has already created, through the
 * CloudFormation properties (the functions exist before any construct gives settings), and grants
 * their roles what each setting needs. Roles shared by several functions are granted once.
 */

/**
 * What Lambda needs of a function's role to attach it to a VPC (the network interfaces), as
 * aws-cdk-lib grants it for a function with `vpc`; EC2 supports no resource-level permission for
 * `DescribeNetworkInterfaces`. Lambda refuses to create the function without it (Lambda developer
 * guide, "Giving Lambda functions access to resources in an Amazon VPC", execution role permissions).
 */
const VPC_ACCESS_POLICY = iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSLambdaVPCAccessExecutionRole');
const VPC_ACCESS_FINDING = 'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole]';
const VPC_ACCESS_REASON =
  "AWS's managed policy for a function in a VPC: Lambda creates, describes and deletes the function's network interfaces " +
  'with it, and refuses to create the function without it. aws-cdk-lib grants the same to a function with a vpc.';

/**
 * X-Ray's trace writes, which support no resource-level permissions: a traced function's role needs
 * them (Lambda developer guide, "Visualize Lambda function invocations using AWS X-Ray"), and a
 * traced state machine's the sampling reads too (Step Functions developer guide, "IAM policies for
 * using AWS X-Ray in Step Functions").
 */
const FUNCTION_TRACE_ACTIONS = ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'];
const STATE_MACHINE_TRACE_ACTIONS = [...FUNCTION_TRACE_ACTIONS, 'xray:GetSamplingRules', 'xray:GetSamplingTargets'];
const TRACE_WILDCARD_FINDING = 'AwsSolutions::AwsSolutions-IAM5[Resource::*]';
const TRACE_WILDCARD_REASON = 'X-Ray supports no resource-level permissions: its trace writes are allowed only on "*" (Service Authorization Reference), as aws-cdk-lib grants them to a traced function.';

/** A function of the library's and the log group its logs go to, if the library chose it. */
export interface LibraryFunction {
  readonly fn: lambda.Function;
  /** A log group to send the function's logs to once they are to be encrypted; absent when the function has its own. */
  readonly logsTo?: logs.ILogGroup;
}

/** Settings to a function: VPC, concurrency, tracing, memory, and where it logs. */
export function configureFunction({ fn, logsTo }: LibraryFunction, settings: StackSettings, securityGroups: readonly ec2.ISecurityGroup[]): void {
  const cfn = fn.node.defaultChild as lambda.CfnFunction;
  const role = fn.role!;
  if (settings.network !== undefined) {
    cfn.vpcConfig = { subnetIds: settings.network.subnets.subnetIds, securityGroupIds: securityGroups.map((group) => group.securityGroupId) };
    fn.node.addDependency(settings.network.subnets.internetConnectivityEstablished);
    role.addManagedPolicy(VPC_ACCESS_POLICY);
    acknowledgeFindings(role, { id: VPC_ACCESS_FINDING, reason: VPC_ACCESS_REASON });
  }
  if (settings.reservedConcurrentExecutions !== undefined) {
    cfn.reservedConcurrentExecutions = settings.reservedConcurrentExecutions;
  }
  if (settings.tracingEnabled === true) {
    cfn.tracingConfig = { mode: 'Active' };
    allowTraceWrites(role, FUNCTION_TRACE_ACTIONS);
  }
  if (settings.memorySize !== undefined) {
    cfn.memorySize = settings.memorySize;
  }
  if (settings.logEncryptionKey !== undefined && logsTo !== undefined) {
    cfn.loggingConfig = { logGroup: logsTo.logGroupName };
  }
}

/**
 * Settings to one of the provider framework's waiter state machines: tracing. The Provider offers
 * no option for it; its state machine is a `CfnStateMachine` "Resource" with its own `Role` "Role"
 * (aws-cdk-lib, custom-resources/lib/provider-framework/waiter-state-machine.ts).
 */
export function configureStateMachine(waiter: IConstruct, settings: StackSettings): void {
  if (settings.tracingEnabled !== true) {
    return;
  }
  const stateMachine = waiter.node.defaultChild;
  const role = waiter.node.tryFindChild('Role');
  if (!(stateMachine instanceof sfn.CfnStateMachine) || !(role instanceof iam.Role)) {
    throw new Error(
      `${waiter.node.path}: tracingEnabled cannot reach the provider framework's state machine in this release of aws-cdk-lib ` +
        '(no CfnStateMachine "Resource" and Role "Role" under it). Please report it, with your aws-cdk-lib version.',
    );
  }
  stateMachine.tracingConfiguration = { enabled: true };
  allowTraceWrites(role, STATE_MACHINE_TRACE_ACTIONS);
}

/** Settings to a log group of the library's: encryption with the key. */
export function configureLogGroup(logGroup: logs.LogGroup, settings: StackSettings): void {
  if (settings.logEncryptionKey !== undefined) {
    (logGroup.node.defaultChild as logs.CfnLogGroup).kmsKeyId = settings.logEncryptionKey.keyArn;
  }
}

/**
 * Lets CloudWatch Logs use `key` for this account's log groups in the stack's region, with the key
 * policy statement of the CloudWatch Logs User Guide ("Encrypt log data in CloudWatch Logs using
 * AWS KMS"). An imported key's policy cannot be changed from here: a warning says what to add.
 */
export function allowLogsToUseKey(key: kms.IKey, requestedBy: IConstruct): void {
  const region = Stack.of(requestedBy).region;
  const statement = new iam.PolicyStatement({
    sid: 'AllowCloudWatchLogsOfPersonalizeJobHandlers',
    principals: [new iam.ServicePrincipal(`logs.${region}.amazonaws.com`)],
    actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
    resources: ['*'],
    conditions: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${Aws.PARTITION}:logs:${region}:${Aws.ACCOUNT_ID}:log-group:*` } },
  });
  if (!key.addToResourcePolicy(statement, true).statementAdded) {
    Annotations.of(requestedBy).addWarningV2(
      'cdk-personalize-batch-jobs:importedLogKey',
      `handlerSettings.logEncryptionKey ${key.keyArn} is imported, so its key policy cannot be changed here. It must let ` +
        `the service principal logs.<region>.amazonaws.com use it (kms:Encrypt*, kms:Decrypt*, kms:ReEncrypt*, kms:GenerateDataKey*, ` +
        'kms:Describe*) for this account\'s log groups, or CloudWatch Logs refuses to create them.',
    );
  }
}

const traceGranted = new WeakSet<IConstruct>();

function allowTraceWrites(role: iam.IRole, actions: string[]): void {
  if (traceGranted.has(role)) {
    return;
  }
  traceGranted.add(role);
  role.addToPrincipalPolicy(new iam.PolicyStatement({ actions, resources: ['*'] }));
  acknowledgeFindings(role, { id: TRACE_WILDCARD_FINDING, reason: TRACE_WILDCARD_REASON });
}
