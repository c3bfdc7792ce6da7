/** One step of a scripted timeline: from `afterSeconds` after its creation, a job reports `status`. */
export interface TimelineStep {
  readonly afterSeconds: number;
  readonly status: string;
}

/** The step a timeline has reached `elapsedSeconds` after creation (its first step before that). */
export function stepAt(timeline: readonly TimelineStep[], elapsedSeconds: number): TimelineStep {
  const reached = timeline.filter((step) => step.afterSeconds <= elapsedSeconds);
  return reached[reached.length - 1] ?? timeline[0];
}
