import { describe, expect, it } from 'vitest';
import { changeFingerprint } from '../../../src/events/admin-change';
import { idempotencyKey, messageDeduplicationId } from '../../../src/events/idempotency-key';
import { protectedAdmins } from '../../../src/events/protected-admins';
import type { HttpRequest } from '../../../src/http/http-message';
import { PROBLEM_CONTENT_TYPE, problemType } from '../../../src/http/problem';
import { handleOktaRequest, type OktaRequestDeps } from '../../../src/ingress/okta-request';
import { QueueUnavailableError } from '../../../src/queue/enqueue';
import { constantSecret, NOW, recordingQueue, silentLogger } from '../../support/ingress-fixtures';
import { OKTA_AUTH, oktaDelivery, oktaEvent, oktaPost } from '../../support/okta-fixtures';

function run(request: HttpRequest, overrides: Partial<OktaRequestDeps> = {}, queue = recordingQueue()) {
  return handleOktaRequest({
    request,
    now: NOW,
    authorization: constantSecret({ authorization: OKTA_AUTH }),
    enqueue: queue.enqueue,
    nameFrom: 'local-part',
    protected: protectedAdmins(['owner']),
    logger: silentLogger,
    ...overrides,
  }).then((response) => ({ response, sent: queue.sent }));
}

const get = (headers: Record<string, string>): HttpRequest => ({
  method: 'GET',
  path: '/hooks/okta',
  headers,
  rawBody: Buffer.alloc(0),
  query: {},
});

describe('GET /hooks/okta: the one-time verification', () => {
  it('echoes the challenge as {"verification": value}', async () => {
    const { response } = await run(get({ 'x-okta-verification-challenge': 'cH4ll3ng3-Ab_c' }));
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/json');
    expect(JSON.parse(response.body)).toEqual({ verification: 'cH4ll3ng3-Ab_c' });
  });

  it('answers 400 without the challenge header', async () => {
    const { response } = await run(get({}));
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toBe(PROBLEM_CONTENT_TYPE);
  });
});

describe('POST /hooks/okta', () => {
  it('queues mapped events and answers 204 with no body', async () => {
    const { response, sent } = await run(
      oktaPost(oktaDelivery([oktaEvent(), oktaEvent({ uuid: 'u2', eventType: 'user.lifecycle.unsuspend' })])),
    );
    expect(response.statusCode).toBe(204);
    expect(response.body).toBe('');
    expect(sent.map((e) => JSON.parse(e.body).type)).toEqual(['admin.deactivated', 'admin.activated']);
    expect(sent[0]).toMatchObject({
      groupId: 'main/name:jdoe',
      dedupId: messageDeduplicationId(
        idempotencyKey('urn:okta:acme.okta.com', '7f8a9c2e-4b1d-11ef-9e3a-0b6a1e1a2b3c'),
        changeFingerprint(
          'admin.deactivated',
          '2026-11-27T09:10:00.123Z',
          { adminUserName: 'jdoe' },
          { active: false },
        ),
      ),
    });
  });

  it('gives a redelivered event (same uuid) the same MessageDeduplicationId, so it is applied once', async () => {
    const first = await run(oktaPost(oktaDelivery([oktaEvent()])));
    // Okta's retry is a new delivery (new envelope eventId, later eventTime) carrying the same System Log event.
    const retry = oktaDelivery([oktaEvent()]) as Record<string, unknown>;
    const second = await run(oktaPost({ ...retry, eventId: 'another-delivery', eventTime: '2026-11-27T09:10:05Z' }));
    expect(second.sent[0]!.dedupId).toBe(first.sent[0]!.dedupId);
    expect(second.sent[0]!.body).toBe(first.sent[0]!.body);
  });

  it('sends the same uuid only once when a delivery repeats it', async () => {
    const { sent } = await run(oktaPost(oktaDelivery([oktaEvent(), oktaEvent()])));
    expect(sent).toHaveLength(1);
  });

  it('acknowledges a delivery of only unknown event types with 204 and queues nothing', async () => {
    const { response, sent } = await run(oktaPost(oktaDelivery([oktaEvent({ eventType: 'user.session.start' })])));
    expect(response.statusCode).toBe(204);
    expect(sent).toEqual([]);
  });

  it('queues a protected target anyway so the worker dead-letters it where operators see it', async () => {
    const event = oktaEvent({ target: [{ id: '00u0', type: 'User', alternateId: 'owner@corp.com' }] });
    const { response, sent } = await run(oktaPost(oktaDelivery([event])));
    expect(response.statusCode).toBe(204);
    expect(sent).toHaveLength(1);
  });

  it.each([
    ['without Authorization', { authorization: undefined }, /missing/],
    ['with a wrong Authorization', { authorization: 'Basic d3Jvbmc=' }, /does not match/],
    ['with the right value plus a suffix', { authorization: `${OKTA_AUTH} ` }, /does not match/],
    ['with the value in another case', { authorization: OKTA_AUTH.toLowerCase() }, /does not match/],
  ])('answers 401 %s and queues nothing', async (_label, headers, detail) => {
    const request = oktaPost(oktaDelivery([oktaEvent()]));
    if (headers.authorization === undefined) delete request.headers.authorization;
    else request.headers.authorization = headers.authorization;
    const { response, sent } = await run(request);
    expect(response.statusCode).toBe(401);
    const body = JSON.parse(response.body);
    expect(body).toMatchObject({ type: problemType('unauthorized'), status: 401 });
    expect(body.detail).toMatch(detail);
    expect(response.body).not.toContain(OKTA_AUTH);
    expect(sent).toEqual([]);
  });

  it.each([
    ['not JSON', oktaPost('{'), 400],
    ['not a delivery', oktaPost({ hello: 'world' }), 400],
    ['not JSON content', oktaPost(oktaDelivery([]), { 'content-type': 'text/plain' }), 415],
    ['a PUT', { ...oktaPost(oktaDelivery([oktaEvent()])), method: 'PUT' }, 405],
  ])('refuses %s and queues nothing', async (_label, request, status) => {
    const { response, sent } = await run(request);
    expect(response.statusCode).toBe(status);
    expect(sent).toEqual([]);
    if (status === 405) expect(response.headers.allow).toBe('GET, POST');
  });

  it('answers 503 when the queue refuses, so Okta retries', async () => {
    const queue = recordingQueue(new QueueUnavailableError('SendMessageBatch failed: TimeoutError', 0));
    const { response } = await run(oktaPost(oktaDelivery([oktaEvent()])), {}, queue);
    expect(response.statusCode).toBe(503);
    expect(JSON.parse(response.body).type).toBe(problemType('queue-unavailable'));
  });
});
