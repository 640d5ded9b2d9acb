import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../../tooling/sim/rate-limiter';

describe('RateLimiter (token bucket)', () => {
  it('is unlimited without a rate', () => {
    const r = new RateLimiter(undefined, () => 0);
    for (let i = 0; i < 1000; i++) expect(r.tryTake()).toBe(true);
  });

  it('passes a burst of perSecond, then refills at perSecond per second, never above the burst', () => {
    let now = 0;
    const r = new RateLimiter(5, () => now);
    for (let i = 0; i < 5; i++) expect(r.tryTake()).toBe(true);
    expect(r.tryTake()).toBe(false);
    now += 200; // one token
    expect(r.tryTake()).toBe(true);
    expect(r.tryTake()).toBe(false);
    now += 60_000; // a long pause refills to the burst only
    let passed = 0;
    while (r.tryTake()) passed += 1;
    expect(passed).toBe(5);
  });

  it('lets a rate below 1/s through once per period', () => {
    let now = 0;
    const r = new RateLimiter(0.5, () => now);
    expect(r.tryTake()).toBe(true);
    expect(r.tryTake()).toBe(false);
    now += 1_999;
    expect(r.tryTake()).toBe(false);
    now += 1;
    expect(r.tryTake()).toBe(true);
  });

  it('refill() restores the burst; set() validates', () => {
    const r = new RateLimiter(2, () => 0);
    r.tryTake();
    r.tryTake();
    expect(r.tryTake()).toBe(false);
    r.refill();
    expect(r.tryTake()).toBe(true);
    expect(() => r.set(-1)).toThrow();
    expect(() => r.set(Number.NaN)).toThrow();
  });
});
