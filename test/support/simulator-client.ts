import type { Logger } from '../../src/observability/logger';
import { VoximplantClient } from '../../src/voximplant/client';
import { credentialsSchema } from '../../src/voximplant/credentials';
import type { RetryPolicy } from '../../src/voximplant/retry';
import type { Simulator } from '../../tooling/sim/simulator';

/** Retries in milliseconds, so a test that stages faults spends no real time waiting. */
export function fastRetryPolicy(maxAttempts: number): RetryPolicy {
  return {
    baseDelayMs: 1,
    maxDelayMs: 5,
    throttledBaseDelayMs: 1,
    throttledMaxDelayMs: 5,
    maxAttempts,
    attemptTimeoutMs: 2_000,
    minAttemptMs: 100,
    retryAfterJitterMs: 1,
  };
}

/** The real Voximplant client against a simulator, signing with the simulator's own key (validated as in production). */
export function simulatorClient(
  sim: Simulator,
  apiUrl: string,
  logger: Logger,
  policy?: RetryPolicy,
): VoximplantClient {
  const credentials = credentialsSchema.parse(sim.credentials());
  return new VoximplantClient({
    apiUrl,
    credentials: { get: async () => credentials, refresh: async () => credentials },
    logger,
    ...(policy !== undefined && { policy }),
  });
}
