import { describe, expect, it } from 'vitest';
import { deadlineIn } from '../../src/runtime/deadline';
import { AdaptiveLimiter } from '../../src/voximplant/adaptive-limiter';
import { VoximplantError } from '../../src/voximplant/errors';

/** A clock that only moves when a waiter sleeps, so every expectation below is exact and nothing waits for real. */
function manualClock() {
  const clock = {
    ms: 1_000_000,
    now: () => clock.ms,
    slept: [] as number[],
    sleep: async (ms: number) => {
      clock.slept.push(ms);
      clock.ms += ms;
    },
  };
  return clock;
}

const farDeadline = (clock: { now: () => number }) => deadlineIn(60_000, clock.now);

describe('AdaptiveLimiter', () => {
  it('does not pace at all until the first throttle', async () => {
    const clock = manualClock();
    const limiter = new AdaptiveLimiter({ now: clock.now, sleep: clock.sleep });
    for (let i = 0; i < 100; i++) {
      await limiter.acquire(farDeadline(clock));
      limiter.onSuccess();
    }
    expect(clock.slept).toEqual([]);
    expect(limiter.stats).toMatchObject({ ratePerSecond: undefined, waits: 0 });
  });

  it('on the first throttle paces at decreaseFactor times the rate that got through in the last second', async () => {
    const clock = manualClock();
    const limiter = new AdaptiveLimiter({ now: clock.now, sleep: clock.sleep, decreaseFactor: 0.5 });
    // 40 successes spread over one second: 40 calls/s got through.
    for (let i = 0; i < 40; i++) {
      clock.ms += 25;
      limiter.onSuccess();
    }
    limiter.onThrottled();
    expect(limiter.stats.ratePerSecond).toBe(20);
  });

  it('spaces calls at the rate, in arrival order, after a burst of `burst`', async () => {
    const clock = manualClock();
    const limiter = new AdaptiveLimiter({ now: clock.now, sleep: clock.sleep, initialRatePerSecond: 10, burst: 2 });
    const starts: number[] = [];
    for (let i = 0; i < 5; i++) {
      await limiter.acquire(farDeadline(clock));
      starts.push(clock.ms - 1_000_000);
    }
    // Two back to back, then one every 100 ms.
    expect(starts).toEqual([0, 0, 100, 200, 300]);
  });

  it('cuts the rate once per cooldown, however many calls in flight report the same throttle', () => {
    const clock = manualClock();
    const limiter = new AdaptiveLimiter({
      now: clock.now,
      sleep: clock.sleep,
      initialRatePerSecond: 100,
      decreaseFactor: 0.5,
      decreaseCooldownMs: 500,
    });
    for (let i = 0; i < 8; i++) limiter.onThrottled();
    expect(limiter.stats).toMatchObject({ ratePerSecond: 50, throttles: 8, decreases: 1 });
    clock.ms += 501;
    limiter.onThrottled();
    expect(limiter.stats).toMatchObject({ ratePerSecond: 25, decreases: 2 });
  });

  it('never goes below the minimum rate', () => {
    const clock = manualClock();
    const limiter = new AdaptiveLimiter({ now: clock.now, initialRatePerSecond: 2, minRatePerSecond: 1 });
    for (let i = 0; i < 10; i++) {
      clock.ms += 1_000;
      limiter.onThrottled();
    }
    expect(limiter.stats.ratePerSecond).toBe(1);
  });

  it('grows additively, by increasePerSecond per second of paced traffic, only while pacing holds callers back', async () => {
    const clock = manualClock();
    const limiter = new AdaptiveLimiter({
      now: clock.now,
      sleep: clock.sleep,
      initialRatePerSecond: 10,
      increasePerSecond: 2,
      burst: 1,
    });
    // Demand above the rate: every acquire waits its turn, every call succeeds. Ten calls ≈ one second.
    await limiter.acquire(farDeadline(clock));
    for (let i = 0; i < 10; i++) {
      await limiter.acquire(farDeadline(clock));
      limiter.onSuccess();
    }
    const grown = limiter.stats.ratePerSecond ?? 0;
    expect(grown).toBeGreaterThan(11.5);
    expect(grown).toBeLessThan(12.5);

    // Demand below the rate (one call every 2 s): nobody waits, so the rate stays where it is.
    for (let i = 0; i < 5; i++) {
      clock.ms += 2_000;
      await limiter.acquire(farDeadline(clock));
      limiter.onSuccess();
    }
    expect(limiter.stats.ratePerSecond).toBe(grown);
  });

  it('turns pacing off again once the rate reaches its ceiling', async () => {
    const clock = manualClock();
    const limiter = new AdaptiveLimiter({
      now: clock.now,
      sleep: clock.sleep,
      initialRatePerSecond: 9.9,
      maxRatePerSecond: 10,
      increasePerSecond: 5,
      burst: 1,
    });
    await limiter.acquire(farDeadline(clock));
    await limiter.acquire(farDeadline(clock));
    limiter.onSuccess();
    expect(limiter.stats.ratePerSecond).toBeUndefined();
  });

  it('fails at once, with a transient deadline error and without taking a turn, when the turn is past the deadline', async () => {
    const clock = manualClock();
    const limiter = new AdaptiveLimiter({ now: clock.now, sleep: clock.sleep, initialRatePerSecond: 1, burst: 1 });
    await limiter.acquire(farDeadline(clock));
    const late = limiter.acquire(deadlineIn(500, clock.now));
    await expect(late).rejects.toBeInstanceOf(VoximplantError);
    await expect(late).rejects.toMatchObject({ code: 'deadline', kind: 'transient', attempts: 0 });
    // The refused caller did not push the schedule: the next caller still starts one interval after the first.
    const before = clock.ms;
    await limiter.acquire(farDeadline(clock));
    expect(clock.ms - before).toBe(1_000);
  });

  it('refuses nonsensical options', () => {
    expect(() => new AdaptiveLimiter({ decreaseFactor: 1 })).toThrow(RangeError);
    expect(() => new AdaptiveLimiter({ minRatePerSecond: 0 })).toThrow(RangeError);
    expect(() => new AdaptiveLimiter({ minRatePerSecond: 5, maxRatePerSecond: 2 })).toThrow(RangeError);
  });
});
