import { describe, expect, it } from 'vitest';
import { idempotencyKey } from '../../../src/events/idempotency-key';
import { protectedAdmins } from '../../../src/events/protected-admins';
import type { HttpRequest, HttpResponse } from '../../../src/http/http-message';
import { PROBLEM_CONTENT_TYPE, problemType } from '../../../src/http/problem';
import { type EventsRequestDeps, handleEventsRequest } from '../../../src/ingress/events-request';
import { MAX_EVENTS_BODY_BYTES } from '../../../src/ingress/ingress-limits';
import { signStandardWebhook } from '../../../src/ingress/standard-webhooks';
import { QueueUnavailableError } from '../../../src/queue/enqueue';
import { SecretError } from '../../../src/secrets/json-secret';
import { cloudEvent } from '../../support/cloud-event';
import {
  constantSecret,
  memoryWebhookIds,
  NOW,
  NOW_SECONDS,
  newWebhookSecret,
  recordingQueue,
  signedRequest,
  silentLogger,
} from '../../support/ingress-fixtures';

const secret = newWebhookSecret();

function run(request: HttpRequest, overrides: Partial<EventsRequestDeps> = {}) {
  const queue = recordingQueue();
  const deps: EventsRequestDeps = {
    request,
    now: NOW,
    secrets: constantSecret({ secrets: [secret] }),
    toleranceSeconds: 300,
    webhookIds: memoryWebhookIds(),
    enqueue: queue.enqueue,
    protected: protectedAdmins(['owner', '1']),
    logger: silentLogger,
    ...overrides,
  };
  return handleEventsRequest(deps).then((response) => ({ response, sent: queue.sent }));
}

const json = (response: HttpResponse) => JSON.parse(response.body) as Record<string, unknown>;

function expectProblem(response: HttpResponse, status: number, slug: string) {
  expect(response.statusCode).toBe(status);
  expect(response.headers['content-type']).toBe(PROBLEM_CONTENT_TYPE);
  const body = json(response);
  expect(body).toMatchObject({ type: problemType(slug as never), status });
  expect(typeof body.title).toBe('string');
  expect(typeof body.detail).toBe('string');
  return body as { detail: string; errors?: { path: string; message: string }[] };
}

const signed = (
  body: unknown,
  contentType = 'application/cloudevents+json',
  extra: Partial<Parameters<typeof signedRequest>[0]> = {},
) =>
  signedRequest({
    secrets: [secret],
    body: typeof body === 'string' ? body : JSON.stringify(body),
    contentType,
    ...extra,
  });

describe('POST /events: accepted', () => {
  it('answers 202 with the accepted event after it is queued, the body being the CloudEvent JSON', async () => {
    const event = cloudEvent({ traceparent: '00-abc-def-01' });
    const { response, sent } = await run(signed(event));
    expect(response.statusCode).toBe(202);
    const key = idempotencyKey('urn:hr:workday', 'evt-1');
    expect(json(response)).toEqual({ accepted: [{ id: 'evt-1', source: 'urn:hr:workday', idempotency_key: key }] });
    expect(sent).toHaveLength(1);
    expect(JSON.parse(sent[0]!.body)).toEqual(event); // extension attributes survive
    expect(sent[0]).toMatchObject({ groupId: 'main/name:jdoe' });
    expect(sent[0]!.dedupId).toMatch(/^[0-9a-f]{64}$/);
    expect(sent[0]!.dedupId).not.toBe(key); // it covers the change as well (see the deduplication tests below)
  });

  it('accepts plain application/json and a charset parameter', async () => {
    const { response } = await run(signed(cloudEvent(), 'application/json; charset=UTF-8'));
    expect(response.statusCode).toBe(202);
  });

  it('accepts a batch, queueing one message per event in order, each in its admin group', async () => {
    const batch = [
      cloudEvent({ id: 'a', data: { admin_user_id: 12 } }),
      cloudEvent({ id: 'b', type: 'admin.renamed', data: { admin_user_id: 12, new_admin_user_name: 'jd' } }),
      cloudEvent({ id: 'c', data: { admin_user_name: 'asmith', account_id: 77 } }),
    ];
    const { response, sent } = await run(signed(batch, 'application/cloudevents-batch+json'));
    expect(response.statusCode).toBe(202);
    expect((json(response).accepted as { id: string }[]).map((a) => a.id)).toEqual(['a', 'b', 'c']);
    expect(sent.map((e) => e.groupId)).toEqual(['main/id:12', 'main/id:12', '77/name:asmith']);
    expect(sent.map((e) => JSON.parse(e.body).id)).toEqual(['a', 'b', 'c']);
  });

  it('sends a non-ASCII admin name in a group SQS accepts and an ASCII-only body', async () => {
    const { response, sent } = await run(signed(cloudEvent({ data: { admin_user_name: 'José Müller 🎧' } })));
    expect(response.statusCode).toBe(202);
    expect(sent[0]!.groupId).toMatch(/^main\/name-sha256:[0-9a-f]{64}$/);
    expect(sent[0]!.body).toMatch(/^[\x20-\x7e]*$/);
    expect(JSON.parse(sent[0]!.body).data.admin_user_name).toBe('José Müller 🎧');
  });

  it('accepts the last byte of the size limit', async () => {
    const event = cloudEvent({ subject: '' });
    const padding = MAX_EVENTS_BODY_BYTES - JSON.stringify(event).length;
    const { response } = await run(signed({ ...event, subject: 'x'.repeat(padding) }));
    expect(response.statusCode).toBe(202);
  });
});

