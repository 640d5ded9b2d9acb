import type { SQSClient } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { adminChangeFromEvent } from '../../../src/events/admin-change';
import type { AdminChangeEvent } from '../../../src/events/admin-change-event';
import { idempotencyKey, messageDeduplicationId } from '../../../src/events/idempotency-key';
import { messageGroupId } from '../../../src/events/message-group';
import { type LocalSecretsManager, startSecretsManager } from '../../../tooling/local/secrets-manager-server';
import { type ApiGatewayHandler, apiGatewayEvent } from '../../support/api-gateway';
import { useLocalAwsEnvironment } from '../../support/aws-env';
import { cloudEvent } from '../../support/cloud-event';
import { drainQueue } from '../../support/drain-queue';
import { useStateTable } from '../../support/dynamo';
import { type FifoQueue, startFifoQueue } from '../../support/fauxqs-fifo';
import { newWebhookSecret, signedHeaders } from '../../support/ingress-fixtures';
import { OKTA_AUTH, oktaDelivery, oktaEvent } from '../../support/okta-fixtures';

/**
 * The `events` and `okta` Lambda handlers as deployed code runs them: API Gateway v2 events in, a real SQS FIFO
 * queue (fauxqs) and the local Secrets Manager server behind the AWS SDK, configured
 * only through the environment (docs/CONTRACT.md#configuration).
 */
let queues: FifoQueue;
let secretsManager: LocalSecretsManager;
let sqs: SQSClient;
let events: ApiGatewayHandler;
let okta: ApiGatewayHandler;
const state = useStateTable();
let restoreEnv: () => void = () => undefined;
const oldSecret = newWebhookSecret();
const newSecret = newWebhookSecret();

beforeAll(async () => {
  queues = await startFifoQueue('ingress-test.fifo');
  secretsManager = await startSecretsManager();
  secretsManager.putSecret('vab/webhook', { secrets: [oldSecret, newSecret] });
  secretsManager.putSecret('vab/okta', { authorization: OKTA_AUTH });
  sqs = queues.sqs;
  restoreEnv = useLocalAwsEnvironment({
    dynamodb: state.endpoint,
    sqs: queues.endpoint,
    secretsManager: secretsManager.endpoint,
  });
  Object.assign(process.env, {
    STATE_TABLE: state.tableName,
    WEBHOOK_SECRET_ID: 'vab/webhook',
    OKTA_HOOK_SECRET_ID: 'vab/okta',
    QUEUE_URL: queues.queueUrl,
    PROTECTED_ADMIN_USERS: 'owner,1',
    LOG_LEVEL: 'silent',
  });
  // Imported after the environment is set, as Lambda loads a function after its configuration.
  events = (await import('../../../functions/events')).handler as ApiGatewayHandler;
  okta = (await import('../../../functions/okta')).handler as ApiGatewayHandler;
});

afterAll(async () => {
  restoreEnv();
  await queues?.close();
  await secretsManager?.close();
});

beforeEach(async () => {
  await drainQueue(sqs, queues.queueUrl);
});

// API Gateway base64-encodes bodies it does not consider text; the handler must verify the decoded bytes.
const apiEvent = (method: string, path: string, headers: Record<string, string>, body: string, base64 = true) =>
  apiGatewayEvent({ method, path, headers, body: Buffer.from(body, 'utf8'), base64 });

let webhookCounter = 0;
function signedEvent(
  body: string,
  contentType: string,
  signers: string[],
  webhookId = `msg_int_${++webhookCounter}`,
): APIGatewayProxyEventV2 {
  const timestampSeconds = Math.floor(Date.now() / 1000);
  return apiEvent(
    'POST',
    '/events',
    {
      'content-type': contentType,
      ...signedHeaders({ secrets: signers, body, webhookId, timestampSeconds }),
    },
    body,
  );
}

const recent = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000).toISOString();

