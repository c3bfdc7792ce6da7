import { batchSegmentJob } from '../../lambda/kinds/batch-segment-job/kind';

const jobAttributes = (job: Parameters<typeof batchSegmentJob.attributes>[0]) => batchSegmentJob.attributes(job, undefined, 'arn:aws:personalize:us-east-1:111122223333:batch-segment-job/ref');

describe('jobAttributes', () => {
  it('answers empty values for a job Personalize described with nothing', () => {
    expect(Object.values(jobAttributes({}))).toEqual(Array(13).fill(''));
  });

  it('answers empty paths and keys when the input and output hold no S3 details', () => {
    expect(jobAttributes({ status: 'ACTIVE', jobInput: {} as never, jobOutput: {} as never })).toMatchObject({
      InputPath: '',
      InputKmsKeyArn: '',
      OutputPath: '',
      OutputKmsKeyArn: '',
    });
  });

  it('answers an empty time for an invalid date', () => {
    expect(jobAttributes({ creationDateTime: new Date(NaN) }).CreationDateTime).toBe('');
  });
});
