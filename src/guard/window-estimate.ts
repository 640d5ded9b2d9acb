import type { AdminChange } from '../events/admin-change';

/** What the guard counts: only changes that set `active`. Renames and display names are never held. */
export type GuardedKind = 'activation' | 'deactivation';

export function guardedKind(change: Pick<AdminChange, 'set'>): GuardedKind | undefined {
  if (change.set.active === undefined) return undefined;
  return change.set.active ? 'activation' : 'deactivation';
}

/**
 * The start (epoch ms) of the fixed bucket holding `nowMs`. Buckets are aligned to the epoch, so every container
 * computes the same bucket for the same instant without talking to the others.
 */
export function bucketStart(nowMs: number, windowMs: number): number {
  return Math.floor(nowMs / windowMs) * windowMs;
}

/**
 * How many changes the current bucket may still take, by the two-bucket estimate of a sliding window (the
 * approximation Cloudflare describes for its rate limiting, https://blog.cloudflare.com/counting-things-a-lot-of-different-things/):
 * the previous bucket's count is assumed to have been spread evenly over it, so the part of it still inside a
 * window ending now is `previous × (1 − elapsed fraction of the current bucket)`. Rounded up, so the estimate never
 * lets more through than the threshold: the sliding window's true count can be lower (the previous bucket's changes
 * came early), never higher by more than that rounding.
 */
export function allowedInBucket(threshold: number, previousCount: number, elapsedFraction: number): number {
  const f = Math.min(1, Math.max(0, elapsedFraction));
  return threshold - Math.ceil(previousCount * (1 - f));
}

/** The deactivation threshold of an account with `admins` admins: a percentage of them, at least `minimum`. */
export function deactivationThreshold(admins: number, percent: number, minimum: number): number {
  return Math.max(minimum, Math.floor((admins * percent) / 100));
}
