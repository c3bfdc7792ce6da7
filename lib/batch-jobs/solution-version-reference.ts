import { Stack } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { IConstruct } from 'constructs';
import { homeOf } from '../engine/job-home';
import { type JobHome } from '../engine/job-kind';
import { workReferencesOf } from '../engine/work-references';

/*
 * What a batch job's solution version ARN may name. A literal or a parameter names its own home; a
 * construct's attribute (a SolutionVersion's, a SolutionVersionWaiter's) what the construct
 * declared, which refers to none of the stack's waits; a path into a state machine's state (a
 * training's result in the same run) is known only when the run creates the job.
 */

/** Where a job made from the version is created: its region and account, or the stack's for a version read from a run's state. */
export function solutionVersionHome(scope: IConstruct, solutionVersionArn: string): JobHome {
  if (sfn.JsonPath.isEncodedJsonPath(solutionVersionArn)) {
    const stack = Stack.of(scope);
    return { partition: stack.partition, region: stack.region, account: stack.account };
  }
  return homeOf(workReferencesOf(solutionVersionArn)?.homeArn ?? solutionVersionArn);
}

/**
 * What a grant on the version names (CreateBatchInferenceJob is authorized on it): the version, or
 * the versions of every solution of the job's home for a version read from a run's state.
 */
export function solutionVersionGrant(scope: IConstruct, solutionVersionArn: string): string {
  if (sfn.JsonPath.isEncodedJsonPath(solutionVersionArn)) {
    const { partition, region, account } = solutionVersionHome(scope, solutionVersionArn);
    return `arn:${partition}:personalize:${region}:${account}:solution/*/*`;
  }
  return workReferencesOf(solutionVersionArn)?.grantResource ?? solutionVersionArn;
}
