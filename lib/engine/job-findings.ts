import { Stack } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { acknowledgeFindings } from './acknowledged-findings';

/*
 * The cdk-nag AwsSolutions findings the job constructs' grants cannot avoid, acknowledged on the
 * one resource each concerns and nowhere else.
 */

const NAMED_BY_PERSONALIZE =
  'Personalize names the files it writes under the job\'s output folder (or reads under its input folder) ' +
  'itself, and an import of copied assets reads the copy before an update again when the update rolls back; ' +
  'the wildcard reaches that folder only.';

/** The job's role reads or writes every object under a folder: `objectsArn` ends with `/*`. */
export function acknowledgeFolderGrant(role: iam.IRole, objectsArn: string): void {
  const resource = nagName(Stack.of(role).resolve(objectsArn));
  acknowledgeFindings(role, { id: `AwsSolutions::AwsSolutions-IAM5[Resource::${resource}]`, reason: NAMED_BY_PERSONALIZE });
}

/** How cdk-nag writes a resource in a finding's id: tokens as `<LogicalId.Attribute>` or `<LogicalId>`. */
export function nagName(value: unknown): string {
  if (typeof value === 'string') {
    return value;
  }
  const intrinsic = value as { Ref?: string; 'Fn::GetAtt'?: [string, string]; 'Fn::Join'?: [string, unknown[]] };
  if (intrinsic.Ref !== undefined) {
    return `<${intrinsic.Ref}>`;
  }
  if (intrinsic['Fn::GetAtt'] !== undefined) {
    return `<${intrinsic['Fn::GetAtt'].join('.')}>`;
  }
  if (intrinsic['Fn::Join'] !== undefined) {
    const [separator, parts] = intrinsic['Fn::Join'];
    return parts.map(nagName).join(separator);
  }
  // cdk-nag's own fallback (flattenCfnReference), for Fn::Select and the rest.
  return JSON.stringify(value);
}
