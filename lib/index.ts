export * from './batch-segment-job-base';
export * from './batch-segment-job-waiter';
export * from './batch-segment-job';
