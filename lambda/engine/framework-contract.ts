import type { CloudFormationCustomResourceEvent } from 'aws-lambda';

/*
 * The slice of aws-cdk-lib's provider framework contract (custom-resources/lib/provider-framework,
 * whose types the package does not export) that the waiter relies on.
 */

/** The event onEvent receives: CloudFormation's request, with the response URL. */
export type OnEventRequest = CloudFormationCustomResourceEvent;

/**
 * What onEvent answers. The framework spreads this object into the event it hands to every
 * isComplete call, which is how each poll learns when the wait began.
 */
export interface OnEventResponse {
  readonly PhysicalResourceId: string;
  readonly WaitStartedAt?: string;
  /**
   * The reference of the job the request stands for, which every poll describes: the physical id,
   * except for a kind whose resource keeps one physical id across updates (JobKind.keepsPhysicalId).
   */
  readonly JobRef?: string;
  /** Attributes known from onEvent on: the framework merges them into the answer (`Reused`). */
  readonly Data?: Readonly<Record<string, string>>;
}

/** The event isComplete receives: the request merged with onEvent's response. */
export type IsCompleteRequest = OnEventRequest & Partial<OnEventResponse>;

export interface IsCompleteResponse {
  readonly IsComplete: boolean;
  /** The job's attributes, by name (`Fn::GetAtt`). */
  readonly Data?: Readonly<Record<string, string>>;
}
