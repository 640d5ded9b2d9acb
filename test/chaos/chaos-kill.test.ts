import { existsSync } from 'node:fs';
import { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordedOutcome } from '../../src/apply/outcome';
import { DynamoIdempotencyStore } from '../../src/state/idempotency-store';
import { type LocalQueues, startLocalQueues } from '../../tooling/local/local-queues';
import { localAwsClientConfig } from '../../tooling/local/state-table';
import { createSimulator, type Simulator } from '../../tooling/sim/simulator';
import { useStateTable } from '../support/dynamo';
import { seededRandom, seedFromEnv } from '../support/prng';
import { useSecretsManager } from '../support/secrets-manager';
import { accountForEvents, orderViolations, reactivations, stateMismatches, wasApplied } from './support/checks';
import { drainDeadLetters } from './support/dead-letter-queue';
import { type DynamoKillProxy, startDynamoKillProxy } from './support/dynamo-kill-proxy';
import { type ChaosPlan, planChaos, seedAdmins } from './support/event-plan';
import { FifoQueueModel } from './support/fifo-queue-model';
import { drainQueue, type Invoke } from './support/pollers';
import { WorkerContainers } from './support/worker-process';

/**
 * Chaos with real kills: the built worker bundle in a child process, SIGKILLed between a successful
 * Voximplant call and the outcome record, in two ways, both from the outside:
 * - at the outcome record itself: a proxy in front of DynamoDB Local holds the idempotency record's `completed` update
 *   and the test kills the process (the call had succeeded and its answer had been read);
 * - during the answer: the simulator applies SetAdminUserInfo and then delays its answer; the test kills the
 *   process as soon as the simulator's call log shows the applied call (the worker never saw the answer).
 * The killed batch comes back after the visibility timeout (the in-test SQS FIFO model), the in-progress record's
 * lease runs out, and a fresh container finishes the work. Duplicates and reordering are mixed in, as in chaos.test.ts.
 */
const SEED = seedFromEnv('CHAOS_SEED', 20_261_127);
const CREDENTIALS_SECRET = 'chaos-kill/voximplant-credentials';
/** The Lambda context's remaining time: the worker keeps 3 s back, so records start within the first 1.5 s. */
const REMAINING_MS = 6_500;
const VISIBILITY_TIMEOUT_MS = 5_000;
/** Kill at these outcome records (the n-th `completed` update the proxy sees)... */
const KILL_AT_RECORDS = [4, 15, 30];
/** ...and during the answer of the first SetAdminUserInfo of these invocations. */
const KILL_DURING_ANSWER_OF_INVOCATIONS = [2, 6, 9];

const table = useStateTable();
const secrets = useSecretsManager();
let sim: Simulator;
let apiUrl: string;
let queues: LocalQueues;
let sqs: SQSClient;
let proxy: DynamoKillProxy;
let containers: WorkerContainers;
let plan: ChaosPlan;
const kills: string[] = [];

beforeAll(async () => {
  if (!existsSync('dist/worker/index.mjs')) throw new Error('dist/worker/index.mjs is missing: run npm run build');
  plan = planChaos(seededRandom(SEED + 1), {
    events: 90,
    admins: 6,
    byNameAdmins: 2,
    protectedAdmin: { id: 1, name: 'owner' },
    invalidShare: 0.03,
    baseTimeMs: Date.now() - 86_400_000,
    idPrefix: `kill-${SEED}`,
  });
  sim = await createSimulator({ seed: seedAdmins(plan) });
  ({ apiUrl } = await sim.listen(0));
  secrets.server.putSecret(CREDENTIALS_SECRET, sim.credentials());
  queues = await startLocalQueues();
  sqs = new SQSClient({ ...localAwsClientConfig, endpoint: queues.endpoint });
  proxy = await startDynamoKillProxy(table.endpoint, (_request, completion) => {
    if (completion === undefined || !KILL_AT_RECORDS.includes(completion)) return false;
    if (containers.kill()) kills.push(`at outcome record #${completion}`);
    return true;
  });
  containers = new WorkerContainers(
    {
      VOXIMPLANT_API_URL: apiUrl,
      VOXIMPLANT_CREDENTIALS_SECRET_ID: CREDENTIALS_SECRET,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.endpoint,
      AWS_ENDPOINT_URL_DYNAMODB: proxy.endpoint,
      AWS_ENDPOINT_URL_SQS: queues.endpoint,
      STATE_TABLE: table.tableName,
      DEAD_LETTER_QUEUE_URL: queues.deadLetterQueueUrl,
      PROTECTED_ADMIN_USERS: 'owner',
      // Bursts far past the blast-radius guard's thresholds are this run's point; the guard has its own tests.
      GUARD_ENABLED: 'false',
      LOG_LEVEL: 'error',
    },
    REMAINING_MS,
  );
});

