import type { VoximplantError } from './errors';

export interface RetryPolicy {
  /** Full-jitter backoff for faults and lost answers: delay = random() * min(maxDelayMs, baseDelayMs * 2^(n-1)). */
  baseDelayMs: number;
  maxDelayMs: number;
  /** The same for 340 rate limits and the server's resend rejections (484/515): slower, because speed caused them. */
  throttledBaseDelayMs: number;
  throttledMaxDelayMs: number;
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** The attempt timeout, and so what one more attempt may cost: it is counted against the time left. */
  attemptTimeoutMs: number;
  /** The first attempt is not even started with less time left than this. */
  minAttemptMs: number;
  /** Added on top of a 416's named wait (times random()), so clients told the same wait do not return together. */
  retryAfterJitterMs: number;
}

/**
 * Voximplant documents no rate limits and no Retry-After for the Management API; these follow common practice (AWS
 * full jitter). Eight attempts of 100 ms doubling to a 5 s cap wait at most ~10.5 s in all, inside a worker's
 * time; the attempt timeout of 10 s is what a healthy API never comes near (the official clients have none or 30 s).
 */
export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({
  baseDelayMs: 100,
  maxDelayMs: 5_000,
  throttledBaseDelayMs: 1_000,
  throttledMaxDelayMs: 20_000,
  maxAttempts: 8,
  attemptTimeoutMs: 10_000,
  minAttemptMs: 1_000,
  retryAfterJitterMs: 250,
});

/** What the next attempt may take: the policy's attempt timeout, less when the deadline is nearer (at least 1 ms). */
export function timeoutForAttempt(policy: RetryPolicy, remainingMs: number): number {
  return Math.max(1, Math.min(policy.attemptTimeoutMs, remainingMs));
}

export interface RetryDecisionInput {
  error: VoximplantError;
  /** Attempts made so far, 1-based: 1 after the first attempt failed. */
  attempt: number;
  /** Time left before the caller's deadline. */
  remainingMs: number;
  /** Credentials and token were already refreshed once for this call. */
  authRefreshed: boolean;
  random: () => number;
  policy: RetryPolicy;
  /** False for requests that must not be sent twice (CreateKey mints a new key each time). Default true. */
  idempotent?: boolean;
}

export type RetryDecision =
  | { action: 'retry'; delayMs: number; refreshAuth: boolean }
  | { action: 'give_up'; reason: string };

function fullJitter(random: () => number, base: number, cap: number, attempt: number): number {
  return Math.round(random() * Math.min(cap, base * 2 ** (attempt - 1)));
}

/**
 * The whole retry decision, in one place (like stripe-node's RequestSender): whether to try again, after how
 * long, and whether to refresh the credentials first. Pure: time, randomness and history come in as input.
 * An ambiguous outcome reaches this function only after the caller's `verify` said the change did not happen.
 */
export function decideRetry(input: RetryDecisionInput): RetryDecision {
  const { error, attempt, remainingMs, authRefreshed, random, policy } = input;
  const giveUp = (reason: string): RetryDecision => ({ action: 'give_up', reason });

  // The request itself is wrong or not allowed (validation, unknown admin, missing role, a signing bug): the
  // same request fails the same way, and hammering it only burns the rate limit.
  if (error.kind === 'permanent') return giveUp(`${error.code} is permanent`);
  // One refresh of credentials and token fixes a rotated key or a skewed iat; a second auth failure with fresh
  // ones means the key, account or roles are really wrong.
  if (error.kind === 'auth' && authRefreshed) return giveUp(`${error.code} again after refreshing credentials`);
  // A request that must not run twice: after an unknown outcome, resending could do it twice.
  if (error.kind === 'ambiguous' && input.idempotent === false) {
    return giveUp(`${error.code}: the outcome is unknown and ${error.method} is not safe to send twice`);
  }
  if (attempt >= policy.maxAttempts) return giveUp(`${attempt} attempts made, the policy allows ${policy.maxAttempts}`);

  let delayMs: number;
  if (error.kind === 'auth') {
    // Nothing to wait for: a fresh token is what the server asked for.
    delayMs = 0;
  } else if (error.kind === 'retry_after') {
    // 416 names the wait; without a number in the msg, treat it as a rate limit.
    const named =
      error.retryAfterMs ?? fullJitter(random, policy.throttledBaseDelayMs, policy.throttledMaxDelayMs, attempt);
    delayMs = named + Math.round(random() * policy.retryAfterJitterMs);
  } else if (error.kind === 'throttled' || (error.kind === 'ambiguous' && error.voximplantCode !== undefined)) {
    // 340 rate limit: we were too fast. 484/515: the server took our resend for an automatic fast resend;
    // resending fast again would be rejected the same way.
    delayMs = fullJitter(random, policy.throttledBaseDelayMs, policy.throttledMaxDelayMs, attempt);
  } else {
    // transient faults, timeouts and dropped connections (e.g. a stale keep-alive socket after a Lambda freeze).
    delayMs = fullJitter(random, policy.baseDelayMs, policy.maxDelayMs, attempt);
  }

  // Never start an attempt that cannot finish: the wait plus a whole attempt must fit in the time left, or the
  // caller would be killed mid-request with the outcome unknown. Giving up early leaves time to record a
  // transient failure, and the queue redelivers later.
  if (delayMs + policy.attemptTimeoutMs > remainingMs) {
    return giveUp(`deadline: ${remainingMs} ms left, a retry needs ${delayMs} ms wait + ${policy.attemptTimeoutMs} ms`);
  }
  return { action: 'retry', delayMs, refreshAuth: error.kind === 'auth' };
}
