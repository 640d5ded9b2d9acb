import { describe, expect, it } from 'vitest';
import { retryDelaySeconds } from '../../../src/queue/retry-delay';

describe('retryDelaySeconds (how long SQS hides a handed-back record)', () => {
  it.each([
    [1, 3, 5],
    [2, 5, 10],
    [3, 10, 20],
    [6, 80, 160],
    [7, 150, 300],
    [30, 150, 300],
  ])('receive %i: between %i and %i seconds', (receives, low, high) => {
    expect(retryDelaySeconds(receives, undefined, () => 0)).toBe(low);
    expect(retryDelaySeconds(receives, undefined, () => 0.999_999)).toBe(high);
  });

  it("waits at least as long as Voximplant's 416 asked, within the cap", () => {
    expect(retryDelaySeconds(1, 42_000, () => 0)).toBe(42);
    expect(retryDelaySeconds(1, 1_500, () => 0)).toBe(3);
    expect(retryDelaySeconds(1, 3_600_000, () => 0)).toBe(300);
  });

  it('treats a missing or odd receive count as the first receive', () => {
    expect(retryDelaySeconds(0, undefined, () => 0)).toBe(3);
  });
});