afterAll(async () => {
  await containers?.close();
  await proxy?.close();
  sqs?.destroy();
  await queues?.close();
  await sim?.close();
});

describe('chaos: the worker process killed between the Voximplant call and the outcome record', () => {
  it('re-applies the change after the kill and ends exactly as the oracle says', async () => {
    const started = performance.now();
    const queue = new FifoQueueModel({ visibilityTimeoutMs: VISIBILITY_TIMEOUT_MS });
    for (const d of plan.deliveries) queue.send(d.body, d.groupId);

    // Watches the simulator's log for the applied-but-unanswered call of an armed invocation, and kills then.
    let armed = false;
    let delayedSeen = 0;
    const watcher = setInterval(() => {
      const delayed = sim.calls().filter((c) => c.fault === 'delay' && wasApplied(c));
      if (delayed.length === delayedSeen) return;
      delayedSeen = delayed.length;
      if (armed && containers.kill()) kills.push('during the answer of an applied SetAdminUserInfo');
      armed = false;
    }, 5);

    let invocation = 0;
    const invoke: Invoke = async (records) => {
      invocation += 1;
      if (KILL_DURING_ANSWER_OF_INVOCATIONS.includes(invocation)) {
        sim.queueFault({ method: 'SetAdminUserInfo', delayMs: 4_000 });
        armed = true;
      }
      return containers.invoke(records);
    };
    let polled: Awaited<ReturnType<typeof drainQueue>>;
    try {
      polled = await drainQueue(queue, [invoke], { batchSize: 10, timeoutMs: 100_000 });
    } finally {
      clearInterval(watcher);
    }

    const calls = sim.calls();
    const store = new DynamoIdempotencyStore<RecordedOutcome>(table.doc, table.tableName);
    const letters = await drainDeadLetters(sqs, queues.deadLetterQueueUrl);
    const accounting = await accountForEvents(plan, store, letters, queue.redriven);
    const mismatches = stateMismatches(plan, sim.admins(), accounting.redrivenKeys);
    const order = orderViolations(plan, calls);
    const reactivated = reactivations(plan, calls);
    const appliedPerKey = new Map<string, number>();
    for (const c of calls.filter(wasApplied)) {
      const key = c.idempotency_key ?? '';
      appliedPerKey.set(key, (appliedPerKey.get(key) ?? 0) + 1);
    }
    const sentTwice = [...appliedPerKey.values()].filter((n) => n > 1).length;

    console.log(
      [
        `chaos-kill seed ${SEED} (replay: CHAOS_SEED=${SEED} npx vitest run test/chaos/chaos-kill.test.ts)`,
        `  events ${plan.figures.events} over ${plan.admins.length} admins, deliveries ${plan.figures.deliveries} (${plan.figures.duplicates} duplicates, ${plan.figures.outOfOrder} out of order, ${plan.figures.invalid} invalid)`,
        `  kills ${kills.length}: ${kills.join('; ')}`,
        `  containers started ${containers.counts.started} (cold starts), invocations ${polled.invocations}, lost to kills ${polled.crashed}, batch item failures ${polled.batchItemFailures}, redeliveries ${queue.counts.redelivered}, redriven ${queue.redriven.length}`,
        `  SetAdminUserInfo applied ${calls.filter(wasApplied).length} times; ${sentTwice} changes applied twice (the resend after a kill; absolute values, same time)`,
        `  outcomes ${JSON.stringify(accounting.outcomes)}; dead letters ${JSON.stringify(accounting.deadLetters)}`,
        `  checks: ${mismatches.length} state mismatches, ${order.length} order violations, ${reactivated.problems.length} re-activations among ${reactivated.checked} admins, ${accounting.problems.length} unaccounted events`,
        `  elapsed ${((performance.now() - started) / 1000).toFixed(1)} s`,
      ].join('\n'),
    );

    expect(kills, containers.output.join('').slice(-4000)).toHaveLength(
      KILL_AT_RECORDS.length + KILL_DURING_ANSWER_OF_INVOCATIONS.length,
    );
    expect(polled.crashed).toBe(kills.length);
    expect(sentTwice).toBeGreaterThan(0);
    expect(mismatches).toEqual([]);
    expect(order).toEqual([]);
    expect(reactivated.problems).toEqual([]);
    expect(accounting.problems).toEqual([]);
  }, 120_000);
});
