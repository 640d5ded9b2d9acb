import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminChangeFromEvent, targetOf } from '../../src/events/admin-change';
import type { AdminChangeEvent } from '../../src/events/admin-change-event';
import { idempotencyKey, messageDeduplicationId } from '../../src/events/idempotency-key';
import { messageGroupId } from '../../src/events/message-group';
import { parseAdminChangeEventJson } from '../../src/events/parse-admin-change-event';
import { type ApiGatewayHandler, apiGatewayEvent } from '../support/api-gateway';
import { useLocalAwsEnvironment } from '../support/aws-env';
import { useStateTable } from '../support/dynamo';
import { useSecretsManager } from '../support/secrets-manager';
import {
  anyBody,
  breakingMutation,
  CONTENT_TYPES,
  damagedBytes,
  encodeText,
  FUZZ_SEED,
  HTTP_METHODS,
  noiseHeaders,
  randomMutation,
  textEncoding,
  validCloudEvent,
} from './support/arbitraries';
import { expectClearProblem, signWebhook } from './support/clear-error';
import { type RecordingSqs, startRecordingSqs } from './support/recording-sqs';

/**
 * Fuzzing `POST /events` through the real Lambda handler (functions/events.ts): API Gateway v2 events in,
 * the webhook secret from the local Secrets Manager, SQS through the real SDK into a recording endpoint that counts
 * every message. Properties: never a 5xx or a throw; nothing enqueued from a request that is not answered 202;
 * every refusal a problem+json a sender can act on; what is enqueued is exactly the valid events of the request.
 * Replay a failure with FUZZ_SEED=<seed> (fast-check prints the seed and path too).
 */
const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const secrets = useSecretsManager();
let sqs: RecordingSqs;
let handler: ApiGatewayHandler;
const state = useStateTable();
let restoreEnv: () => void = () => undefined;

beforeAll(async () => {
  sqs = await startRecordingSqs();
  secrets.server.putSecret('fuzz/webhook', { secrets: [SECRET] });
  restoreEnv = useLocalAwsEnvironment({
    dynamodb: state.endpoint,
    secretsManager: secrets.endpoint,
    sqs: sqs.endpoint,
  });
  Object.assign(process.env, {
    STATE_TABLE: state.tableName,
    WEBHOOK_SECRET_ID: 'fuzz/webhook',
    QUEUE_URL: sqs.queueUrl,
    PROTECTED_ADMIN_USERS: 'owner,1',
    LOG_LEVEL: 'silent',
  });
  handler = (await import('../../functions/events')).handler as ApiGatewayHandler;
  console.log(
    `fuzz /events: seed ${FUZZ_SEED} (replay: FUZZ_SEED=${FUZZ_SEED} npx vitest run test/fuzz/events.test.ts)`,
  );
});

afterAll(async () => {
  restoreEnv();
  await sqs?.close();
});

let webhookCounter = 0;
function signedHeaders(body: Buffer, contentType: string | undefined): Record<string, string> {
  const id = `msg_fuzz_${++webhookCounter}`;
  const at = Math.floor(Date.now() / 1000);
  return {
    ...(contentType !== undefined && { 'content-type': contentType }),
    'webhook-id': id,
    'webhook-timestamp': String(at),
    'webhook-signature': signWebhook(SECRET, id, at, body),
  };
}

/** The deduplication id a change must get: its idempotency key and fingerprint (src/events/idempotency-key.ts). */
function dedupIdOf(event: AdminChangeEvent): string {
  const change = adminChangeFromEvent(event);
  return messageDeduplicationId(change.idempotencyKey, change.fingerprint);
}

/** Runs one request and returns the answer and what it enqueued. */
async function send(request: Parameters<typeof apiGatewayEvent>[0]) {
  const before = sqs.messages.length;
  const answer = await handler(apiGatewayEvent(request));
  return { answer, enqueued: sqs.messages.slice(before) };
}

const RUNS = { numRuns: 150, seed: FUZZ_SEED };

