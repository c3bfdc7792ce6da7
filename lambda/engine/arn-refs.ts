import { jobNameOf } from '../../lib/engine/job-contract';
import { homeOfArn, jobArnIn, jobArnPattern, JobKind } from '../../lib/engine/job-kind';
import type { HandlerKind, JobDefinition } from './handler-kind';

/** The references of a kind whose job ARN follows from its name: the ARN itself. */
export function arnRefs<Definition extends JobDefinition>(
  kind: JobKind,
  homeArn: (definition: Definition) => string,
): Pick<HandlerKind<never, Definition>, 'refFor' | 'isRef' | 'nameOfRef' | 'homeArn'> {
  const pattern = jobArnPattern(kind);
  return {
    homeArn,
    refFor: (definition, name) => jobArnIn(kind, homeOfArn(homeArn(definition)), name),
    isRef: (value) => pattern.test(value),
    nameOfRef: jobNameOf,
  };
}