describe('events handler', () => {
  it('answers 500 problem+json while QUEUE_URL is missing, then works once it is set (init is not cached on failure)', async () => {
    delete process.env.QUEUE_URL;
    const body = JSON.stringify(cloudEvent({ id: 'cfg-1', time: recent(1) }));
    const broken = await events(signedEvent(body, 'application/cloudevents+json', [newSecret]));
    expect(broken.statusCode).toBe(500);
    expect(broken.headers?.['content-type']).toBe('application/problem+json');
    expect(broken.body).not.toMatch(/at .*\.ts/);
    process.env.QUEUE_URL = queues.queueUrl;
  });

  it('answers 503 when Secrets Manager fails, and queues nothing', async () => {
    secretsManager.failNext('GetSecretValue', 3);
    const body = JSON.stringify(cloudEvent({ id: 'sm-1', time: recent(1) }));
    const response = await events(signedEvent(body, 'application/cloudevents+json', [newSecret]));
    expect(response.statusCode).toBe(503);
    expect(JSON.parse(response.body!).type).toMatch(/service-unavailable$/);
    expect(await drainQueue(sqs, queues.queueUrl)).toEqual([]);
  });

  it('queues a signed batch on the FIFO queue with group and dedup ids, and answers 202 with the accepted list', async () => {
    const batch = [
      cloudEvent({ id: 'b-1', time: recent(3), data: { admin_user_id: 12 } }),
      cloudEvent({ id: 'b-2', time: recent(2), type: 'admin.activated', data: { admin_user_id: 12 } }),
      cloudEvent({ id: 'b-3', time: recent(1), data: { admin_user_name: 'Zoë Ørsted 🎧', account_id: 77 } }),
    ];
    const response = await events(
      signedEvent(JSON.stringify(batch), 'application/cloudevents-batch+json', [newSecret]),
    );
    expect(response.statusCode).toBe(202);
    const keys = batch.map((e) => idempotencyKey('urn:hr:workday', String(e.id)));
    expect(JSON.parse(response.body!)).toEqual({
      accepted: batch.map((e, i) => ({ id: e.id, source: 'urn:hr:workday', idempotency_key: keys[i] })),
    });

    // FIFO promises order within a group, not across groups, so messages are compared per event id.
    const queued = await drainQueue(sqs, queues.queueUrl);
    const byId = new Map(queued.map((m) => [JSON.parse(m.body).id as string, m]));
    expect([...byId.keys()].sort()).toEqual(['b-1', 'b-2', 'b-3']);
    batch.forEach((event, i) => {
      const message = byId.get(String(event.id))!;
      expect(JSON.parse(message.body)).toEqual(event);
      const change = adminChangeFromEvent(event as unknown as AdminChangeEvent);
      expect(message.dedupId).toBe(messageDeduplicationId(keys[i]!, change.fingerprint));
    });
    expect(byId.get('b-1')?.groupId).toBe('main/id:12');
    expect(byId.get('b-3')?.groupId).toBe(messageGroupId({ adminUserName: 'Zoë Ørsted 🎧', accountId: 77 }));
    const group12 = queued.filter((m) => m.groupId === 'main/id:12').map((m) => JSON.parse(m.body).id);
    expect(group12).toEqual(['b-1', 'b-2']);
  });

  it('accepts a retry of the same request with 202, and the queue keeps one copy (FIFO deduplication)', async () => {
    const body = JSON.stringify(cloudEvent({ id: 'dup-1', time: recent(1) }));
    expect((await events(signedEvent(body, 'application/cloudevents+json', [newSecret]))).statusCode).toBe(202);
    expect((await events(signedEvent(body, 'application/cloudevents+json', [newSecret], 'msg_retry'))).statusCode).toBe(
      202,
    );
    expect(await drainQueue(sqs, queues.queueUrl)).toHaveLength(1);
  });

  it('refuses a replayed binary-mode request whose ce-* headers were changed (415), and queues nothing', async () => {
    // A validly signed request: only the id, timestamp and body are signed, so a ce-type added by an attacker
    // would not break the signature. The request is refused for carrying ce-* headers at all.
    const data = JSON.stringify({ admin_user_name: 'jdoe2' });
    const request = signedEvent(data, 'application/json', [newSecret], 'msg_bin_1');
    request.headers = {
      ...request.headers,
      'ce-specversion': '1.0',
      'ce-id': 'evt-replayed',
      'ce-source': 'urn:hr:workday',
      'ce-type': 'admin.activated',
      'ce-time': recent(0),
    };
    const response = await events(request);
    expect(response.statusCode).toBe(415);
    expect(JSON.parse(response.body!).detail).toMatch(/binary mode/);
    expect(await drainQueue(sqs, queues.queueUrl)).toEqual([]);
  });

  it('refuses a known webhook-id with another body (409) and accepts its exact resend (202)', async () => {
    const first = JSON.stringify(cloudEvent({ id: 'wid-1', time: recent(2) }));
    const other = JSON.stringify(cloudEvent({ id: 'wid-1', time: recent(1), type: 'admin.activated' }));
    expect((await events(signedEvent(first, 'application/json', [newSecret], 'msg_wid'))).statusCode).toBe(202);
    const reused = await events(signedEvent(other, 'application/json', [newSecret], 'msg_wid'));
    expect(reused.statusCode).toBe(409);
    expect(JSON.parse(reused.body!).type).toMatch(/webhook-id-reused$/);
    expect((await events(signedEvent(first, 'application/json', [newSecret], 'msg_wid'))).statusCode).toBe(202);
    expect(await drainQueue(sqs, queues.queueUrl)).toHaveLength(1);
  });

  it('queues the same source and id with another change as a second message, so the worker sees the mismatch', async () => {
    const a = JSON.stringify(cloudEvent({ id: 'mm-1', time: recent(2) }));
    const b = JSON.stringify(cloudEvent({ id: 'mm-1', time: recent(2), type: 'admin.activated' }));
    expect((await events(signedEvent(a, 'application/json', [newSecret]))).statusCode).toBe(202);
    expect((await events(signedEvent(b, 'application/json', [newSecret]))).statusCode).toBe(202);
    const queued = await drainQueue(sqs, queues.queueUrl);
    expect(queued.map((m) => JSON.parse(m.body).type).sort()).toEqual(['admin.activated', 'admin.deactivated']);
  });

  it('accepts either secret during rotation', async () => {
    const a = JSON.stringify(cloudEvent({ id: 'rot-old', time: recent(1) }));
    const b = JSON.stringify(cloudEvent({ id: 'rot-new', time: recent(1) }));
    expect((await events(signedEvent(a, 'application/json', [oldSecret]))).statusCode).toBe(202);
    expect((await events(signedEvent(b, 'application/json', [newSecret]))).statusCode).toBe(202);
    expect(await drainQueue(sqs, queues.queueUrl)).toHaveLength(2);
  });

  it.each([
    [
      'a wrong secret',
      () => signedEvent(JSON.stringify(cloudEvent({ time: recent(1) })), 'application/json', [newWebhookSecret()]),
      401,
    ],
    [
      'a batch with one invalid event',
      () =>
        signedEvent(
          JSON.stringify([cloudEvent({ id: 'ok', time: recent(1) }), cloudEvent({ id: 'bad', time: 'soon' })]),
          'application/cloudevents-batch+json',
          [newSecret],
        ),
      400,
    ],
    [
      'a protected admin',
      () =>
        signedEvent(
          JSON.stringify(cloudEvent({ time: recent(1), data: { admin_user_name: 'owner' } })),
          'application/json',
          [newSecret],
        ),
      422,
    ],
  ])('refuses %s and the queue stays empty', async (_label, request, status) => {
    const response = await events(request());
    expect(response.statusCode).toBe(status);
    expect(response.headers?.['content-type']).toBe('application/problem+json');
    expect(await drainQueue(sqs, queues.queueUrl)).toEqual([]);
  });
});

