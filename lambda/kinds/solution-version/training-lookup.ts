import {
  DescribeSolutionVersionCommand,
  paginateListSolutionVersions,
  PersonalizeClient,
  ResourceNotFoundException,
  SolutionVersion,
  SolutionVersionSummary,
} from '@aws-sdk/client-personalize';
import { SOLUTION_VERSION, TRAINING_STATUSES } from '../../../lib/kinds/solution-version/contract';
import { TIMEOUT_SECONDS } from '../../../lib/engine/wait-timing';

/**
 * Versions created longer ago than this cannot be a training this stack is still waiting for or
 * must stop: the longest wait is 12 hours, and a wait that gives up stops its training.
 */
export const LOOKUP_WINDOW_MS = (TIMEOUT_SECONDS.max + 3600) * 1000;

/**
 * How long one lookup may go on starting calls. The handlers have one minute (and a call up to
 * about 16 seconds with the SDK's retries): a lookup that ran out of time must end as a fault the
 * next poll retries, not as a Lambda timeout, which would fail the deployment or, worse, a Delete.
 */
export const LOOKUP_BUDGET_MS = 25_000;

/** A lookup that ran out of its time budget: the next poll tries again. */
export class LookupUnfinishedError extends Error {
  override readonly name = 'LookupUnfinishedError';
  /** Read by the SDK's error classification, as a server fault is: retry. */
  readonly $fault = 'server';
}

/**
 * The solution's version named `versionName`, described. Personalize chooses a version's ARN, and
 * its list answers no names: the versions created within the lookup window are described newest
 * first until one has the name. Throws ResourceNotFoundException when none has it (the training
 * is not created yet), LookupUnfinishedError when it ran out of time, and whatever else the SDK throws.
 */
export async function describeVersionNamed(client: PersonalizeClient, solutionArn: string, versionName: string): Promise<SolutionVersion> {
  const withinBudget = lookupBudget(`Looking for version ${versionName} of solution ${solutionArn}`);
  for (const candidate of await recentVersions(client, solutionArn, withinBudget)) {
    withinBudget();
    const response = await client.send(new DescribeSolutionVersionCommand({ solutionVersionArn: candidate.solutionVersionArn }));
    if (response.solutionVersion?.name === versionName) {
      return response.solutionVersion;
    }
  }
  throw new ResourceNotFoundException({
    message: `Solution ${solutionArn} has no version named ${versionName} created in the last ${LOOKUP_WINDOW_MS / 3_600_000} hours.`,
    $metadata: {},
  });
}

/**
 * The solution's versions still training (CREATE PENDING or CREATE IN_PROGRESS), described, so
 * that their names can be read. The list reports each version's status, so only trainings in
 * progress are described: at most Personalize's limit of 20 in a region, however many versions
 * the solution has. Throws LookupUnfinishedError when it ran out of time, and what the SDK throws.
 */
export async function describeRunningVersions(client: PersonalizeClient, solutionArn: string): Promise<SolutionVersion[]> {
  const withinBudget = lookupBudget(`Looking for the trainings in progress of solution ${solutionArn}`);
  const running: SolutionVersion[] = [];
  for (const candidate of await recentVersions(client, solutionArn, withinBudget)) {
    if (!TRAINING_STATUSES.includes(candidate.status ?? '')) {
      continue;
    }
    withinBudget();
    const response = await client.send(new DescribeSolutionVersionCommand({ solutionVersionArn: candidate.solutionVersionArn }));
    if (response.solutionVersion !== undefined) {
      running.push(response.solutionVersion);
    }
  }
  return running;
}

/**
 * The solution's ACTIVE versions created since `since` that `isAdoptable` accepts, the newest
 * first, one at a time: the first accepted is answered, described. Throws LookupUnfinishedError
 * when it ran out of time, and what the SDK throws.
 */
export async function newestActiveVersion(
  client: PersonalizeClient,
  solutionArn: string,
  since: number,
  isAdoptable: (solutionVersionArn: string) => Promise<boolean>,
): Promise<SolutionVersion | undefined> {
  const withinBudget = lookupBudget(`Looking for a version of solution ${solutionArn} to reuse`);
  for (const candidate of await recentVersions(client, solutionArn, withinBudget, since)) {
    withinBudget();
    if (candidate.status === SOLUTION_VERSION.succeededStatus && (await isAdoptable(candidate.solutionVersionArn!))) {
      const response = await client.send(new DescribeSolutionVersionCommand({ solutionVersionArn: candidate.solutionVersionArn }));
      return response.solutionVersion;
    }
  }
  return undefined;
}

/** The solution's versions created since `since` (by default, within the lookup window), newest first. */
async function recentVersions(client: PersonalizeClient, solutionArn: string, withinBudget: () => void, since = Date.now() - LOOKUP_WINDOW_MS): Promise<SolutionVersionSummary[]> {
  const candidates: SolutionVersionSummary[] = [];
  for await (const page of paginateListSolutionVersions({ client, pageSize: 100 }, { solutionArn })) {
    candidates.push(...(page.solutionVersions ?? []).filter((version) => createdAt(version) >= since));
    withinBudget();
  }
  return candidates.sort((a, b) => createdAt(b) - createdAt(a));
}

/** A check that throws LookupUnfinishedError once `what` has gone on longer than LOOKUP_BUDGET_MS. */
function lookupBudget(what: string): () => void {
  const startedAt = Date.now();
  return () => {
    if (Date.now() - startedAt > LOOKUP_BUDGET_MS) {
      throw new LookupUnfinishedError(`${what} took over ${LOOKUP_BUDGET_MS / 1000} s; the next poll looks again.`);
    }
  };
}

/** When a version was created; one Personalize reports no time for is kept, to be described. */
function createdAt(version: SolutionVersionSummary): number {
  return version.creationDateTime?.getTime() ?? Number.MAX_SAFE_INTEGER;
}
