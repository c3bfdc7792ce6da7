import type { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';

// Templates are untyped JSON.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** The Personalize and IAM statements of the stack's shared handlers' role, in template order. */
export function handlerStatements(stack: Stack): Json[] {
  const resources = Template.fromStack(stack).toJSON().Resources as Record<string, Json>;
  return Object.entries(resources)
    .filter(([id, resource]) => resource.Type === 'AWS::IAM::Policy' && id.startsWith('PersonalizeJobHandlersRoleDefaultPolicy'))
    .flatMap(([, resource]) => resource.Properties.PolicyDocument.Statement)
    .filter((statement: Json) => /^(personalize|iam):/.test(String(statement.Action)));
}
