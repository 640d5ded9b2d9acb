import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { apiError, type FailureKind, VoximplantError } from '../../../src/voximplant/errors';
import { DEFAULT_RETRY_POLICY, decideRetry, type RetryDecisionInput } from '../../../src/voximplant/retry';

const policy = { ...DEFAULT_RETRY_POLICY };
const PLENTY = 600_000;

const transport = (code: string, kind: FailureKind) =>
  new VoximplantError({ code, kind, method: 'SetAdminUserInfo', message: code });

const input = (over: Partial<RetryDecisionInput> & Pick<RetryDecisionInput, 'error'>): RetryDecisionInput => ({
  attempt: 1,
  remainingMs: PLENTY,
  authRefreshed: false,
  random: () => 0.5,
  policy,
  ...over,
});

describe('decideRetry', () => {
  it.each([286, 104, 454, 447, 290, 999])('gives up at once on permanent code %i', (code) => {
    const decision = decideRetry(input({ error: apiError('SetAdminUserInfo', code, 'x') }));
    expect(decision).toMatchObject({ action: 'give_up' });
    if (decision.action === 'give_up') expect(decision.reason).toContain('permanent');
  });

  it.each([
    [1, 50],
    [2, 100],
    [3, 200],
    [6, 1600],
    [7, 2500],
  ])('transient: full jitter, attempt %i with random 0.5 waits %i ms', (attempt, delayMs) => {
    expect(decideRetry(input({ error: apiError('M', 2, 'x'), attempt }))).toEqual({
      action: 'retry',
      delayMs,
      refreshAuth: false,
    });
  });

  it('caps the transient delay at maxDelayMs', () => {
    const wide = { ...policy, maxAttempts: 50 };
    const d = decideRetry(input({ error: apiError('M', 2, 'x'), attempt: 20, random: () => 0.999999, policy: wide }));
    expect(d).toEqual({ action: 'retry', delayMs: 5000, refreshAuth: false });
  });

  it('keeps every jittered delay within [0, min(cap, base * 2^(n-1))]', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        fc.constantFrom<[number, number, number]>([2, 100, 5000], [340, 1000, 20_000]),
        (attempt, r, [code, base, cap]) => {
          const d = decideRetry(
            input({
              error: apiError('M', code, 'x'),
              attempt,
              random: () => r,
              policy: { ...policy, maxAttempts: 99 },
            }),
          );
          expect(d.action).toBe('retry');
          if (d.action === 'retry') {
            expect(d.delayMs).toBeGreaterThanOrEqual(0);
            expect(d.delayMs).toBeLessThanOrEqual(Math.min(cap, base * 2 ** (attempt - 1)));
          }
        },
      ),
    );
  });

  it('backs off harder when throttled (340)', () => {
    const throttled = decideRetry(input({ error: apiError('M', 340, 'Rate limit exceeded'), attempt: 2 }));
    const transient = decideRetry(input({ error: apiError('M', 2, 'x'), attempt: 2 }));
    expect(throttled).toEqual({ action: 'retry', delayMs: 1000, refreshAuth: false });
    expect(transient).toEqual({ action: 'retry', delayMs: 100, refreshAuth: false });
    const capped = decideRetry(
      input({
        error: apiError('M', 340, 'x'),
        attempt: 30,
        random: () => 0.999999,
        policy: { ...policy, maxAttempts: 99 },
      }),
    );
    expect(capped).toMatchObject({ action: 'retry', delayMs: 20_000 });
  });

  it('waits the seconds a 416 names, plus a small jitter', () => {
    const error = apiError('M', 416, 'Repeat the request after 2 seconds');
    expect(decideRetry(input({ error, random: () => 0 }))).toEqual({
      action: 'retry',
      delayMs: 2000,
      refreshAuth: false,
    });
    expect(decideRetry(input({ error, random: () => 0.5 }))).toEqual({
      action: 'retry',
      delayMs: 2125,
      refreshAuth: false,
    });
  });

  it('treats a 416 without a number like a rate limit', () => {
    const d = decideRetry(input({ error: apiError('M', 416, 'Retry later'), attempt: 1, random: () => 0.5 }));
    expect(d).toEqual({ action: 'retry', delayMs: 500 + 125, refreshAuth: false });
  });

  it.each([100, 433, 455, 456])('auth code %i: refresh once at once, then give up', (code) => {
    const error = apiError('M', code, 'x');
    expect(decideRetry(input({ error }))).toEqual({ action: 'retry', delayMs: 0, refreshAuth: true });
    const again = decideRetry(input({ error, attempt: 2, authRefreshed: true }));
    expect(again).toMatchObject({ action: 'give_up' });
  });

  it('retries lost answers (timeouts, resets) on the normal schedule', () => {
    for (const code of ['timeout', 'connection_reset']) {
      expect(decideRetry(input({ error: transport(code, 'ambiguous') }))).toEqual({
        action: 'retry',
        delayMs: 50,
        refreshAuth: false,
      });
    }
    expect(decideRetry(input({ error: transport('connection_refused', 'transient') }))).toMatchObject({
      action: 'retry',
      delayMs: 50,
    });
  });

  it('slows resends the server rejected as too fast (484, 515)', () => {
    for (const code of [484, 515]) {
      expect(decideRetry(input({ error: apiError('M', code, 'x') }))).toEqual({
        action: 'retry',
        delayMs: 500,
        refreshAuth: false,
      });
    }
  });

  it('never resends a non-idempotent request after an unknown outcome', () => {
    const d = decideRetry(input({ error: transport('timeout', 'ambiguous'), idempotent: false }));
    expect(d).toMatchObject({ action: 'give_up' });
    // ...but a request that was never sent is still safe to send.
    const refused = decideRetry(input({ error: transport('connection_refused', 'transient'), idempotent: false }));
    expect(refused).toMatchObject({ action: 'retry' });
  });

  it('stops at maxAttempts', () => {
    const d = decideRetry(input({ error: apiError('M', 2, 'x'), attempt: policy.maxAttempts }));
    expect(d).toMatchObject({ action: 'give_up' });
    if (d.action === 'give_up') expect(d.reason).toContain(`${policy.maxAttempts} attempts`);
    expect(decideRetry(input({ error: apiError('M', 2, 'x'), attempt: policy.maxAttempts - 1 })).action).toBe('retry');
  });

  it('gives up when the next delay plus a whole attempt cannot fit before the deadline', () => {
    const error = apiError('M', 2, 'x'); // attempt 1, random 0.5: 50 ms delay
    const fits = policy.attemptTimeoutMs + 50;
    expect(decideRetry(input({ error, remainingMs: fits })).action).toBe('retry');
    const d = decideRetry(input({ error, remainingMs: fits - 1 }));
    expect(d).toMatchObject({ action: 'give_up' });
    if (d.action === 'give_up') expect(d.reason).toContain('deadline');
  });

  it('gives up on a 416 whose wait outlasts the deadline', () => {
    const error = apiError('M', 416, 'Repeat the request after 30 seconds');
    expect(decideRetry(input({ error, remainingMs: 35_000 })).action).toBe('give_up');
    expect(decideRetry(input({ error, remainingMs: 45_000 })).action).toBe('retry');
  });

  it('refreshes auth only when the deadline leaves room for the attempt', () => {
    const d = decideRetry(input({ error: apiError('M', 456, 'x'), remainingMs: policy.attemptTimeoutMs - 1 }));
    expect(d.action).toBe('give_up');
  });
});
