import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAdminChangeEventJson } from '../../src/events/parse-admin-change-event';
import { type ApiGatewayHandler, apiGatewayEvent } from '../support/api-gateway';
import { useLocalAwsEnvironment } from '../support/aws-env';
import { useSecretsManager } from '../support/secrets-manager';
import {
  anyBody,
  CONTENT_TYPES,
  damagedBytes,
  encodeText,
  FUZZ_SEED,
  HTTP_METHODS,
  noiseHeaders,
  randomMutation,
  textEncoding,
} from './support/arbitraries';
import { expectClearProblem } from './support/clear-error';
import { type RecordingSqs, startRecordingSqs } from './support/recording-sqs';

/**
 * Fuzzing `GET|POST /hooks/okta` through the real Lambda handler (functions/okta.ts) with the shared
 * Authorization value from the local Secrets Manager and SQS into a recording endpoint. Properties: never a 5xx or a
 * throw; without the right Authorization nothing is read or enqueued; with it, whatever the body, what is enqueued
 * is exactly the deliverable lifecycle events it holds (checked against the mapping of
 * docs/CONTRACT.md#okta-hook, written out here),
 * and a refusal is a clear problem+json.
 */
const AUTHORIZATION = 'Basic b2t0YTpmdXp6LXNlY3JldA==';
const secrets = useSecretsManager();
let sqs: RecordingSqs;
let handler: ApiGatewayHandler;
let restoreEnv: () => void = () => undefined;

/** docs/CONTRACT.md#okta-hook, independent of src/ingress/okta-events.ts. */
const LIFECYCLE: Record<string, string> = {
  'user.lifecycle.deactivate': 'admin.deactivated',
  'user.lifecycle.suspend': 'admin.deactivated',
  'user.lifecycle.activate': 'admin.activated',
  'user.lifecycle.reactivate': 'admin.activated',
  'user.lifecycle.unsuspend': 'admin.activated',
};

beforeAll(async () => {
  sqs = await startRecordingSqs();
  secrets.server.putSecret('fuzz/okta', { authorization: AUTHORIZATION });
  restoreEnv = useLocalAwsEnvironment({ secretsManager: secrets.endpoint, sqs: sqs.endpoint });
  Object.assign(process.env, {
    OKTA_HOOK_SECRET_ID: 'fuzz/okta',
    QUEUE_URL: sqs.queueUrl,
    PROTECTED_ADMIN_USERS: 'owner',
    LOG_LEVEL: 'silent',
  });
  handler = (await import('../../functions/okta')).handler as ApiGatewayHandler;
  console.log(
    `fuzz /hooks/okta: seed ${FUZZ_SEED} (replay: FUZZ_SEED=${FUZZ_SEED} npx vitest run test/fuzz/okta.test.ts)`,
  );
});

afterAll(async () => {
  restoreEnv();
  await sqs?.close();
});

async function send(request: Parameters<typeof apiGatewayEvent>[0]) {
  const before = sqs.messages.length;
  const answer = await handler(apiGatewayEvent(request));
  return { answer, enqueued: sqs.messages.slice(before) };
}

const login = fc
  .tuple(fc.stringMatching(/^[a-z][a-z0-9._-]{0,20}$/), fc.constantFrom('corp.example', 'okta.example'))
  .map(([local, domain]) => `${local}@${domain}`);

const oktaEvent = fc.record({
  uuid: fc.uuid(),
  eventType: fc.constantFrom(...Object.keys(LIFECYCLE), 'user.session.start', 'group.user_membership.add'),
  published: fc.integer({ min: 1, max: 30 * 86_400 }).map((s) => new Date(Date.now() - s * 1000).toISOString()),
  version: fc.constant('0'),
  outcome: fc.oneof(
    fc.constant({ result: 'SUCCESS', reason: null }),
    fc.constant({ result: 'FAILURE', reason: 'denied' }),
    fc.constant(null),
  ),
  target: fc.array(
    fc.oneof(
      fc.record({ id: fc.stringMatching(/^00u[a-z0-9]{6}$/), type: fc.constant('User'), alternateId: login }),
      fc.record({ id: fc.string({ maxLength: 8 }), type: fc.constant('AppInstance'), alternateId: fc.string() }),
    ),
    { maxLength: 3 },
  ),
});

const delivery = fc.array(oktaEvent, { minLength: 1, maxLength: 5 }).map((events) => ({
  eventType: 'com.okta.event_hook',
  eventTypeVersion: '1.0',
  cloudEventsVersion: '0.1',
  source: 'https://acme.okta.com/api/v1/eventHooks/who8nk2',
  eventId: 'b5f2f1c1-0000-4000-8000-000000000001',
  eventTime: new Date().toISOString(),
  contentType: 'application/json',
  data: { events },
}));

/** The lifecycle events a delivery should turn into messages, by uuid: mapped type, not failed, a User login. */
function deliverable(body: Buffer): Map<string, { type: string; logins: string[] }> {
  const out = new Map<string, { type: string; logins: string[] }>();
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch {
    return out;
  }
  const events = (value as { data?: { events?: unknown } } | null)?.data?.events;
  if (!Array.isArray(events)) return out;
  for (const e of events as Record<string, unknown>[]) {
    const type = LIFECYCLE[String(e?.eventType)];
    const result = (e?.outcome as { result?: unknown } | null | undefined)?.result;
    if (type === undefined || typeof e.uuid !== 'string' || (result !== undefined && result !== 'SUCCESS')) continue;
    const logins = (Array.isArray(e.target) ? (e.target as Record<string, unknown>[]) : [])
      .filter((t) => t?.type === 'User' && typeof t.alternateId === 'string')
      .map((t) => String(t.alternateId));
    if (logins.length > 0 && !out.has(e.uuid)) out.set(e.uuid, { type, logins });
  }
  return out;
}

