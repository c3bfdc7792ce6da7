import { App, CfnParameter, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import * as path from 'path';
import { BatchSegmentJobWaiter, DatasetImportJob, DatasetImportSource, JobHandlerSettings } from '../lib';

/*
 * handlerSettings: each setting on every function, state machine and log group the library
 * creates (the handlers, the provider framework's, aws-cdk-lib's asset-copy function), whichever
 * construct gives it and whenever; and the synth-time errors.
 */

const JOB_ARN = 'arn:aws:personalize:us-east-1:111122223333:batch-segment-job/spring-promo';
const DATASET_ARN = 'arn:aws:personalize:us-east-1:111122223333:dataset/promo/INTERACTIONS';
const SDK_CALL_FUNCTION = 'AWS679f53fac002430cb0da5b7982bd2287';

interface Fixture {
  readonly stack: Stack;
  readonly vpc: ec2.Vpc;
  readonly key: kms.Key;
}

function fixture(): Fixture {
  const stack = new Stack(new App(), 'Stack');
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [
      { name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      { name: 'Public', subnetType: ec2.SubnetType.PUBLIC },
    ],
  });
  return { stack, vpc, key: new kms.Key(stack, 'LogKey') };
}

/** A waiter at 30 s, one at 60 s (a second provider), and an import of a copied asset (aws-cdk-lib's SDK-call function). */
function everyFunctionOf(stack: Stack, settings: Array<JobHandlerSettings | undefined>): void {
  const [first, second, third] = settings;
  new BatchSegmentJobWaiter(stack, 'Waiter', { batchSegmentJobArn: JOB_ARN, handlerSettings: first });
  new BatchSegmentJobWaiter(stack, 'SlowWaiter', { batchSegmentJobArn: JOB_ARN, pollInterval: Duration.minutes(1), handlerSettings: second });
  const asset = new s3assets.Asset(stack, 'Data', { path: path.join(__dirname, '..', 'bin', 'pipeline-data', 'items.csv') });
  new DatasetImportJob(stack, 'Import', {
    datasetArn: DATASET_ARN,
    source: DatasetImportSource.fromAsset(asset, { copyTo: new s3.Bucket(stack, 'Bucket'), copyPrefix: 'imports/' }),
    handlerSettings: third,
  });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

function functionsOf(template: Template): Record<string, { Properties: Record<string, Json> }> {
  return template.findResources('AWS::Lambda::Function') as Record<string, { Properties: Record<string, Json> }>;
}

const LIBRARY_FUNCTION_COUNT = 2 + 3 * 2 + 1;

describe('without settings', () => {
  it('gives the same template as an empty handlerSettings', () => {
    const none = new Stack(new App(), 'Stack');
    everyFunctionOf(none, []);
    const empty = new Stack(new App(), 'Stack');
    everyFunctionOf(empty, [{}, {}, {}]);
    expect(Template.fromStack(empty).toJSON()).toEqual(Template.fromStack(none).toJSON());
  });

  it('leaves every function outside a VPC, untraced, unreserved, at its default memory, and the log groups unencrypted', () => {
    const { stack } = fixture();
    everyFunctionOf(stack, []);
    const template = Template.fromStack(stack);
    const functions = Object.values(functionsOf(template));
    expect(functions).toHaveLength(LIBRARY_FUNCTION_COUNT);
    for (const { Properties } of functions) {
      expect(Properties).not.toHaveProperty('VpcConfig');
      expect(Properties).not.toHaveProperty('TracingConfig');
      expect(Properties).not.toHaveProperty('ReservedConcurrentExecutions');
    }
    for (const logGroup of Object.values(template.findResources('AWS::Logs::LogGroup'))) {
      expect(logGroup.Properties).not.toHaveProperty('KmsKeyId');
    }
    template.resourceCountIs('AWS::EC2::SecurityGroup', 0);
  });
});

describe('vpc', () => {
  it('places every function in the private or isolated subnets, in a security group of the library allowing HTTPS out and nothing in', () => {
    const { stack, vpc } = fixture();
    everyFunctionOf(stack, [{ vpc }]);
    const template = Template.fromStack(stack);
    const isolated = stack.resolve(vpc.isolatedSubnets.map((subnet) => subnet.subnetId));
    const groups = template.findResources('AWS::EC2::SecurityGroup');
    expect(Object.keys(groups)).toEqual([expect.stringMatching(/^PersonalizeJobHandlersSecurityGroup/)]);
    const [groupId] = Object.keys(groups);
    expect(groups[groupId].Properties.SecurityGroupEgress).toEqual([
      { CidrIp: '0.0.0.0/0', Description: 'HTTPS to AWS service endpoints', FromPort: 443, IpProtocol: 'tcp', ToPort: 443 },
    ]);
    expect(groups[groupId].Properties).not.toHaveProperty('SecurityGroupIngress');
    for (const { Properties } of Object.values(functionsOf(template))) {
      expect(Properties.VpcConfig).toEqual({ SubnetIds: isolated, SecurityGroupIds: [{ 'Fn::GetAtt': [groupId, 'GroupId'] }] });
    }
  });

  it("gives each function's role AWS's managed policy for network interfaces, acknowledged to cdk-nag", () => {
    const { stack, vpc } = fixture();
    everyFunctionOf(stack, [{ vpc }]);
    const template = Template.fromStack(stack);
    const roles = new Set(Object.values(functionsOf(template)).map(({ Properties }) => JSON.stringify(Properties.Role)));
    // The handlers' role, the two providers' two framework roles, the SDK-call function's role.
    expect(roles.size).toBe(6);
    for (const role of roles) {
      const [roleId] = JSON.parse(role)['Fn::GetAtt'];
      expect(JSON.stringify(template.toJSON().Resources[roleId].Properties.ManagedPolicyArns)).toContain('service-role/AWSLambdaVPCAccessExecutionRole');
    }
    const sdkCallRole = stack.node.findChild(SDK_CALL_FUNCTION).node.findChild('ServiceRole');
    const acknowledged = sdkCallRole.node.metadata.filter((entry) => entry.type === 'aws:cdk:acknowledged-rules').flatMap((entry) => Object.keys(entry.data));
    expect(acknowledged).toContain('AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole]');
  });

  it('uses the subnets and security groups given, and creates none', () => {
    const { stack, vpc } = fixture();
    const group = new ec2.SecurityGroup(stack, 'Group', { vpc });
    const subnets = { subnets: [vpc.isolatedSubnets[0]] };
    everyFunctionOf(stack, [{ vpc, vpcSubnets: subnets, securityGroups: [group] }]);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::EC2::SecurityGroup', 1);
    for (const { Properties } of Object.values(functionsOf(template))) {
      expect(Properties.VpcConfig).toEqual(stack.resolve({ SubnetIds: [vpc.isolatedSubnets[0].subnetId], SecurityGroupIds: [group.securityGroupId] }));
    }
  });

  it('refuses public subnets, naming the VPC', () => {
    const { stack, vpc } = fixture();
    expect(() => everyFunctionOf(stack, [{ vpc, vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC } }])).toThrow(
      'Stack/Waiter: handlerSettings.vpcSubnets selects public subnets of the VPC Stack/Vpc, where a function gets no public address',
    );
  });

  it('refuses a selection of no subnet', () => {
    const { stack, vpc } = fixture();
    expect(() => everyFunctionOf(stack, [{ vpc, vpcSubnets: { subnetGroupName: 'Isolated', availabilityZones: ['nowhere-1a'] } }])).toThrow(
      'Stack/Waiter: handlerSettings.vpcSubnets selects no subnet of the VPC Stack/Vpc; select subnets it has.',
    );
  });

  it.each([
    [{ vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } }, 'vpcSubnets'],
    [{ securityGroups: [] }, 'securityGroups'],
  ])('refuses %j without a vpc', (settings, given) => {
    const { stack } = fixture();
    expect(() => everyFunctionOf(stack, [settings])).toThrow(`Stack/Waiter: handlerSettings.${given} place the functions in a VPC, so they need handlerSettings.vpc too`);
  });

  it('refuses an empty list of security groups', () => {
    const { stack, vpc } = fixture();
    expect(() => everyFunctionOf(stack, [{ vpc, securityGroups: [] }])).toThrow('Stack/Waiter: handlerSettings.securityGroups is empty; give at least one security group');
  });
});

