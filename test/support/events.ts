import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import type { IsCompleteRequest } from '../../lambda/engine/framework-contract';

export const JOB_ARN = 'arn:aws:personalize:us-east-1:111122223333:batch-segment-job/spring-promo';
export const OTHER_JOB_ARN = 'arn:aws:personalize:us-east-1:111122223333:batch-segment-job/summer-promo';
export const RESPONSE_URL = 'https://cloudformation-custom-resource-response-useast1.s3.amazonaws.com/secret-signature';

/** Properties as CloudFormation delivers them: every scalar a string. */
export function waiterProperties(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ServiceToken: 'arn:aws:lambda:us-east-1:111122223333:function:provider',
    BatchSegmentJobArn: JOB_ARN,
    TimeoutSeconds: '3600',
    PollIntervalSeconds: '30',
    FailOnJobFailure: 'true',
    LogLevel: 'INFO',
    ...overrides,
  };
}

const common = {
  ServiceToken: 'arn:aws:lambda:us-east-1:111122223333:function:provider',
  ResponseURL: RESPONSE_URL,
  StackId: 'arn:aws:cloudformation:us-east-1:111122223333:stack/app/8d3e4b60-0000-0000-0000-000000000000',
  RequestId: 'b3a1c1f4-0000-0000-0000-000000000000',
  LogicalResourceId: 'Segments06F6163E',
  ResourceType: 'Custom::PersonalizeBatchSegmentJobWaiter',
};

export function createEvent(properties = waiterProperties()): CloudFormationCustomResourceEvent {
  return { ...common, RequestType: 'Create', ResourceProperties: properties as never };
}

export function updateEvent(
  properties = waiterProperties(),
  oldProperties = waiterProperties(),
  physicalResourceId = JOB_ARN,
): CloudFormationCustomResourceEvent {
  return {
    ...common,
    RequestType: 'Update',
    PhysicalResourceId: physicalResourceId,
    ResourceProperties: properties as never,
    OldResourceProperties: oldProperties as never,
  };
}

export function deleteEvent(properties: Record<string, unknown> = waiterProperties()): CloudFormationCustomResourceEvent {
  return { ...common, RequestType: 'Delete', PhysicalResourceId: JOB_ARN, ResourceProperties: properties as never };
}

/** A poll's event: the request merged with onEvent's answer, as the provider framework builds it. */
export function pollEvent(
  waitStartedAt: Date,
  properties = waiterProperties(),
  requestType: 'Create' | 'Update' | 'Delete' = 'Create',
): IsCompleteRequest {
  const request =
    requestType === 'Create' ? createEvent(properties) : requestType === 'Update' ? updateEvent(properties) : deleteEvent(properties);
  return { ...request, PhysicalResourceId: String(properties.BatchSegmentJobArn), WaitStartedAt: waitStartedAt.toISOString() };
}

export const SOLUTION_VERSION_ARN = 'arn:aws:personalize:us-east-1:111122223333:solution/promo/1a2b3c4d';
export const JOB_ROLE_ARN = 'arn:aws:iam::111122223333:role/PersonalizeBatch';

/** A BatchSegmentJob's `Job` property as CloudFormation delivers it. */
export function jobDefinition(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    NamePrefix: 'spring-promo',
    SolutionVersionArn: SOLUTION_VERSION_ARN,
    RoleArn: JOB_ROLE_ARN,
    InputPath: 's3://promo-data/segments/queries.json',
    OutputPath: 's3://promo-data/segments/out/',
    NumResults: '100000',
    ...overrides,
  };
}

/** A BatchSegmentJob's first resource: the job to create, no ARN yet. */
export function jobProperties(job: Record<string, unknown> = jobDefinition(), overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const settings = waiterProperties();
  delete settings.BatchSegmentJobArn;
  return { ...settings, Job: job, ...overrides };
}
