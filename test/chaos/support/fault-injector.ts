import type { FaultSpec, Simulator } from '../../../tooling/sim/simulator';
import type { Random } from '../../support/prng';

/**
 * The faults of the chaos issue, each as the simulator stages it (tooling/sim/faults.ts):
 * 340 and 416 are refusals, internal errors and HTTP 5xx fail without applying, a delay past the client's attempt
 * timeout and a connection dropped after the call both APPLY the change and lose the answer, a connection dropped
 * before does not apply, and 484/515 apply and then say "probable resend" (the ambiguous cases the worker must
 * re-read for).
 */
export const FAULT_KINDS = [
  'rate-limit-340',
  'retry-after-416',
  'internal-error',
  'http-5xx',
  'delay-past-timeout',
  'drop-before',
  'drop-after',
  'resend-484',
  'same-operation-515',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

function faultSpec(kind: FaultKind, random: Random, attemptTimeoutMs: number): Omit<FaultSpec, 'method'> {
  switch (kind) {
    case 'rate-limit-340':
      return { error: { code: 340, msg: 'Rate limit exceeded' } };
    case 'retry-after-416':
      // Voximplant's wording names seconds; a fraction keeps the test short (the client parses either).
      return { error: { code: 416, msg: 'Repeat the request after 0.2 seconds' } };
    case 'internal-error':
      return { error: { code: random.pick([1, 2, 13, 162]) } };
    case 'http-5xx':
      return { httpStatus: random.pick([500, 502, 503, 504]) };
    case 'delay-past-timeout':
      return { delayMs: attemptTimeoutMs + 150 };
    case 'drop-before':
      return { drop: 'before' };
    case 'drop-after':
      return { drop: 'after' };
    case 'resend-484':
      return { error: { code: 484 } };
    case 'same-operation-515':
      return { error: { code: 515 } };
  }
}

export interface FaultInjector {
  /** A fetch for the VoximplantClient: before a share of the requests it queues a fault for that method. */
  fetch: typeof fetch;
  counts: Record<FaultKind, number>;
  calls: number;
}

/**
 * Faults on `share` of all Management API calls, chosen by the seeded random. The fault is queued in the simulator
 * just before the request goes out, for the request's own method; under concurrency another request of the same
 * method may meet it first, which changes which call fails but not how many.
 */
export function faultInjector(
  sim: Simulator,
  random: Random,
  opts: { share: number; attemptTimeoutMs: number },
): FaultInjector {
  const counts = Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])) as Record<FaultKind, number>;
  const injector: FaultInjector = {
    counts,
    calls: 0,
    fetch: async (input, init) => {
      injector.calls += 1;
      if (random.chance(opts.share)) {
        const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
        const method = url.slice(url.lastIndexOf('/') + 1);
        const kind = random.pick(FAULT_KINDS);
        counts[kind] += 1;
        sim.queueFault({ method, ...faultSpec(kind, random, opts.attemptTimeoutMs) });
      }
      return globalThis.fetch(input, init);
    },
  };
  return injector;
}