describe('okta handler', () => {
  it('answers the verification challenge', async () => {
    const response = await okta(
      apiEvent('GET', '/hooks/okta', { 'x-okta-verification-challenge': 'abc123' }, '', false),
    );
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body!)).toEqual({ verification: 'abc123' });
  });

  it('queues a deactivation once, however often Okta delivers it, and answers 204', async () => {
    const delivery = JSON.stringify(oktaDelivery([oktaEvent({ published: recent(1) })]));
    const headers = { 'content-type': 'application/json', authorization: OKTA_AUTH };
    const first = await okta(apiEvent('POST', '/hooks/okta', headers, delivery));
    const again = await okta(apiEvent('POST', '/hooks/okta', headers, delivery));
    expect([first.statusCode, again.statusCode]).toEqual([204, 204]);
    expect(first.body).toBe('');
    const queued = await drainQueue(sqs, queues.queueUrl);
    expect(queued).toHaveLength(1);
    expect(JSON.parse(queued[0]!.body)).toMatchObject({
      id: '7f8a9c2e-4b1d-11ef-9e3a-0b6a1e1a2b3c',
      source: 'urn:okta:acme.okta.com',
      type: 'admin.deactivated',
      data: { admin_user_name: 'jdoe' },
    });
    expect(queued[0]!.groupId).toBe('main/name:jdoe');
  });

  it('refuses a wrong Authorization with 401 and queues nothing', async () => {
    const delivery = JSON.stringify(oktaDelivery([oktaEvent({ published: recent(1) })]));
    const response = await okta(
      apiEvent(
        'POST',
        '/hooks/okta',
        { 'content-type': 'application/json', authorization: 'Basic bm9wZQ==' },
        delivery,
      ),
    );
    expect(response.statusCode).toBe(401);
    expect(await drainQueue(sqs, queues.queueUrl)).toEqual([]);
  });
});
