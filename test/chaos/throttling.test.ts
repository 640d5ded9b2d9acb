import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApplyDeps } from '../../src/apply/create-apply-deps';
import type { RecordedOutcome } from '../../src/apply/outcome';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/observability/logger';
import type { DeadLetter } from '../../src/queue/dead-letter';
import { deadlineIn } from '../../src/runtime/deadline';
import { DynamoIdempotencyStore } from '../../src/state/idempotency-store';
import { AdaptiveLimiter } from '../../src/voximplant/adaptive-limiter';
import { processBatch } from '../../src/worker/process-batch';
import { createSimulator, type Simulator } from '../../tooling/sim/simulator';
import { useLocalAwsEnvironment } from '../support/aws-env';
import { useStateTable } from '../support/dynamo';
import { seededRandom, seedFromEnv } from '../support/prng';
import { useSecretsManager } from '../support/secrets-manager';
import { accountForEvents, stateMismatches } from './support/checks';
import { type ChaosPlan, planChaos, seedAdmins } from './support/event-plan';
import { FifoQueueModel } from './support/fifo-queue-model';
import { drainQueue } from './support/pollers';

/**
 * Throttling: the simulator answers 340 above `LIMIT` calls per second (a token bucket holding one
 * second's worth), and three worker containers, each with the product's adaptive limiter and the default retry
 * policy, share that limit without talking to each other. Sustained throughput must stay at 80% of the limit or
 * more, with no failed event: every event applied, nothing redelivered, nothing dead-lettered.
 *
 * "Sustained" is measured while there is more work than the limit allows: from the end of the simulator's initial burst
 * (a full bucket lets `LIMIT` calls through at once, which no real account would grant for long) to the 90th percentile
 * of successful calls. The last tenth is the drain: only a few admins' changes are left, they must go one after another
 * (FIFO per admin), and demand falls below the limit whatever the limiter does. It is printed, not judged.
 */
const SEED = seedFromEnv('CHAOS_SEED', 20_261_127);
const LIMIT = 25;
const EVENTS = 300;
const CONTAINERS = 3;
const CREDENTIALS_SECRET = 'throttling/voximplant-credentials';

const table = useStateTable();
const secrets = useSecretsManager();
let restoreEnv: () => void = () => undefined;
let sim: Simulator;
let apiUrl: string;
let plan: ChaosPlan;

beforeAll(async () => {
  plan = planChaos(seededRandom(SEED + 2), {
    events: EVENTS,
    admins: 40,
    byNameAdmins: 0,
    protectedAdmin: { id: 1, name: 'owner' },
    duplicateShare: 0,
    outOfOrderShare: 0,
    invalidShare: 0,
    unknownShare: 0,
    protectedShare: 0,
    baseTimeMs: Date.now() - 86_400_000,
    idPrefix: `throttle-${SEED}`,
  });
  sim = await createSimulator({ seed: seedAdmins(plan), rateLimitPerSecond: LIMIT });
  ({ apiUrl } = await sim.listen(0));
  secrets.server.putSecret(CREDENTIALS_SECRET, sim.credentials());
  restoreEnv = useLocalAwsEnvironment({ dynamodb: table.endpoint, secretsManager: secrets.endpoint });
});

afterAll(async () => {
  await sim?.close();
  restoreEnv();
});

describe('throttling: the worker adapts to a rate limit', () => {
  it(`keeps sustained throughput at 80% of a ${LIMIT}/s limit or more, with no failed events`, async () => {
    const config = loadConfig({
      VOXIMPLANT_API_URL: apiUrl,
      VOXIMPLANT_CREDENTIALS_SECRET_ID: CREDENTIALS_SECRET,
      STATE_TABLE: table.tableName,
      PROTECTED_ADMIN_USERS: 'owner',
      // Bursts far past the blast-radius guard's thresholds are this run's point; the guard has its own tests.
      GUARD_ENABLED: 'false',
    });
    const logger = createLogger('throttling', 'silent');
    const deadLetters: DeadLetter[] = [];
    const limiters: AdaptiveLimiter[] = [];
    const queue = new FifoQueueModel({ visibilityTimeoutMs: 70_000 });
    for (const d of plan.deliveries) queue.send(d.body, d.groupId);
    const containers = Array.from({ length: CONTAINERS }, () => {
      // As createApplyDeps wires it by default; passed in here only to read its figures afterwards.
      const limiter = new AdaptiveLimiter({ logger });
      limiters.push(limiter);
      const deps = {
        apply: createApplyDeps(config, logger, { limiter }),
        deadLetter: async (letter: DeadLetter) => {
          deadLetters.push(letter);
        },
        concurrency: config.WORKER_CONCURRENCY,
      };
      return (records: Parameters<typeof processBatch>[0]) => processBatch(records, deps, deadlineIn(60_000));
    });

    const polled = await drainQueue(queue, containers, { batchSize: 10, timeoutMs: 100_000 });

    const calls = sim.calls();
    const ok = calls.filter((c) => c.error_code === undefined);
    const throttled = calls.filter((c) => c.error_code === 340).length;
    const first = Date.parse(calls[0]?.at ?? '');
    const last = Date.parse(ok[ok.length - 1]?.at ?? '');
    const seconds = (last - first) / 1000;
    const from = LIMIT;
    const to = Math.floor(ok.length * 0.9);
    const windowSeconds = (Date.parse(ok[to]?.at ?? '') - Date.parse(ok[from]?.at ?? '')) / 1000;
    const sustained = (to - from) / windowSeconds;
    const accounting = await accountForEvents(
      plan,
      new DynamoIdempotencyStore<RecordedOutcome>(table.doc, table.tableName),
      deadLetters.map((l) => ({ body: l.body, errorCode: l.errorCode })),
      queue.redriven,
    );
    const mismatches = stateMismatches(plan, sim.admins(), new Set());

    console.log(
      [
        `throttling: limit ${LIMIT}/s, ${EVENTS} events, ${CONTAINERS} containers x ${config.WORKER_CONCURRENCY} concurrent changes, adaptive limiter (AIMD)`,
        `  ${ok.length} successful calls in ${seconds.toFixed(2)} s: ${(ok.length / seconds).toFixed(1)}/s overall (drain included)`,
        `  sustained (successful calls ${from}-${to} of ${ok.length}, ${windowSeconds.toFixed(2)} s): ${sustained.toFixed(1)}/s = ${((100 * sustained) / LIMIT).toFixed(0)}% of the limit`,
        `  ${throttled} calls answered 340 (${((100 * throttled) / calls.length).toFixed(1)}% of ${calls.length})`,
        `  limiters: ${limiters.map((l) => JSON.stringify({ ...l.stats, ratePerSecond: Number(l.stats.ratePerSecond?.toFixed(1)) })).join(' ')}`,
        `  batch item failures ${polled.batchItemFailures}, dead letters ${deadLetters.length}, outcomes ${JSON.stringify(accounting.outcomes)}`,
      ].join('\n'),
    );

    expect(polled.batchItemFailures).toBe(0);
    expect(deadLetters).toEqual([]);
    expect(queue.redriven).toEqual([]);
    expect(accounting.problems).toEqual([]);
    expect(accounting.outcomes).toEqual({ applied: EVENTS });
    expect(mismatches).toEqual([]);
    expect(sustained).toBeGreaterThanOrEqual(0.8 * LIMIT);
  }, 120_000);
});