describe('logEncryptionKey', () => {
  it("encrypts every log group of the library's with the key, and lets CloudWatch Logs of the stack's region and account use it", () => {
    const { stack, key } = fixture();
    everyFunctionOf(stack, [{ logEncryptionKey: key }]);
    const template = Template.fromStack(stack);
    const logGroups = Object.values(template.findResources('AWS::Logs::LogGroup'));
    expect(logGroups).toHaveLength(3);
    for (const logGroup of logGroups) {
      expect(logGroup.Properties.KmsKeyId).toEqual(stack.resolve(key.keyArn));
    }
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          {
            Sid: 'AllowCloudWatchLogsOfPersonalizeJobHandlers',
            Effect: 'Allow',
            Principal: { Service: { 'Fn::Join': ['', ['logs.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } },
            Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
            Resource: '*',
            Condition: {
              ArnLike: {
                'kms:EncryptionContext:aws:logs:arn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':log-group:*']] },
              },
            },
          },
        ]),
      },
    });
  });

  it("sends the asset copies' function's logs to the handlers' encrypted log group, which it otherwise leaves to Lambda", () => {
    const { stack, key } = fixture();
    everyFunctionOf(stack, [{ logEncryptionKey: key }]);
    const template = Template.fromStack(stack);
    const handlerLogs = Object.keys(template.findResources('AWS::Logs::LogGroup')).find((id) => /^PersonalizeJobHandlersLogs/.test(id));
    const sdkCall = Object.entries(functionsOf(template)).find(([id]) => id.startsWith(SDK_CALL_FUNCTION))![1];
    expect(sdkCall.Properties.LoggingConfig).toEqual({ LogGroup: { Ref: handlerLogs } });

    const plain = new Stack(new App(), 'Stack');
    everyFunctionOf(plain, []);
    const plainCall = Object.entries(functionsOf(Template.fromStack(plain))).find(([id]) => id.startsWith(SDK_CALL_FUNCTION))![1];
    expect(plainCall.Properties).not.toHaveProperty('LoggingConfig');
  });

  it('warns that an imported key needs the statement added by hand', () => {
    const { stack } = fixture();
    const imported = kms.Key.fromKeyArn(stack, 'Imported', 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    everyFunctionOf(stack, [{ logEncryptionKey: imported }]);
    Annotations.fromStack(stack).hasWarning(
      '/Stack/Waiter',
      Match.stringLikeRegexp('handlerSettings.logEncryptionKey arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab is imported, so its key policy cannot be changed here'),
    );
  });
});