const RUNS = { numRuns: 150, seed: FUZZ_SEED };

describe('fuzz: /hooks/okta', () => {
  it('a genuine delivery enqueues its lifecycle events (the control)', async () => {
    await fc.assert(
      fc.asyncProperty(delivery, fc.boolean(), async (d, base64) => {
        const body = Buffer.from(JSON.stringify(d));
        const { answer, enqueued } = await send({
          method: 'POST',
          path: '/hooks/okta',
          headers: { 'content-type': 'application/json', authorization: AUTHORIZATION },
          body,
          base64,
        });
        expect(answer.statusCode, answer.body).toBe(204);
        expect(enqueued.map((m) => JSON.parse(m.body).id).sort()).toEqual([...deliverable(body).keys()].sort());
      }),
      { ...RUNS, numRuns: 40 },
    );
  });

  it('without the right Authorization nothing is read or enqueued', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...HTTP_METHODS),
        fc.option(fc.oneof(fc.string({ maxLength: 60 }), fc.constant(`${AUTHORIZATION} `), fc.constant('Basic ')), {
          nil: undefined,
        }),
        fc.option(fc.constantFrom(...CONTENT_TYPES), { nil: undefined }),
        noiseHeaders,
        fc.oneof(
          anyBody,
          delivery.map((d) => Buffer.from(JSON.stringify(d))),
        ),
        fc.boolean(),
        async (method, authorization, contentType, noise, body, base64) => {
          const headers: Record<string, string> = {
            ...noise,
            ...(authorization !== undefined && { authorization }),
            ...(contentType !== undefined && { 'content-type': contentType }),
          };
          const { answer, enqueued } = await send({ method, path: '/hooks/okta', headers, body, base64 });
          expect(enqueued).toEqual([]);
          const challenge = headers['x-okta-verification-challenge'];
          if (method === 'GET' && challenge !== undefined && challenge !== '') {
            // The one-time verification echoes the challenge and reads nothing else (docs/CONTRACT.md#okta-hook).
            expect(answer.statusCode).toBe(200);
            expect(JSON.parse(answer.body ?? '')).toEqual({ verification: challenge });
            return;
          }
          expectClearProblem(answer, method === 'GET' ? [400] : [401, 405, 413]);
        },
      ),
      RUNS,
    );
  });

  it('with the right Authorization, any body: exactly its deliverable lifecycle events, or a clear 4xx and nothing', async () => {
    const body = fc.oneof(
      {
        weight: 3,
        arbitrary: delivery.chain((d) => randomMutation(d)).map((m) => Buffer.from(JSON.stringify(m.value) ?? '')),
      },
      { weight: 2, arbitrary: delivery.chain((d) => damagedBytes(JSON.stringify(d))).map((d) => d.bytes) },
      {
        weight: 1,
        arbitrary: fc.tuple(delivery, textEncoding).map(([d, encoding]) => encodeText(JSON.stringify(d), encoding)),
      },
      { weight: 2, arbitrary: anyBody },
    );
    const contentType = fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom('application/json', 'application/json; charset=utf-8') },
      { weight: 1, arbitrary: fc.option(fc.constantFrom(...CONTENT_TYPES), { nil: undefined }) },
    );
    const tally: Record<string, number> = {};
    await fc.assert(
      fc.asyncProperty(body, contentType, noiseHeaders, fc.boolean(), async (raw, type, noise, base64) => {
        const headers = {
          ...noise,
          authorization: AUTHORIZATION,
          ...(type !== undefined && { 'content-type': type }),
        };
        const { answer, enqueued } = await send({ method: 'POST', path: '/hooks/okta', headers, body: raw, base64 });
        tally[String(answer.statusCode)] = (tally[String(answer.statusCode)] ?? 0) + 1;
        if (answer.statusCode !== 204) {
          expectClearProblem(answer, [400, 413, 415]);
          expect(enqueued).toEqual([]);
          return;
        }
        expect(answer.body ?? '').toBe('');
        const expected = deliverable(raw);
        for (const m of enqueued) {
          const parsed = parseAdminChangeEventJson(m.body, Date.now());
          expect(parsed.ok, m.body).toBe(true);
          if (!parsed.ok) continue;
          const source = expected.get(parsed.event.id);
          expect(source, `enqueued ${parsed.event.id}, which is not a deliverable event of the body`).toBeDefined();
          expect(parsed.event.type).toBe(source?.type);
          const name = 'admin_user_name' in parsed.event.data ? parsed.event.data.admin_user_name : undefined;
          expect(source?.logins.map((l) => l.slice(0, l.lastIndexOf('@')))).toContain(name);
        }
        // Deliverable events that are not enqueued can only be those whose mapped event is itself invalid (a
        // `published` the schema refuses, a name too long): never more messages than deliverable events.
        expect(enqueued.length).toBeLessThanOrEqual(expected.size);
      }),
      { ...RUNS, numRuns: 250 },
    );
    console.log(`fuzz /hooks/okta, authorised bodies of any shape: answers by status ${JSON.stringify(tally)}`);
  });
});
