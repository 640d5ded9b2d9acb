import { randomUUID } from 'node:crypto';
import type { SQSRecord } from 'aws-lambda';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApplyDeps } from '../../src/apply/create-apply-deps';
import { loadConfig } from '../../src/config';
import { idempotencyKey } from '../../src/events/idempotency-key';
import { createLogger } from '../../src/observability/logger';
import type { DeadLetter } from '../../src/queue/dead-letter';
import { deadlineIn } from '../../src/runtime/deadline';
import { dynamoDocumentClient } from '../../src/state/dynamo';
import { processBatch, type WorkerDeps } from '../../src/worker/process-batch';
import { createSimulator, type Simulator } from '../../tooling/sim/simulator';
import { useLocalAwsEnvironment } from '../support/aws-env';
import { useStateTable } from '../support/dynamo';
import { useSecretsManager } from '../support/secrets-manager';
import { anyBody, breakingMutation, damagedBytes, FUZZ_SEED, validCloudEvent } from './support/arbitraries';

/**
 * Fuzzing the worker's message parser: SQS records with bodies of any kind through processBatch wired to
 * real parts (the simulator, DynamoDB Local, the local Secrets Manager). Properties: never a throw; an invalid message is
 * dead-lettered at once as `invalid_event` with a reason, never retried, never written to the state table, and never
 * the cause of a Voximplant call.
 */
const CREDENTIALS_SECRET = 'fuzz/voximplant-credentials';
const table = useStateTable();
const secrets = useSecretsManager();
let sim: Simulator;
let deps: WorkerDeps;
let restoreEnv: () => void = () => undefined;
const letters: DeadLetter[] = [];
let dynamoRequests = 0;

beforeAll(async () => {
  sim = await createSimulator({ seed: 'demo' });
  const { apiUrl } = await sim.listen(0);
  secrets.server.putSecret(CREDENTIALS_SECRET, sim.credentials());
  restoreEnv = useLocalAwsEnvironment({ dynamodb: table.endpoint, secretsManager: secrets.endpoint });
  const config = loadConfig({
    VOXIMPLANT_API_URL: apiUrl,
    VOXIMPLANT_CREDENTIALS_SECRET_ID: CREDENTIALS_SECRET,
    STATE_TABLE: table.tableName,
    PROTECTED_ADMIN_USERS: 'owner',
    // Bursts far past the blast-radius guard's thresholds are this run's point; the guard has its own tests.
    GUARD_ENABLED: 'false',
  });
  dynamoDocumentClient().middlewareStack.add(
    (next) => async (args) => {
      dynamoRequests += 1;
      return next(args);
    },
    { step: 'initialize', name: 'fuzzCountDynamoRequests' },
  );
  deps = {
    apply: createApplyDeps(config, createLogger('fuzz-worker', 'silent')),
    deadLetter: async (letter) => {
      letters.push(letter);
    },
    concurrency: 4,
  };
  console.log(
    `fuzz worker messages: seed ${FUZZ_SEED} (replay: FUZZ_SEED=${FUZZ_SEED} npx vitest run test/fuzz/worker-messages.test.ts)`,
  );
});

afterAll(async () => {
  restoreEnv();
  await sim?.close();
});

/** SQS carries text; a record as Lambda delivers it, sometimes without the FIFO attributes a test queue may lack. */
function record(body: string, groupId: string | undefined): SQSRecord {
  return {
    messageId: randomUUID(),
    receiptHandle: 'rh',
    body,
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: String(Date.now()),
      SenderId: 'AIDAFUZZ',
      ApproximateFirstReceiveTimestamp: String(Date.now()),
      ...(groupId !== undefined && { MessageGroupId: groupId }),
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:fuzz.fifo',
    awsRegion: 'us-east-1',
  };
}

/** Bodies that are not a valid CloudEvent for certain: broken events, non-JSON text, JSON that is not an event. */
const invalidBody = fc.oneof(
  validCloudEvent.chain((e) => breakingMutation(e)).map((m) => JSON.stringify(m.value)),
  anyBody
    .filter((b) => b.length < 300_000)
    .map((b) => b.toString('utf8'))
    .filter((t) => !looksLikeAnEvent(t)),
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v) ?? 'null'),
);

