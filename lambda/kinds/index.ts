import { WaiterError, quote } from '../engine/handler-error';
import { batchInferenceJob } from './batch-inference-job/kind';
import { batchSegmentJob } from './batch-segment-job/kind';
import { datasetImportJob } from './dataset-import-job/kind';
import type { HandlerKind } from '../engine/handler-kind';
import { solutionVersion } from './solution-version/kind';

/** Every kind the handlers serve. A new kind is one more module here. */
export const HANDLER_KINDS: readonly HandlerKind[] = [batchSegmentJob, batchInferenceJob, solutionVersion, datasetImportJob];

/** The kind of job a custom resource of `resourceType` waits for, whether it creates the job or only waits. */
export function handlerKindFor(resourceType: string | undefined): HandlerKind {
  const found = findHandlerKind(resourceType);
  if (found === undefined) {
    const known = HANDLER_KINDS.flatMap(({ kind }) => [kind.waiterResourceType, kind.jobResourceType]);
    throw new WaiterError(`These handlers serve the resource types ${known.join(', ')}; got ${quote(resourceType)}.`);
  }
  return found;
}

/** As handlerKindFor, answering undefined for a resource type these handlers do not serve. */
export function findHandlerKind(resourceType: string | undefined): HandlerKind | undefined {
  return HANDLER_KINDS.find(({ kind }) => kind.waiterResourceType === resourceType || kind.jobResourceType === resourceType);
}
