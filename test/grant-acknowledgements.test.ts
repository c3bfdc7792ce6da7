import * as path from 'path';
import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import type { IConstruct } from 'constructs';
import { BatchSegmentJob, DatasetImportJob, DatasetImportSource, SolutionVersion } from '../lib';

/*
 * The AwsSolutions-IAM5 findings that the library's wildcard grants cannot avoid, acknowledged
 * with their reasons on the one construct each concerns: the exact finding ids (cdk-nag's way of
 * writing a token) and the reasons a reviewer reads in the report.
 */

const SOLUTION_ARN = 'arn:aws:personalize:us-east-1:111122223333:solution/promo';
const DATASET_ARN = 'arn:aws:personalize:us-east-1:111122223333:dataset/shop/INTERACTIONS';

function acknowledgementsOn(construct: IConstruct): Record<string, string> {
  return Object.assign({}, ...construct.node.metadata.filter((entry) => entry.type === 'aws:cdk:acknowledged-rules').map((entry) => entry.data));
}

function handlersRole(stack: Stack): IConstruct {
  return stack.node.findChild('PersonalizeJobHandlers').node.findChild('Role');
}

describe('acknowledged wildcard grants', () => {
  it('on the handlers\' role: every job of a kind, for rollbacks and cleanups, and the versions of a solution it trains', () => {
    const stack = new Stack(new App(), 'Stack');
    new SolutionVersion(stack, 'Model', { solutionArn: SOLUTION_ARN });

    expect(acknowledgementsOn(handlersRole(stack))).toMatchObject({
      'AwsSolutions::AwsSolutions-IAM5[Resource::arn:aws:personalize:us-east-1:111122223333:solution/*/*]':
        'A rollback or cleanup reaches the solution version that the properties before an update named, under the policy made for the update\'s ' +
        '(CloudFormation rolls the policy back only after the resources that use it); the wildcard reaches this one kind of job in one account and region.',
      [`AwsSolutions::AwsSolutions-IAM5[Resource::${SOLUTION_ARN}/*]`]:
        'Personalize chooses a solution version\'s id when training starts; the wildcard reaches the versions of this one solution only.',
    });
  });

  it('on a job\'s role: the folder Personalize names its files in, written as cdk-nag writes a Ref', () => {
    const stack = new Stack(new App(), 'Stack');
    const bucketName = new CfnParameter(stack, 'DataBucketName');
    const bucket = s3.Bucket.fromBucketName(stack, 'Data', bucketName.valueAsString);
    const job = new BatchSegmentJob(stack, 'Segments', {
      solutionVersionArn: `${SOLUTION_ARN}/1a2b3c4d`,
      input: { bucket, key: 'in/queries.json' },
      output: { bucket, prefix: 'out/' },
    });

    expect(acknowledgementsOn(job.role)).toMatchObject({
      'AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::<DataBucketName>/out/*]':
        'Personalize names the files it writes under the job\'s output folder (or reads under its input folder) itself, and an import of copied ' +
        'assets reads the copy before an update again when the update rolls back; the wildcard reaches that folder only.',
    });
  });

  it('on aws-cdk-lib\'s function for the asset copy, and not on the stack', () => {
    const stack = new Stack(new App(), 'Stack');
    const asset = new s3assets.Asset(stack, 'Sample', { path: path.join(__dirname, '..', 'package.json') });
    new DatasetImportJob(stack, 'Interactions', { datasetArn: DATASET_ARN, source: DatasetImportSource.fromAsset(asset, { copyTo: new s3.Bucket(stack, 'Copies') }) });

    const sdkCallFunction = stack.node.findChild('AWS679f53fac002430cb0da5b7982bd2287');
    expect(acknowledgementsOn(sdkCallFunction)).toMatchObject({
      'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]':
        'aws-cdk-lib gives the function that makes its SDK calls AWSLambdaBasicExecutionRole, for its own logs only.',
    });
    expect(acknowledgementsOn(stack)).toEqual({});
  });
});
