import {
  DescribeSolutionVersionCommand,
  paginateListSolutionVersions,
  PersonalizeClient,
  ResourceNotFoundException,
  SolutionVersion,
  SolutionVersionSummary,
} from '@aws-sdk/client-personalize';
import { TIMEOUT_SECONDS } from '../lib/waiter-timing';

/**
 * Versions created longer ago than this cannot be a training this stack is still waiting for or
 * must stop: the longest wait is 12 hours, and a wait that gives up stops its training.
 */
export const LOOKUP_WINDOW_MS = (TIMEOUT_SECONDS.max + 3600) * 1000;

/**
 * The solution's version named `versionName`, described. Personalize chooses a version's ARN, and
 * its list answers no names: the versions created within the lookup window are described newest
 * first until one has the name. Throws ResourceNotFoundException when none has it (the training
 * is not created yet), and whatever else the SDK throws.
 */
export async function describeVersionNamed(client: PersonalizeClient, solutionArn: string, versionName: string): Promise<SolutionVersion> {
  const since = Date.now() - LOOKUP_WINDOW_MS;
  const candidates: SolutionVersionSummary[] = [];
  for await (const page of paginateListSolutionVersions({ client, pageSize: 100 }, { solutionArn })) {
    candidates.push(...(page.solutionVersions ?? []).filter((version) => createdAt(version) >= since));
  }
  candidates.sort((a, b) => createdAt(b) - createdAt(a));
  for (const candidate of candidates) {
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

/** When a version was created; one Personalize reports no time for is kept, to be described. */
function createdAt(version: SolutionVersionSummary): number {
  return version.creationDateTime?.getTime() ?? Number.MAX_SAFE_INTEGER;
}
