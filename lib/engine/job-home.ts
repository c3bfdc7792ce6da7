import { Arn, ArnFormat } from 'aws-cdk-lib';
import type { JobHome } from './job-kind';

/** The partition, region and account an ARN names (a literal or a token), where a job made from it is created. */
export function homeOf(arn: string): JobHome {
  const { partition, region, account } = Arn.split(arn, ArnFormat.SLASH_RESOURCE_NAME);
  return { partition: partition!, region: region!, account: account! };
}

/** The objects a job reads: one key, or everything under a folder. */
export function readPattern(key: string): string {
  return key.endsWith('/') ? `${key}*` : key;
}
