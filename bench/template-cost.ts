import { Template } from 'aws-cdk-lib/assertions';
import { naiveWaiterStack, waiterStack } from './stacks';

export interface TemplateCost {
  readonly waiters: number;
  readonly resources: number;
  readonly bytes: number;
  readonly naiveResources: number;
  /** Undefined when the naive stack does not synthesize (CloudFormation allows 500 resources). */
  readonly naiveBytes?: number;
  /** Resources that are not the waiters' own custom resources or the shared handlers (e.g. IAM overflow policies). */
  readonly overflowPolicies: number;
}

/** Resources and minified template bytes for stacks of waiters, ours against the naive design. */
export function measureTemplateCost(counts: readonly number[]): TemplateCost[] {
  return counts.map((waiters) => {
    const ours = Template.fromStack(waiterStack(waiters)).toJSON();
    const naive = naiveTemplate(waiters);
    return {
      waiters,
      resources: resourceCount(ours),
      bytes: Buffer.byteLength(JSON.stringify(ours)),
      naiveResources: naive.resources,
      naiveBytes: naive.bytes,
      overflowPolicies: Object.values(ours.Resources as Record<string, { Type: string }>).filter((r) => r.Type === 'AWS::IAM::ManagedPolicy').length,
    };
  });
}

function naiveTemplate(waiters: number): { resources: number; bytes?: number } {
  try {
    const template = Template.fromStack(naiveWaiterStack(waiters)).toJSON();
    return { resources: resourceCount(template), bytes: Buffer.byteLength(JSON.stringify(template)) };
  } catch (error) {
    const tooMany = /Number of resources in stack '[^']+': (\d+) is greater than allowed maximum/.exec(String(error));
    if (tooMany === null) {
      throw error;
    }
    return { resources: Number(tooMany[1]) };
  }
}

function resourceCount(template: ReturnType<Template['toJSON']>): number {
  return Object.values(template.Resources as Record<string, { Type: string }>).filter((r) => r.Type !== 'AWS::CDK::Metadata').length;
}

