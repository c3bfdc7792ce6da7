import { BatchJobField } from '../../lib/batch-jobs/contract';
import { DEFINITION_TAG_KEY, JobField, JOB_NAME_SUFFIX_LENGTH } from '../../lib/engine/job-contract';
import { JOB_KINDS } from '../../lib/kinds';
import { ImportField } from '../../lib/kinds/dataset-import-job/contract';
import { TrainingField } from '../../lib/kinds/solution-version/contract';
import type { LocalDeployment } from '../../local/local-deployment';
import type { PersonalizeRequest } from '../../local/iam/personalize-calls';

/*
 * The Personalize calls each custom resource of a synthesized template makes, read from its
 * properties without deploying it: what the handlers send for its kind (lambda/kinds/<kind>/kind.ts),
 * on the names its requests would give its work. For checks of a template's grants that need no
 * deployment (test/iam-grants.test.ts); the end-to-end tests make the calls themselves.
 */

const SUFFIX = '0123456789ab'.slice(0, JOB_NAME_SUFFIX_LENGTH);
const VERSION_ID = '1a2b3c4d';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Properties = Record<string, any>;

/** A resource's calls, each with the ARN of what a Create makes. */
export interface ResourceCalls {
  readonly logicalId: string;
  readonly type: string;
  readonly calls: readonly PersonalizeRequest[];
}

/**
 * Lets every custom resource of the library answer as its Create would (its job's ARN, a
 * version's ARN), so that the resources and policies that refer to them resolve; then answers
 * each resource's calls.
 */
export function templateCalls(deployment: LocalDeployment): ResourceCalls[] {
  const ids = JOB_KINDS.flatMap((kind) => [kind.jobResourceType, kind.waiterResourceType].flatMap((type) => deployment.logicalIdsOf(type).map((logicalId) => ({ logicalId, type }))));
  // Twice: a resource that refers to another resolves once that one has answered.
  for (let round = 0; round < 2; round++) {
    for (const { logicalId, type } of ids) {
      const { physicalId, data } = answerOf(type, deployment.requestPropertiesOf(logicalId));
      deployment.assumeAnswered(logicalId, physicalId, data);
    }
  }
  return ids.map(({ logicalId, type }) => ({ logicalId, type, calls: callsOf(type, deployment.requestPropertiesOf(logicalId)) }));
}

function answerOf(type: string, properties: Properties): { physicalId: string; data: Record<string, string> } {
  const job = properties.Job ?? {};
  switch (type) {
    case 'Custom::PersonalizeSolutionVersion': {
      const arn = `${job[TrainingField.SOLUTION_ARN]}/${VERSION_ID}`;
      return { physicalId: arn, data: { SolutionVersionArn: arn } };
    }
    case 'Custom::PersonalizeBatchSegmentJob':
    case 'Custom::PersonalizeBatchInferenceJob':
    case 'Custom::PersonalizeDatasetImportJob': {
      const arn = createdArnOf(type, properties);
      const attribute = { 'Custom::PersonalizeBatchSegmentJob': 'BatchSegmentJobArn', 'Custom::PersonalizeBatchInferenceJob': 'BatchInferenceJobArn', 'Custom::PersonalizeDatasetImportJob': 'DatasetImportJobArn' }[type];
      return { physicalId: arn, data: { [attribute]: arn } };
    }
    default: {
      const arn = String(Object.entries(properties).find(([key]) => key.endsWith('Arn'))?.[1]);
      return { physicalId: arn, data: {} };
    }
  }
}

function jobNameOf(properties: Properties): string {
  return `${properties.Job[JobField.NAME_PREFIX]}-${SUFFIX}`;
}

/** The region and account of the work: those of the solution version, dataset or solution it is made from. */
function homeOf(arn: string): string {
  return arn.split(':').slice(0, 5).join(':');
}

function createdArnOf(type: string, properties: Properties): string {
  const job = properties.Job;
  switch (type) {
    case 'Custom::PersonalizeBatchSegmentJob':
      return `${homeOf(job[BatchJobField.SOLUTION_VERSION_ARN])}:batch-segment-job/${jobNameOf(properties)}`;
    case 'Custom::PersonalizeBatchInferenceJob':
      return `${homeOf(job[BatchJobField.SOLUTION_VERSION_ARN])}:batch-inference-job/${jobNameOf(properties)}`;
    default:
      return `${homeOf(job[ImportField.DATASET_ARN])}:dataset-import-job/${jobNameOf(properties)}`;
  }
}

function tagsOf(job: Properties, definitionTag: boolean): { tagKey: string; tagValue: string }[] {
  const tags = Object.entries((job[JobField.TAGS] ?? {}) as Record<string, string>).map(([tagKey, tagValue]) => ({ tagKey, tagValue }));
  return definitionTag ? [...tags, { tagKey: DEFINITION_TAG_KEY, tagValue: 'definition' }] : tags;
}

