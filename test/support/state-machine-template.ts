import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';

// Templates and definitions are untyped JSON.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

/** A stack with a bucket and a state machine `Nightly` made of what `build` chains: its template and its definition. */
export function stateMachineStack(build: (stack: Stack, bucket: s3.Bucket) => sfn.IChainable): { stack: Stack; definition: Json; template: Template } {
  const stack = new Stack(new App(), 'Stack');
  const bucket = new s3.Bucket(stack, 'Data');
  new sfn.StateMachine(stack, 'Nightly', { definitionBody: sfn.DefinitionBody.fromChainable(build(stack, bucket)) });
  const template = Template.fromStack(stack);
  // The provider framework of a stack's job has a state machine of its own.
  const [, machine] = Object.entries(template.findResources('AWS::StepFunctions::StateMachine') as Record<string, Json>).find(([id]) => id.startsWith('Nightly'))!;
  // The definition with each CloudFormation reference as its logical id, to read as JSON.
  const text = machine.Properties.DefinitionString['Fn::Join'][1].map((part: Json) => (typeof part === 'string' ? part : `<${part.Ref ?? part['Fn::GetAtt']?.[0]}>`)).join('');
  return { stack, definition: JSON.parse(text), template };
}

/** The statements of the state machine's role's policy. */
export function stateMachineRoleStatements(template: Template): Json[] {
  const policies = template.findResources('AWS::IAM::Policy') as Record<string, Json>;
  return Object.entries(policies)
    .filter(([id]) => id.startsWith('NightlyRole'))
    .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement);
}
