import {
  ANSWER_MARGIN_SECONDS,
  CLOUDFORMATION_RESPONSE_LIMIT_SECONDS,
  formatDuration,
  linkBudgetSeconds,
  linkCountFor,
  linkDeadlineSeconds,
  pollingDeadlineSeconds,
  POLL_INTERVAL_SECONDS,
  providerTotalTimeoutSeconds,
  TIMEOUT_SECONDS,
} from '../lib/engine/wait-timing';

const intervals = Array.from({ length: POLL_INTERVAL_SECONDS.max - POLL_INTERVAL_SECONDS.min + 1 }, (_, i) => i + POLL_INTERVAL_SECONDS.min);

describe('waiter timing', () => {
  it.each(intervals)('lets a full-hour waiter polling every %ss answer inside CloudFormation\'s hour, before the provider gives up', (interval) => {
    const deadline = pollingDeadlineSeconds(CLOUDFORMATION_RESPONSE_LIMIT_SECONDS, interval);
    const providerTimeout = providerTotalTimeoutSeconds(interval);
    // Polls come every interval (later, never sooner), so the first one at or past the deadline
    // notices it: it must come inside the hour with the margin to spare, and before the
    // provider's own last attempt.
    const noticingPoll = Math.ceil(deadline / interval) * interval;
    expect(noticingPoll).toBeLessThanOrEqual(CLOUDFORMATION_RESPONSE_LIMIT_SECONDS - ANSWER_MARGIN_SECONDS);
    expect(providerTimeout).toBeGreaterThanOrEqual(noticingPoll);
    expect(providerTimeout).toBeLessThan(CLOUDFORMATION_RESPONSE_LIMIT_SECONDS);
    expect(providerTimeout % interval).toBe(0);
  });

  it.each(intervals)('splits any timeout polled every %ss into links that each fit the hour and add up to it', (interval) => {
    for (const timeout of [TIMEOUT_SECONDS.min, 3600, 3601, 7200, 5 * 3600, TIMEOUT_SECONDS.max]) {
      const links = linkCountFor(timeout, interval);
      const deadlines = Array.from({ length: links }, (_, i) => linkDeadlineSeconds(timeout, interval, i + 1, links));
      if (links === 1) {
        expect(deadlines).toEqual([pollingDeadlineSeconds(timeout, interval)]);
        continue;
      }
      expect(deadlines.reduce((sum, d) => sum + d, 0)).toBe(timeout);
      expect(Math.max(...deadlines)).toBeLessThanOrEqual(linkBudgetSeconds(interval));
      expect(deadlines[links - 1]).toBeGreaterThan(0);
    }
  });

  it('relays a wait only past the hour', () => {
    expect(linkCountFor(3600, 30)).toBe(1);
    expect(linkCountFor(3601, 30)).toBe(2);
    expect(linkCountFor(5 * 3600, 30)).toBe(6);
    expect(linkCountFor(12 * 3600, 30)).toBe(13);
    expect(linkCountFor(12 * 3600, 5)).toBe(13);
    expect(linkCountFor(12 * 3600, 300)).toBe(14);
    expect(linkBudgetSeconds(30)).toBe(3390);
  });

  it('keeps a shorter timeout as it is', () => {
    expect(pollingDeadlineSeconds(1200, 30)).toBe(1200);
    expect(pollingDeadlineSeconds(3600, 30)).toBe(3390);
  });

  it.each([
    [0, '0s'],
    [45, '45s'],
    [60, '1m'],
    [1230, '20m 30s'],
    [3600, '1h'],
    [3661, '1h 1m 1s'],
    [59.6, '1m'],
    [-5, '0s'],
  ])('formats %s seconds as %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });
});
