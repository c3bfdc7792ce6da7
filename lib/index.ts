export * from './batch-job-base';
export * from './batch-job-props';
export * from './batch-segment-job-base';
export * from './batch-segment-job-waiter';
export * from './batch-segment-job';
export * from './batch-inference-job-base';
export * from './batch-inference-job-waiter';
export * from './batch-inference-job';