describe('POST /events: refused, and nothing is queued', () => {
  const validBody = JSON.stringify(cloudEvent());
  const cases: [string, () => HttpRequest, number, string, RegExp][] = [
    ['GET', () => signed(cloudEvent(), undefined, { method: 'GET' }), 405, 'method-not-allowed', /GET/],
    [
      'a body over 256 KiB',
      () => signed(cloudEvent({ subject: 'x'.repeat(MAX_EVENTS_BODY_BYTES) })),
      413,
      'payload-too-large',
      /at most 262144 bytes/,
    ],
    [
      'a tampered body',
      () => ({ ...signed(cloudEvent()), rawBody: Buffer.from(validBody.replace('jdoe', 'root')) }),
      401,
      'invalid-signature',
      /no signature/,
    ],
    [
      'a wrong secret',
      () => signedRequest({ secrets: [newWebhookSecret()], body: validBody }),
      401,
      'invalid-signature',
      /no signature/,
    ],
    [
      'a stale timestamp',
      () => signed(cloudEvent(), undefined, { timestampSeconds: NOW_SECONDS - 301 }),
      401,
      'invalid-signature',
      /old/,
    ],
    [
      'a future timestamp',
      () => signed(cloudEvent(), undefined, { timestampSeconds: NOW_SECONDS + 301 }),
      401,
      'invalid-signature',
      /future/,
    ],
    [
      'no signature headers',
      () => ({ ...signed(cloudEvent()), headers: { 'content-type': 'application/cloudevents+json' } }),
      401,
      'invalid-signature',
      /missing/,
    ],
    ['text/plain', () => signed(validBody, 'text/plain'), 415, 'unsupported-media-type', /text\/plain/],
    ['no content type', () => signed(validBody, ''), 415, 'unsupported-media-type', /no Content-Type/],
    [
      'a non-UTF-8 charset',
      () => signed(validBody, 'application/json; charset=latin1'),
      415,
      'unsupported-media-type',
      /latin1/,
    ],
    ['a body that is not JSON', () => signed('{"specversion":'), 400, 'malformed-request', /not valid JSON/],
    [
      'a body that is not UTF-8',
      () => {
        // The official signer decodes a Buffer to text first (lossy for 0xff), so these raw bytes are signed with ours.
        const rawBody = Buffer.from([0x7b, 0xff, 0x7d]);
        const request = signed('{}');
        request.headers['webhook-signature'] = signStandardWebhook(secret, 'msg_2ndA1qLQ3Q', NOW_SECONDS, rawBody);
        return { ...request, rawBody };
      },
      400,
      'malformed-request',
      /UTF-8/,
    ],
    ['an array sent as one event', () => signed([cloudEvent()]), 400, 'malformed-request', /batch/],
    [
      'a batch that is not an array',
      () => signed(cloudEvent(), 'application/cloudevents-batch+json'),
      400,
      'malformed-request',
      /array/,
    ],
    ['an empty batch', () => signed([], 'application/cloudevents-batch+json'), 400, 'malformed-request', /empty/],
    [
      '101 events',
      () =>
        signed(
          Array.from({ length: 101 }, (_, i) => cloudEvent({ id: `e${i}` })),
          'application/cloudevents-batch+json',
        ),
      413,
      'payload-too-large',
      /101 events; at most 100/,
    ],
    [
      'binary mode with a non-JSON body type',
      () => signed('x', 'text/plain', { headers: { 'ce-specversion': '1.0' } }),
      415,
      'unsupported-media-type',
      /binary mode .*signature does not cover headers/,
    ],
    [
      'binary mode (ce-* headers, the data as the body)',
      () =>
        signed({ admin_user_id: 42 }, 'application/json', {
          headers: {
            'ce-specversion': '1.0',
            'ce-id': 'bin-1',
            'ce-source': 'urn:hr:bamboo',
            'ce-type': 'admin.activated',
            'ce-time': '2026-11-27T09:00:00Z',
          },
        }),
      415,
      'unsupported-media-type',
      /binary mode \(ce-\* headers: ce-specversion, ce-id, ce-source, ce-type, ce-time\)/,
    ],
    [
      'a structured event with a stray ce-type header',
      () => signed(cloudEvent(), 'application/cloudevents+json', { headers: { 'CE-Type': 'admin.activated' } }),
      415,
      'unsupported-media-type',
      /ce-type/,
    ],
    [
      'a source in the Okta hook namespace',
      () => signed(cloudEvent({ source: 'urn:okta:acme.okta.com' })),
      400,
      'invalid-event',
      /invalid/,
    ],
    [
      "a source in the bridge's own namespace (any case)",
      () => signed(cloudEvent({ source: 'URN:Vox-Admin-Bridge:scim' })),
      400,
      'invalid-event',
      /invalid/,
    ],
    [
      'an invalid event',
      () => signed(cloudEvent({ type: 'admin.deleted' })),
      400,
      'invalid-event',
      /the event is invalid/,
    ],
    [
      'a time more than 5 minutes ahead',
      () => signed(cloudEvent({ time: '2026-11-27T09:26:00Z' })),
      400,
      'invalid-event',
      /invalid/,
    ],
    [
      'a protected admin by name (any case)',
      () => signed(cloudEvent({ data: { admin_user_name: 'OWNER' } })),
      422,
      'protected-admin',
      /protected/,
    ],
    [
      'a protected admin by id',
      () => signed(cloudEvent({ type: 'admin.activated', data: { admin_user_id: 1 } })),
      422,
      'protected-admin',
      /protected/,
    ],
  ];

  it.each(cases)('%s', async (_label, request, status, slug, detail) => {
    const { response, sent } = await run(request());
    const body = expectProblem(response, status, slug);
    expect(body.detail).toMatch(detail);
    expect(sent).toEqual([]);
    expect(response.body).not.toContain(secret.slice(6));
  });

  it('names the allowed method in Allow on 405, and what is accepted in Accept-Post on 415', async () => {
    const { response } = await run(signed(cloudEvent(), undefined, { method: 'PUT' }));
    expect(response.headers.allow).toBe('POST');
    const { response: r415 } = await run(signed('{}', 'text/xml'));
    expect(r415.headers['accept-post']).toContain('application/cloudevents-batch+json');
  });

  it('refuses a whole batch with one bad event, naming its index in detail and errors', async () => {
    const batch = [
      cloudEvent({ id: 'a' }),
      cloudEvent({ id: 'b', data: { admin_user_id: 'twelve' } }),
      cloudEvent({ id: 'c' }),
    ];
    const { response, sent } = await run(signed(batch, 'application/cloudevents-batch+json'));
    const body = expectProblem(response, 400, 'invalid-event');
    expect(body.detail).toBe('event at index 1 of the batch is invalid; nothing was accepted');
    expect(body.errors).toEqual([{ path: '/1/data/admin_user_id', message: expect.any(String) }]);
    expect(sent).toEqual([]);
  });

  it('reports every invalid event of a batch in one answer', async () => {
    const batch = [cloudEvent({ id: '' }), cloudEvent({ id: 'b' }), cloudEvent({ id: 'c', time: 'later' })];
    const { response } = await run(signed(batch, 'application/cloudevents-batch+json'));
    const body = expectProblem(response, 400, 'invalid-event');
    expect(body.detail).toMatch(/^events at index 0, 2 /);
    expect(body.errors?.map((e) => e.path)).toEqual(['/0/id', '/2/time']);
  });

  it('refuses a batch that repeats one event (same source and id), naming both places', async () => {
    const batch = [cloudEvent({ id: 'x' }), cloudEvent({ id: 'y' }), cloudEvent({ id: 'x', type: 'admin.activated' })];
    const { response, sent } = await run(signed(batch, 'application/cloudevents-batch+json'));
    const body = expectProblem(response, 400, 'invalid-event');
    expect(body.errors).toEqual([{ path: '/2/id', message: 'repeats the source and id of the event at /0' }]);
    expect(sent).toEqual([]);
  });

  it('allows the same id from two sources in one batch', async () => {
    const batch = [cloudEvent({ id: 'x' }), cloudEvent({ id: 'x', source: 'urn:hr:other' })];
    const { response, sent } = await run(signed(batch, 'application/cloudevents-batch+json'));
    expect(response.statusCode).toBe(202);
    expect(sent).toHaveLength(2);
  });

  it('refuses a batch with a protected target, naming it, and queues none of the others', async () => {
    const batch = [cloudEvent({ id: 'a' }), cloudEvent({ id: 'b', data: { admin_user_name: 'owner' } })];
    const { response, sent } = await run(signed(batch, 'application/cloudevents-batch+json'));
    const body = expectProblem(response, 422, 'protected-admin');
    expect(body.errors).toEqual([{ path: '/1/data/admin_user_name', message: expect.stringContaining('protected') }]);
    expect(sent).toEqual([]);
  });

  it('refuses renames onto a protected name, in any disguise, naming new_admin_user_name', async () => {
    const onto = (name: string, type = 'admin.renamed') =>
      cloudEvent({ id: `r-${name}`, type, data: { admin_user_name: 'asmith', new_admin_user_name: name } });
    const batch = [
      cloudEvent({ id: 'fine' }),
      onto('Owner'),
      onto(' owner'),
      onto('\u043Ewner', 'admin.updated'),
      onto('owner\u200B'),
      onto('alice.jones'),
    ];
    const { response, sent } = await run(signed(batch, 'application/cloudevents-batch+json'));
    const body = expectProblem(response, 422, 'protected-admin');
    expect(body.detail).toContain('4 events');
    expect(body.errors).toEqual(
      [1, 2, 3, 4].map((i) => ({
        path: `/${i}/data/new_admin_user_name`,
        message: expect.stringContaining("matches a protected admin's name"),
      })),
    );
    expect(sent).toEqual([]);
  });

  it('names the reserved source in errors', async () => {
    const batch = [cloudEvent({ id: 'a' }), cloudEvent({ id: 'b', source: 'urn:vox-admin-bridge:rotate' })];
    const { response, sent } = await run(signed(batch, 'application/cloudevents-batch+json'));
    const body = expectProblem(response, 400, 'invalid-event');
    expect(body.errors).toEqual([
      { path: '/1/source', message: 'is in the urn:vox-admin-bridge: namespace, which only the bridge itself uses' },
    ]);
    expect(sent).toEqual([]);
  });

  it('says Accept-Post on a binary-mode refusal', async () => {
    const { response } = await run(signed({ admin_user_id: 42 }, 'application/json', { headers: { 'ce-id': 'x' } }));
    expect(response.headers['accept-post']).toContain('application/cloudevents+json');
  });
});

