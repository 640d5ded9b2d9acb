import type { Logger } from '../observability/logger';
import type { Deadline } from '../runtime/deadline';
import { sleep as realSleep, type Sleep } from '../runtime/sleep';
import type { CallLimiter } from './client';
import { VoximplantError } from './errors';

export interface AdaptiveLimiterOptions {
  /**
   * Calls per second to pace at from the start. Default: none, i.e. no pacing at all until the first throttle.
   * Voximplant documents no rate limit for the Management API (only the error codes 340 and 416, apiclient-php
   * `src/Enum/Errors.php`), so any starting number would be a guess
   * that either wastes capacity or causes the very 340s it is meant to avoid.
   */
  initialRatePerSecond?: number;
  /** The rate never drops below this; a rate limit is a brake, not a stop. Default 1. */
  minRatePerSecond?: number;
  /** Reaching this rate turns pacing off again (the limit is evidently far away). Default 1000. */
  maxRatePerSecond?: number;
  /**
   * Additive increase: while pacing holds callers back, the rate grows by this many calls/s every second. Default 2.
   */
  increasePerSecond?: number;
  /**
   * Multiplicative decrease on a throttle: the rate is multiplied by this. Default 0.8: containers that share a limit
   * tend to cut at the same moment, so a deep cut wastes capacity (0.7 kept four containers at 86% of the
   * simulator's limit, 0.8 at 93-98%, at the cost of a few more 340s; docs/PERFORMANCE.md).
   */
  decreaseFactor?: number;
  /**
   * Throttles within this long after a decrease are the same congestion seen by calls already in flight: they do
   * not cut the rate again (TCP cuts once per round trip for the same reason). Default 500 ms.
   */
  decreaseCooldownMs?: number;
  /** Calls that may start back to back before pacing spaces them (GCRA burst). Default 2. */
  burst?: number;
  now?: () => number;
  sleep?: Sleep;
  logger?: Logger;
}

export interface AdaptiveLimiterStats {
  /** Calls per second being paced at; undefined while pacing is off. */
  ratePerSecond: number | undefined;
  throttles: number;
  decreases: number;
  /** Acquires that had to wait, and the total wait. */
  waits: number;
  waitedMs: number;
}

/** Success times kept to measure the rate that got through when the first throttle arrives. */
const RATE_WINDOW_MS = 1_000;
/** Callers held back this recently mean pacing, not demand, is what limits the rate: only then does it grow. */
const BINDING_WINDOW_MS = 1_000;

/**
 * Additive-increase/multiplicative-decrease pacing of Management API calls (the `CallLimiter` of
 * src/voximplant/client.ts), one per container, shared by every concurrent call of it.
 *
 * Why AIMD and not a fixed token bucket: Voximplant documents no limit, so a bucket would need a
 * number nobody knows, and several Lambda containers share the account's limit without talking to each other.
 * AIMD needs neither: each container probes upwards slowly and backs off sharply on 340/416, and independent
 * AIMD senders converge to a fair share of the common limit (Chiu & Jain, 1989), the reason TCP uses it.
 *
 * - Until the first throttle nothing is paced: a healthy API costs nothing. The first 340 sets the rate to
 *   `decreaseFactor` times the rate that got through in the last second.
 * - Pacing is GCRA (a virtual schedule of start times, `burst` allowed back to back): callers wait their turn in
 *   arrival order, without polling.
 * - Each success grows the rate by `increasePerSecond / rate`, i.e. by `increasePerSecond` per second at full
 *   flow, but only while pacing is holding callers back (otherwise a quiet period would inflate it unchecked).
 * - An acquire that would wait past the caller's deadline fails at once with a transient `deadline` error, so
 *   the change is handed back to the queue instead of being started too late.
 */
export class AdaptiveLimiter implements CallLimiter {
  readonly #min: number;
  readonly #max: number;
  readonly #increase: number;
  readonly #decrease: number;
  readonly #cooldownMs: number;
  readonly #burst: number;
  readonly #now: () => number;
  readonly #sleep: Sleep;
  readonly #logger: Logger | undefined;

  #rate: number | undefined;
  /** GCRA's theoretical arrival time: when the next call would start if calls came exactly at the rate. */
  #nextStartMs = 0;
  #lastDecreaseMs = Number.NEGATIVE_INFINITY;
  #lastHeldBackMs = Number.NEGATIVE_INFINITY;
  #successTimes: number[] = [];
  #throttles = 0;
  #decreases = 0;
  #waits = 0;
  #waitedMs = 0;

