import { PersonalizeClient } from '@aws-sdk/client-personalize';

const clients = new Map<string, PersonalizeClient>();

/**
 * A Personalize client for the region a job lives in, kept for the container's life.
 *
 * Every call must end well inside the Lambda timeout: a handler that times out is reported by the
 * provider framework as a failed deployment, while an SDK error is only a poll that did not count.
 * Three attempts of at most 5 seconds each, plus backoff, stay under 30 seconds.
 *
 * `singleAttempt` is for the Create calls: a Create refused because the region is at its job
 * limit will not succeed a second later, and a Create whose answer was lost is found by the next
 * poll's Describe, so the polls are its retries.
 */
export function personalizeClientFor(region: string, singleAttempt = false): PersonalizeClient {
  const key = `${region}/${singleAttempt ? 1 : 3}`;
  let client = clients.get(key);
  if (client === undefined) {
    client = new PersonalizeClient({
      region,
      maxAttempts: singleAttempt ? 1 : 3,
      requestHandler: { connectionTimeout: 3_000, requestTimeout: 5_000, throwOnRequestTimeout: true },
    });
    clients.set(key, client);
  }
  return client;
}