describe('POST /events: one webhook-id, one body', () => {
  it('accepts an exact resend under the same webhook-id, with a new timestamp and signature', async () => {
    const webhookIds = memoryWebhookIds();
    const first = await run(signed(cloudEvent(), undefined, { webhookId: 'msg_same' }), { webhookIds });
    const again = await run(
      signed(cloudEvent(), undefined, { webhookId: 'msg_same', timestampSeconds: NOW_SECONDS - 60 }),
      {
        webhookIds,
      },
    );
    expect([first.response.statusCode, again.response.statusCode]).toEqual([202, 202]);
    expect(json(again.response)).toEqual(json(first.response));
  });

  it('refuses the same webhook-id with another body (409), and queues nothing', async () => {
    const webhookIds = memoryWebhookIds();
    await run(signed(cloudEvent(), undefined, { webhookId: 'msg_same' }), { webhookIds });
    const other = await run(signed(cloudEvent({ type: 'admin.activated' }), undefined, { webhookId: 'msg_same' }), {
      webhookIds,
    });
    const body = expectProblem(other.response, 409, 'webhook-id-reused');
    expect(body.detail).toMatch(/different body/);
    expect(other.sent).toEqual([]);
  });

  it('remembers no webhook-id for a refused request, so the sender may fix it and resend under that id', async () => {
    const webhookIds = memoryWebhookIds();
    const bad = await run(signed(cloudEvent({ time: 'soon' }), undefined, { webhookId: 'msg_fix' }), { webhookIds });
    expect(bad.response.statusCode).toBe(400);
    expect(webhookIds.ids.size).toBe(0);
    const fixed = await run(signed(cloudEvent(), undefined, { webhookId: 'msg_fix' }), { webhookIds });
    expect(fixed.response.statusCode).toBe(202);
  });

  it('answers 503 and queues nothing when the webhook-id cannot be recorded', async () => {
    const failing = { remember: () => Promise.reject(new Error('ProvisionedThroughputExceededException')) };
    const { response, sent } = await run(signed(cloudEvent()), { webhookIds: failing });
    expectProblem(response, 503, 'service-unavailable');
    expect(sent).toEqual([]);
  });
});

