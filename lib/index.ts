export * from './batch-segment-job-waiter';