function callsOf(type: string, properties: Properties): PersonalizeRequest[] {
  const job = properties.Job;
  const request = (operation: string, body: Record<string, unknown>, createdArn?: string): PersonalizeRequest => {
    const arn = String(Object.values(body).find((value) => typeof value === 'string' && value.startsWith('arn:')) ?? createdArn ?? '');
    return { operation, region: arn.split(':')[3], account: arn.split(':')[4], body, ...(createdArn !== undefined ? { createdArn } : {}) };
  };
  switch (type) {
    case 'Custom::PersonalizeBatchSegmentJob':
    case 'Custom::PersonalizeBatchInferenceJob': {
      const kind = type === 'Custom::PersonalizeBatchSegmentJob' ? 'BatchSegmentJob' : 'BatchInferenceJob';
      const arn = createdArnOf(type, properties);
      const tags = tagsOf(job, false);
      return [
        request(`Describe${kind}`, { [`${kind.charAt(0).toLowerCase()}${kind.slice(1)}Arn`]: arn }),
        request(
          `Create${kind}`,
          {
            jobName: jobNameOf(properties),
            solutionVersionArn: job[BatchJobField.SOLUTION_VERSION_ARN],
            roleArn: job[JobField.ROLE_ARN],
            jobInput: { s3DataSource: { path: job[BatchJobField.INPUT_PATH], kmsKeyArn: job[BatchJobField.INPUT_KMS_KEY_ARN] } },
            jobOutput: { s3DataDestination: { path: `${job[BatchJobField.OUTPUT_PATH]}${jobNameOf(properties)}/`, kmsKeyArn: job[BatchJobField.OUTPUT_KMS_KEY_ARN] } },
            ...(tags.length > 0 ? { tags } : {}),
          },
          arn,
        ),
      ];
    }
    case 'Custom::PersonalizeDatasetImportJob': {
      const arn = createdArnOf(type, properties);
      return [
        request('ListDatasetImportJobs', { datasetArn: job[ImportField.DATASET_ARN] }),
        request('DescribeDatasetImportJob', { datasetImportJobArn: arn }),
        request('ListTagsForResource', { resourceArn: arn }),
        request('CreateDatasetImportJob', { jobName: jobNameOf(properties), datasetArn: job[ImportField.DATASET_ARN], dataSource: { dataLocation: job[ImportField.DATA_LOCATION] }, roleArn: job[JobField.ROLE_ARN], tags: tagsOf(job, true) }, arn),
      ];
    }
    case 'Custom::PersonalizeSolutionVersion': {
      const solutionArn = job[TrainingField.SOLUTION_ARN];
      const version = `${solutionArn}/${VERSION_ID}`;
      return [
        ...(job[TrainingField.PERFORM_AUTO_TRAINING] !== undefined
          ? [request('DescribeSolution', { solutionArn }), request('UpdateSolution', { solutionArn, performAutoTraining: job[TrainingField.PERFORM_AUTO_TRAINING] })]
          : []),
        request('ListSolutionVersions', { solutionArn }),
        request('DescribeSolutionVersion', { solutionVersionArn: version }),
        request('ListTagsForResource', { resourceArn: version }),
        request('CreateSolutionVersion', { solutionArn, name: jobNameOf(properties), tags: tagsOf(job, true) }, version),
        request('GetSolutionMetrics', { solutionVersionArn: version }),
        request('StopSolutionVersionCreation', { solutionVersionArn: version }),
      ];
    }
    case 'Custom::PersonalizeSolutionVersionWaiter':
      return [request('DescribeSolutionVersion', { solutionVersionArn: properties.SolutionVersionArn }), request('GetSolutionMetrics', { solutionVersionArn: properties.SolutionVersionArn })];
    default: {
      const [field, arn] = Object.entries(properties).find(([key]) => key.endsWith('Arn'))!;
      return [request(`Describe${type.replace('Custom::Personalize', '').replace(/Waiter$/, '')}`, { [`${field.charAt(0).toLowerCase()}${field.slice(1)}`]: arn })];
    }
  }
}

/** An S3 object copy aws-cdk-lib's AwsCustomResource makes (DatasetImportSource.fromAsset with copyTo, the example's samples). */
export interface ObjectCopy {
  readonly logicalId: string;
  /** The function's role, which makes the call. */
  readonly roleArn: string;
  readonly source: { readonly bucket: string; readonly key: string };
  readonly destination: { readonly bucket: string; readonly key: string };
}

/** The template's CopyObject calls, resolved as CloudFormation would send them. */
export function objectCopies(deployment: LocalDeployment, template: { Resources: Record<string, { Type: string; Properties: Properties }> }): ObjectCopy[] {
  return deployment.logicalIdsOf('Custom::AWS').flatMap((logicalId) => {
    const properties = deployment.requestPropertiesOf(logicalId);
    const call = JSON.parse(String(properties.Create));
    if (call.service !== 'S3' || call.action !== 'copyObject') {
      return [];
    }
    const functionId = template.Resources[logicalId].Properties.ServiceToken['Fn::GetAtt'][0];
    const roleId = template.Resources[functionId].Properties.Role['Fn::GetAtt'][0];
    const [sourceBucket, ...sourceKey] = String(call.parameters.CopySource).split('/');
    return [{
      logicalId,
      roleArn: deployment.policyWorld().roles.find((role) => role.logicalId === roleId)!.roleArn,
      source: { bucket: sourceBucket, key: sourceKey.join('/') },
      destination: { bucket: String(call.parameters.Bucket), key: String(call.parameters.Key) },
    }];
  });
}