  constructor(opts: AdaptiveLimiterOptions = {}) {
    this.#min = opts.minRatePerSecond ?? 1;
    this.#max = opts.maxRatePerSecond ?? 1_000;
    this.#increase = opts.increasePerSecond ?? 2;
    this.#decrease = opts.decreaseFactor ?? 0.8;
    this.#cooldownMs = opts.decreaseCooldownMs ?? 500;
    this.#burst = Math.max(1, opts.burst ?? 2);
    this.#now = opts.now ?? Date.now;
    this.#sleep = opts.sleep ?? realSleep;
    this.#logger = opts.logger;
    if (!(this.#min > 0 && this.#max >= this.#min))
      throw new RangeError('need 0 < minRatePerSecond <= maxRatePerSecond');
    if (!(this.#decrease > 0 && this.#decrease < 1)) throw new RangeError('decreaseFactor must be between 0 and 1');
    if (!(this.#increase >= 0)) throw new RangeError('increasePerSecond must not be negative');
    this.#rate = opts.initialRatePerSecond === undefined ? undefined : this.#clamp(opts.initialRatePerSecond);
  }

  get stats(): AdaptiveLimiterStats {
    return {
      ratePerSecond: this.#rate,
      throttles: this.#throttles,
      decreases: this.#decreases,
      waits: this.#waits,
      waitedMs: Math.round(this.#waitedMs),
    };
  }

  async acquire(deadline: Deadline): Promise<void> {
    const rate = this.#rate;
    if (rate === undefined) return;
    const now = this.#now();
    const intervalMs = 1000 / rate;
    const scheduled = Math.max(this.#nextStartMs, now);
    const waitMs = scheduled - now - intervalMs * (this.#burst - 1);
    if (waitMs > 0 && waitMs >= deadline.remainingMs()) {
      // Not reserved: a caller that gives up must not push everybody else's turn back.
      throw new VoximplantError({
        code: 'deadline',
        kind: 'transient',
        method: 'rate limiter',
        message: `not sent: at ${rate.toFixed(1)} calls/s the next turn is in ${Math.round(waitMs)} ms, past the deadline`,
        attempts: 0,
      });
    }
    this.#nextStartMs = scheduled + intervalMs;
    if (waitMs <= 0) return;
    this.#lastHeldBackMs = now;
    this.#waits += 1;
    this.#waitedMs += waitMs;
    await this.#sleep(waitMs);
  }

  onSuccess(): void {
    const now = this.#now();
    if (this.#rate === undefined) {
      this.#remember(now);
      return;
    }
    if (now - this.#lastHeldBackMs > BINDING_WINDOW_MS) return;
    const grown = this.#rate + this.#increase / this.#rate;
    if (grown >= this.#max) {
      this.#rate = undefined;
      this.#successTimes = [];
      this.#logger?.info('Voximplant pacing off: the rate reached its ceiling without throttling', {
        ratePerSecond: this.#max,
      });
      return;
    }
    this.#rate = grown;
  }

  onThrottled(): void {
    const now = this.#now();
    this.#throttles += 1;
    if (now - this.#lastDecreaseMs < this.#cooldownMs) return;
    this.#lastDecreaseMs = now;
    this.#decreases += 1;
    const before = this.#rate ?? this.#recentRate(now);
    this.#rate = this.#clamp(before * this.#decrease);
    this.#successTimes = [];
    this.#logger?.info('Voximplant is throttling: pacing calls', {
      ratePerSecond: Number(this.#rate.toFixed(2)),
      previousRatePerSecond: Number(before.toFixed(2)),
    });
  }

  /** Successful calls per second over the last window, while unpaced. */
  #recentRate(now: number): number {
    const since = now - RATE_WINDOW_MS;
    return this.#successTimes.filter((t) => t > since).length / (RATE_WINDOW_MS / 1000);
  }

  #remember(now: number): void {
    const times = this.#successTimes;
    times.push(now);
    // Bounded: nothing older than the window is needed, and no more entries than the ceiling rate can produce.
    const since = now - RATE_WINDOW_MS;
    let drop = 0;
    while (drop < times.length && (times[drop]! <= since || times.length - drop > this.#max)) drop += 1;
    if (drop > 0) times.splice(0, drop);
  }

  #clamp(rate: number): number {
    return Math.min(this.#max, Math.max(this.#min, rate));
  }
}
