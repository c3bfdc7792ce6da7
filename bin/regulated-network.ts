import { RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { JobHandlerSettings } from '../lib';

/**
 * The AWS services the library's functions call, each reached through an interface endpoint from
 * subnets without a NAT gateway (README, "Running in a VPC"): Personalize (the handlers), Step
 * Functions (the provider framework starts its waits), Lambda (the framework invokes the handlers),
 * CloudWatch Logs (the handlers' and framework's logs) and X-Ray (traces).
 */
export const HANDLER_INTERFACE_ENDPOINTS = {
  Personalize: ec2.InterfaceVpcEndpointAwsService.PERSONALIZE,
  StepFunctions: ec2.InterfaceVpcEndpointAwsService.STEP_FUNCTIONS,
  Lambda: ec2.InterfaceVpcEndpointAwsService.LAMBDA,
  Logs: ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS,
  XRay: ec2.InterfaceVpcEndpointAwsService.XRAY,
} as const;

/**
 * A network for a regulated account: a VPC with isolated subnets only (no internet or NAT gateway),
 * the interface endpoints the library's functions need, S3's gateway endpoint (the provider
 * framework answers CloudFormation through a pre-signed S3 URL, which a function in a VPC reaches
 * only through it: aws-cloudformation/custom-resource-helper#34; the asset copies call S3), flow
 * logs, and a key for the library's log groups. `handlerSettings` puts the library's functions there.
 */
export class RegulatedNetwork extends Construct {
  readonly vpc: ec2.Vpc;
  readonly logKey: kms.Key;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.logKey = new kms.Key(this, 'LogKey', {
      description: 'Encrypts the logs of the Personalize job handlers and of the VPC flow logs',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [{ name: 'Handlers', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }],
      gatewayEndpoints: { S3: { service: ec2.GatewayVpcEndpointAwsService.S3 } },
    });
    const flowLogs = new logs.LogGroup(this, 'FlowLogs', { encryptionKey: this.logKey, retention: logs.RetentionDays.ONE_YEAR, removalPolicy: RemovalPolicy.DESTROY });
    this.vpc.addFlowLog('FlowLog', { destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogs) });
    for (const [name, service] of Object.entries(HANDLER_INTERFACE_ENDPOINTS)) {
      this.vpc.addInterfaceEndpoint(name, { service, privateDnsEnabled: true });
    }
  }

  /** The library's functions in the VPC's isolated subnets, logging encrypted, traced, with concurrency reserved. */
  get handlerSettings(): JobHandlerSettings {
    return {
      vpc: this.vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      logEncryptionKey: this.logKey,
      reservedConcurrentExecutions: 10,
      tracingEnabled: true,
      memorySize: 256,
    };
  }
}