describe('fuzz: POST /events', () => {
  it('valid signed events are enqueued, exactly (the control: the harness can see an enqueue)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(validCloudEvent, { minLength: 1, maxLength: 12 }),
        fc.boolean(),
        async (events, b64) => {
          const unique: Record<string, unknown>[] = events.map((e, i) => ({ ...e, id: `${String(e.id)}-${i}` }));
          const single = unique.length === 1;
          const body = Buffer.from(JSON.stringify(single ? unique[0] : unique));
          const contentType = single ? 'application/cloudevents+json' : 'application/cloudevents-batch+json';
          const { answer, enqueued } = await send({
            method: 'POST',
            path: '/events',
            headers: signedHeaders(body, contentType),
            body,
            base64: b64,
          });
          expect(answer.statusCode, answer.body).toBe(202);
          expect(enqueued.map((m) => JSON.parse(m.body))).toEqual(unique);
          unique.forEach((e, i) => {
            expect(enqueued[i]?.dedupId).toBe(dedupIdOf(e as AdminChangeEvent));
            expect(enqueued[i]?.groupId).toBe(messageGroupId(targetOf(e.data as Record<string, never>)));
          });
        },
      ),
      { ...RUNS, numRuns: 40 },
    );
  });

  it('anything unsigned, or signed wrongly, is refused before it is read, and nothing is enqueued', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...HTTP_METHODS),
        fc.option(fc.constantFrom(...CONTENT_TYPES), { nil: undefined }),
        noiseHeaders,
        fc.option(
          fc.record({
            'webhook-id': fc.string({ maxLength: 40 }),
            'webhook-timestamp': fc.oneof(
              fc.constant(String(Math.floor(Date.now() / 1000))),
              fc.string({ maxLength: 12 }),
              fc.integer().map(String),
            ),
            'webhook-signature': fc.oneof(
              fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => `v1,${Buffer.from(b).toString('base64')}`),
              fc.string({ maxLength: 300 }),
              fc.array(fc.constant('v1,AAAA'), { minLength: 17, maxLength: 40 }).map((a) => a.join(' ')),
            ),
          }),
          { nil: undefined },
        ),
        anyBody,
        fc.boolean(),
        async (method, contentType, noise, signature, body, base64) => {
          const { answer, enqueued } = await send({
            method,
            path: '/events',
            headers: { ...noise, ...signature, ...(contentType !== undefined && { 'content-type': contentType }) },
            body,
            base64,
          });
          expectClearProblem(answer, [401, 405, 413]);
          expect(enqueued).toEqual([]);
        },
      ),
      RUNS,
    );
  });

  it('a valid signature over a broken event is a 400 naming the field, and nothing is enqueued', async () => {
    await fc.assert(
      fc.asyncProperty(
        validCloudEvent.chain((e) => fc.tuple(fc.constant(e), breakingMutation(e))),
        fc.array(validCloudEvent, { maxLength: 4 }),
        fc.boolean(),
        async ([, mutated], others, base64) => {
          const batch = others.length > 0;
          const value = batch ? [...others, mutated.value] : mutated.value;
          const body = Buffer.from(JSON.stringify(value));
          const contentType = batch ? 'application/cloudevents-batch+json' : 'application/cloudevents+json';
          const { answer, enqueued } = await send({
            method: 'POST',
            path: '/events',
            headers: signedHeaders(body, contentType),
            body,
            base64,
          });
          const problem = expectClearProblem(answer, [400]);
          expect(enqueued).toEqual([]);
          if (mutated.invalidAt !== undefined) {
            const at = `${batch ? `/${others.length}` : ''}${mutated.invalidAt}`;
            const paths = (problem.errors ?? []).map((e) => e.path);
            expect(
              paths.some((p) => p.startsWith(at)),
              `${mutated.what}: ${JSON.stringify(paths)}`,
            ).toBe(true);
          }
        },
      ),
      RUNS,
    );
  });

  it('validly signed bodies of any shape, encoding, size and content type: 202 with exactly the valid events, or a clear 4xx and nothing enqueued', async () => {
    const signedBody = fc.oneof(
      {
        weight: 3,
        arbitrary: validCloudEvent
          .chain((e) => randomMutation(e))
          .map((m) => Buffer.from(JSON.stringify(m.value) ?? '')),
      },
      {
        weight: 2,
        arbitrary: validCloudEvent.chain((e) => damagedBytes(JSON.stringify(e))).map((d) => d.bytes),
      },
      {
        weight: 2,
        arbitrary: fc
          .tuple(fc.array(validCloudEvent, { minLength: 1, maxLength: 3 }), textEncoding)
          .map(([events, encoding]) => encodeText(JSON.stringify(events.length === 1 ? events[0] : events), encoding)),
      },
      {
        weight: 1,
        arbitrary: fc
          .array(validCloudEvent, { minLength: 101, maxLength: 110 })
          .map((a) => Buffer.from(JSON.stringify(a))),
      },
      { weight: 2, arbitrary: anyBody },
    );
    // Mostly the media types /events reads, so most bodies get as far as parsing; the rest anything at all.
    const contentTypes = fc.oneof(
      {
        weight: 3,
        arbitrary: fc.constantFrom(
          'application/cloudevents+json',
          'application/cloudevents-batch+json',
          'application/json',
          'application/json; charset=utf-8',
        ),
      },
      { weight: 1, arbitrary: fc.option(fc.constantFrom(...CONTENT_TYPES), { nil: undefined }) },
    );
    const tally: Record<string, number> = {};
    await fc.assert(
      fc.asyncProperty(
        signedBody,
        contentTypes,
        noiseHeaders,
        fc.boolean(),
        async (body, contentType, noise, base64) => {
          const { answer, enqueued } = await send({
            method: 'POST',
            path: '/events',
            headers: { ...noise, ...signedHeaders(body, contentType) },
            body,
            base64,
          });
          tally[String(answer.statusCode)] = (tally[String(answer.statusCode)] ?? 0) + 1;
          if (answer.statusCode === 202) {
            const accepted = (JSON.parse(answer.body ?? '') as { accepted: { idempotency_key: string }[] }).accepted;
            expect(enqueued).toHaveLength(accepted.length);
            enqueued.forEach((m, i) => {
              const parsed = parseAdminChangeEventJson(m.body, Date.now());
              expect(parsed.ok, m.body).toBe(true);
              if (parsed.ok) {
                expect(accepted[i]?.idempotency_key).toBe(idempotencyKey(parsed.event.source, parsed.event.id));
                expect(m.dedupId).toBe(dedupIdOf(parsed.event));
                expect(m.groupId).toBe(messageGroupId(targetOf(parsed.event.data)));
              }
            });
            return;
          }
          expectClearProblem(answer, [400, 413, 415, 422]);
          expect(enqueued).toEqual([]);
        },
      ),
      { ...RUNS, numRuns: 250 },
    );
    console.log(`fuzz /events, signed bodies of any shape: answers by status ${JSON.stringify(tally)}`);
  });
});
