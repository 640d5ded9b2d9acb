/**
 * A token bucket over all Management API calls: `perSecond` tokens refill per second and the bucket holds one second's
 * worth (at least one), so a burst of `perSecond` calls passes and the next one gets 340. Voximplant documents no
 * numbers, so the limit is whatever a test sets. Time comes from the simulator's clock.
 */
export class RateLimiter {
  private perSecond: number | undefined;
  private tokens = 0;
  private lastMs = 0;

  constructor(
    perSecond: number | undefined,
    private readonly now: () => number,
  ) {
    this.set(perSecond);
  }

  set(perSecond: number | undefined): void {
    if (perSecond !== undefined && !(Number.isFinite(perSecond) && perSecond > 0)) {
      throw new Error(`rate limit must be a positive number of calls per second, got ${perSecond}`);
    }
    this.perSecond = perSecond;
    this.refill();
  }

  /** A full bucket again (reset), keeping the configured rate. */
  refill(): void {
    this.tokens = this.capacity();
    this.lastMs = this.now();
  }

  // At least one token, so a rate below 1/s still lets a call through now and then.
  private capacity(): number {
    return Math.max(1, this.perSecond ?? 0);
  }

  /** true if the call may proceed; false means answer 340. */
  tryTake(): boolean {
    if (this.perSecond === undefined) return true;
    const now = this.now();
    const elapsedSec = Math.max(0, now - this.lastMs) / 1000;
    this.lastMs = now;
    this.tokens = Math.min(this.capacity(), this.tokens + elapsedSec * this.perSecond);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