/** Only to keep the generator honest: a random text that happens to carry every event field is left out. */
function looksLikeAnEvent(text: string): boolean {
  return ['specversion', 'source', 'type', 'time', 'data'].every((f) => text.includes(f));
}

// SQS FIFO group ids are 1-128 characters; a standard queue (or a hand-made record) has none at all.
const groupId = fc.option(fc.constantFrom('main/id:2', 'main/name:jdoe', 'junk'), { nil: undefined });

describe('fuzz: the worker message parser', () => {
  it('dead-letters every invalid message as invalid_event with a reason, touching neither state nor Voximplant', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(invalidBody, groupId), { minLength: 1, maxLength: 6 }), async (messages) => {
        letters.length = 0;
        const callsBefore = sim.calls().length;
        const dynamoBefore = dynamoRequests;
        const records = messages.map(([body, group]) => record(body, group));
        const response = await processBatch(records, deps, deadlineIn(20_000));

        expect(response.batchItemFailures).toEqual([]);
        expect(letters.map((l) => l.body).sort()).toEqual(records.map((r) => r.body).sort());
        for (const letter of letters) {
          expect(letter.errorCode).toBe('invalid_event');
          expect(letter.errorMessage.trim().length).toBeGreaterThan(0);
          expect(letter.groupId.length).toBeGreaterThan(0);
        }
        expect(sim.calls().length).toBe(callsBefore);
        expect(dynamoRequests).toBe(dynamoBefore);
      }),
      { numRuns: 200, seed: FUZZ_SEED },
    );
  });

  it('in a batch of valid and damaged messages, only valid messages ever reach Voximplant', async () => {
    const message = fc.oneof(
      validCloudEvent.map((e) => JSON.stringify(e)),
      validCloudEvent.chain((e) => damagedBytes(JSON.stringify(e))).map((d) => d.bytes.toString('utf8')),
      invalidBody,
    );
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(message, groupId), { minLength: 1, maxLength: 6 }), async (messages) => {
        letters.length = 0;
        const callsBefore = sim.calls().length;
        const records = messages.map(([body, group]) => record(body, group));
        const response = await processBatch(records, deps, deadlineIn(20_000));

        const validKeys = new Set<string>();
        for (const r of records) {
          const key = validKey(r.body);
          if (key !== undefined) validKeys.add(key);
        }
        const calls = sim.calls().slice(callsBefore);
        for (const c of calls.filter((c) => c.method === 'SetAdminUserInfo')) {
          expect(validKeys.has(c.idempotency_key ?? ''), JSON.stringify(c)).toBe(true);
        }
        // Every record ends somewhere: processed, dead-lettered with a code, or handed back to SQS.
        const failed = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
        const dead = new Set(letters.map((l) => l.body));
        for (const r of records) {
          if (validKey(r.body) === undefined) expect(dead.has(r.body) || failed.has(r.messageId)).toBe(true);
        }
        for (const letter of letters) expect(letter.errorCode.length).toBeGreaterThan(0);
      }),
      { numRuns: 60, seed: FUZZ_SEED },
    );
  });
});

/** The idempotency key of a message the worker must treat as a change; undefined for one it must refuse. */
function validKey(body: string): string | undefined {
  try {
    const e = JSON.parse(body) as Record<string, unknown>;
    const valid = validCloudEventShape(e);
    return valid ? idempotencyKey(String(e.source), String(e.id)) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Written from docs/CONTRACT.md#events, independent of the product's schema, for the few fields that decide validity
 * here.
 */
function validCloudEventShape(e: Record<string, unknown>): boolean {
  return (
    e !== null &&
    typeof e === 'object' &&
    e.specversion === '1.0' &&
    typeof e.id === 'string' &&
    e.id !== '' &&
    typeof e.source === 'string' &&
    e.source !== '' &&
    typeof e.type === 'string' &&
    ['admin.deactivated', 'admin.activated', 'admin.renamed', 'admin.updated'].includes(e.type) &&
    typeof e.time === 'string' &&
    typeof e.data === 'object' &&
    e.data !== null
  );
}