describe('POST /events: queue deduplication', () => {
  it('gives an exact resend the same deduplication id, and a different change under the same key another', async () => {
    const a = await run(signed(cloudEvent()));
    const resend = await run(signed(cloudEvent(), undefined, { webhookId: 'msg_other' }));
    const changed = await run(signed(cloudEvent({ type: 'admin.activated' }), undefined, { webhookId: 'msg_3' }));
    expect(resend.sent[0]!.dedupId).toBe(a.sent[0]!.dedupId);
    expect(changed.sent[0]!.dedupId).not.toBe(a.sent[0]!.dedupId);
    expect(json(changed.response)).toEqual(json(a.response)); // the same idempotency key
  });
});

describe('POST /events: dependencies failing', () => {
  it('answers 503, not 202, when the queue refuses', async () => {
    const { response } = await run(signed(cloudEvent()), {
      enqueue: recordingQueue(new QueueUnavailableError('SQS refused 1 of 1 messages', 0)).enqueue,
    });
    const body = expectProblem(response, 503, 'queue-unavailable');
    expect(body.detail).toMatch(/retry/);
  });

  it('answers 503 when the webhook secret cannot be read, 500 when it is malformed, and queues nothing', async () => {
    const queue = recordingQueue();
    const unavailable = await handleEventsRequest({
      request: signed(cloudEvent()),
      now: NOW,
      secrets: { get: () => Promise.reject(new SecretError('secret_unavailable', 'could not read x: Throttling')) },
      toleranceSeconds: 300,
      webhookIds: memoryWebhookIds(),
      enqueue: queue.enqueue,
      protected: protectedAdmins([]),
      logger: silentLogger,
    });
    expectProblem(unavailable, 503, 'service-unavailable');
    const malformed = await handleEventsRequest({
      request: signed(cloudEvent()),
      now: NOW,
      secrets: { get: () => Promise.reject(new SecretError('secret_malformed', 'x has the wrong shape')) },
      toleranceSeconds: 300,
      webhookIds: memoryWebhookIds(),
      enqueue: queue.enqueue,
      protected: protectedAdmins([]),
      logger: silentLogger,
    });
    expectProblem(malformed, 500, 'internal-error');
    expect(queue.sent).toEqual([]);
  });

  it('counts accepted events and refusals', async () => {
    const counted: [string, number | undefined][] = [];
    const count = (name: string, n?: number) => counted.push([name, n]);
    await run(signed([cloudEvent({ id: 'a' }), cloudEvent({ id: 'b' })], 'application/cloudevents-batch+json'), {
      count,
    });
    await run(signed(cloudEvent(), undefined, { method: 'GET' }), { count });
    expect(counted).toEqual([
      ['EventsAccepted', 2],
      ['EventsRequestRefused', undefined],
    ]);
  });
});