describe('reservedConcurrentExecutions', () => {
  it('reserves it for every function', () => {
    const { stack } = fixture();
    everyFunctionOf(stack, [{ reservedConcurrentExecutions: 3 }]);
    for (const { Properties } of Object.values(functionsOf(Template.fromStack(stack)))) {
      expect(Properties.ReservedConcurrentExecutions).toBe(3);
    }
  });

  it.each([0, -1, 2.5])('refuses %p, saying why 0 is refused', (value) => {
    const { stack } = fixture();
    expect(() => everyFunctionOf(stack, [{ reservedConcurrentExecutions: value }])).toThrow(
      `Stack/Waiter: handlerSettings.reservedConcurrentExecutions must be a whole number of at least 1; got ${value}. 0 would stop every function from running`,
    );
  });

  it('lets a token through, for Lambda to check', () => {
    const { stack } = fixture();
    everyFunctionOf(stack, [{ reservedConcurrentExecutions: new CfnParameter(stack, 'Concurrency', { type: 'Number' }).valueAsNumber }]);
    for (const { Properties } of Object.values(functionsOf(Template.fromStack(stack)))) {
      expect(Properties.ReservedConcurrentExecutions).toEqual({ Ref: 'Concurrency' });
    }
  });
});

describe('tracingEnabled', () => {
  it('traces every function and every waiter state machine, granting their roles X-Ray writes on "*" once', () => {
    const { stack } = fixture();
    everyFunctionOf(stack, [{ tracingEnabled: true }]);
    const template = Template.fromStack(stack);
    for (const { Properties } of Object.values(functionsOf(template))) {
      expect(Properties.TracingConfig).toEqual({ Mode: 'Active' });
    }
    const stateMachines = Object.values(template.findResources('AWS::StepFunctions::StateMachine'));
    expect(stateMachines).toHaveLength(2);
    for (const { Properties } of stateMachines) {
      expect(Properties.TracingConfiguration).toEqual({ Enabled: true });
    }
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap((policy) => policy.Properties.PolicyDocument.Statement);
    const functionTraces = statements.filter((statement) => JSON.stringify(statement.Action) === JSON.stringify(['xray:PutTraceSegments', 'xray:PutTelemetryRecords']));
    const stateMachineTraces = statements.filter(
      (statement) => JSON.stringify(statement.Action) === JSON.stringify(['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets']),
    );
    // The handlers' role, the two providers' two framework roles, the SDK-call function's role; the two state machines' roles.
    expect(functionTraces).toHaveLength(6);
    expect(stateMachineTraces).toHaveLength(2);
    for (const statement of [...functionTraces, ...stateMachineTraces]) {
      expect(statement).toMatchObject({ Effect: 'Allow', Resource: '*' });
    }
  });

  it('leaves everything untraced when false', () => {
    const { stack } = fixture();
    everyFunctionOf(stack, [{ tracingEnabled: false }]);
    const template = Template.fromStack(stack);
    for (const { Properties } of Object.values(functionsOf(template))) {
      expect(Properties).not.toHaveProperty('TracingConfig');
    }
    expect(JSON.stringify(template.toJSON())).not.toContain('xray:');
  });
});

