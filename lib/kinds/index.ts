import { BATCH_INFERENCE_JOB } from './batch-inference-job/contract';
import { BATCH_SEGMENT_JOB } from './batch-segment-job/contract';
import { DATASET_IMPORT_JOB } from './dataset-import-job/contract';
import type { JobKind } from '../engine/job-kind';
import { SOLUTION_VERSION } from './solution-version/contract';

/** Every kind of job the constructs create or wait for. A new kind is one more module here. */
export const JOB_KINDS: readonly JobKind[] = [BATCH_SEGMENT_JOB, BATCH_INFERENCE_JOB, SOLUTION_VERSION, DATASET_IMPORT_JOB];
