import type * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct, IDependable } from 'constructs';
import { setUpJobDataAccess } from '../../engine/job-data-access';
import { homeOf, readPattern } from '../../engine/job-home';
import type { JobHome } from '../../engine/job-kind';
import { validateS3Key, validateTags } from '../../engine/job-validation';
import { DATASET_IMPORT_JOB, type ImportRequestDefinition } from './contract';
import type { DatasetImportJobDefinitionProps } from './import-props';
import type { DatasetImportSourceConfig } from './source';
import { validateDatasetArn } from './validation';

/** An import's definition, checked, with what Personalize needs to run it set up. */
export interface ImportSetup {
  readonly definition: ImportRequestDefinition;
  /** The source as bound in `scope`: a run of the same import reads it as it is, without a second copy. */
  readonly source: DatasetImportSourceConfig;
  readonly role: iam.IRole;
  /** Where the import is created: its dataset's partition, region and account. */
  readonly home: JobHome;
  /** What the import must wait for: the role and its policy, the bucket and key policies, the copy of an asset. */
  readonly dependencies: IDependable[];
}

/**
 * Checks `props` at synth time, binds the source, sets up the role, bucket and key policies
 * Personalize needs to read the data, and answers the import's definition, whoever creates it (a
 * stack's handlers, a state machine).
 */
export function setUpImport(scope: Construct, props: DatasetImportJobDefinitionProps): ImportSetup {
  const tags = props.tags ?? {};
  const source = props.source.bind(scope);
  validateDatasetArn(scope, props.datasetArn);
  validateS3Key(scope, 'source key', source.bucket, source.key, false);
  validateTags(scope, tags);

  const home = homeOf(props.datasetArn);
  const access = setUpJobDataAccess(
    scope,
    DATASET_IMPORT_JOB,
    home,
    [{ bucket: source.bucket, objects: source.readableObjects ?? readPattern(source.key), access: 's3:GetObject', kmsKey: source.kmsKey }],
    props.role,
  );
  return {
    definition: {
      datasetArn: props.datasetArn,
      dataLocation: `s3://${source.bucket.bucketName}/${source.key}`,
      roleArn: access.role.roleArn,
      importMode: props.importMode,
      publishAttributionMetricsToS3: props.publishAttributionMetricsToS3,
      tags,
    },
    source,
    role: access.role,
    home,
    dependencies: [...access.dependencies, ...(source.dependency !== undefined ? [source.dependency] : [])],
  };
}