describe('memorySize', () => {
  it('sizes every function', () => {
    const { stack } = fixture();
    everyFunctionOf(stack, [{ memorySize: 512 }]);
    for (const { Properties } of Object.values(functionsOf(Template.fromStack(stack)))) {
      expect(Properties.MemorySize).toBe(512);
    }
  });

  it.each([127, 10_241, 200.5])('refuses %p', (value) => {
    const { stack } = fixture();
    expect(() => everyFunctionOf(stack, [{ memorySize: value }])).toThrow(`Stack/Waiter: handlerSettings.memorySize must be a whole number of MiB from 128 to 10240; got ${value}.`);
  });

  it.each([128, 10_240])('accepts %p', (value) => {
    const { stack } = fixture();
    expect(() => everyFunctionOf(stack, [{ memorySize: value }])).not.toThrow();
  });
});

describe('stack-wide', () => {
  it('applies settings the last construct gives to the functions the first ones made, and one construct may give some, another others', () => {
    const { stack, vpc, key } = fixture();
    everyFunctionOf(stack, [undefined, { tracingEnabled: true }, { vpc, logEncryptionKey: key }]);
    const template = Template.fromStack(stack);
    for (const { Properties } of Object.values(functionsOf(template))) {
      expect(Properties.TracingConfig).toEqual({ Mode: 'Active' });
      expect(Properties).toHaveProperty('VpcConfig');
    }
    for (const logGroup of Object.values(template.findResources('AWS::Logs::LogGroup'))) {
      expect(logGroup.Properties.KmsKeyId).toEqual(stack.resolve(key.keyArn));
    }
  });

  it('accepts the same settings from several constructs, giving the same template as one', () => {
    const { stack: once, vpc: onceVpc, key: onceKey } = fixture();
    everyFunctionOf(once, [{ vpc: onceVpc, logEncryptionKey: onceKey, memorySize: 256 }]);
    const { stack: thrice, vpc, key } = fixture();
    const settings = { vpc, logEncryptionKey: key, memorySize: 256 };
    everyFunctionOf(thrice, [settings, { ...settings }, { ...settings, vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } }]);
    expect(Template.fromStack(thrice).toJSON()).toEqual(Template.fromStack(once).toJSON());
  });

  it.each([
    ['memorySize', { memorySize: 256 }, { memorySize: 512 }, 'handlerSettings (memorySize) 512 differs from 256, which Stack/Waiter gave'],
    ['tracingEnabled', { tracingEnabled: true }, { tracingEnabled: false }, 'handlerSettings (tracingEnabled) false differs from true, which Stack/Waiter gave'],
    [
      'reservedConcurrentExecutions',
      { reservedConcurrentExecutions: 2 },
      { reservedConcurrentExecutions: 4 },
      'handlerSettings (reservedConcurrentExecutions) 4 differs from 2, which Stack/Waiter gave',
    ],
  ])('refuses two values of %s, naming both constructs', (_name, first, second, message) => {
    const { stack } = fixture();
    expect(() => everyFunctionOf(stack, [first, second])).toThrow(
      `Stack/SlowWaiter: ${message}. The stack's Personalize constructs share their functions: give them the same handlerSettings, or give them on one construct only.`,
    );
  });

  it('refuses two keys, and two placements in one VPC, naming both', () => {
    const { stack, key } = fixture();
    const otherKey = new kms.Key(stack, 'OtherKey');
    expect(() => everyFunctionOf(stack, [{ logEncryptionKey: key }, { logEncryptionKey: otherKey }])).toThrow(
      'Stack/SlowWaiter: handlerSettings (logEncryptionKey) the key Stack/OtherKey differs from the key Stack/LogKey, which Stack/Waiter gave.',
    );
    const second = fixture();
    const group = new ec2.SecurityGroup(second.stack, 'Group', { vpc: second.vpc });
    expect(() => everyFunctionOf(second.stack, [{ vpc: second.vpc }, { vpc: second.vpc, securityGroups: [group] }])).toThrow(
      'Stack/SlowWaiter: handlerSettings (vpc, vpcSubnets and securityGroups) the VPC Stack/Vpc (subnets Stack/Vpc/IsolatedSubnet1, Stack/Vpc/IsolatedSubnet2; ' +
        'security groups Stack/Group) differs from the VPC Stack/Vpc (subnets Stack/Vpc/IsolatedSubnet1, Stack/Vpc/IsolatedSubnet2), which Stack/Waiter gave.',
    );
  });
});
