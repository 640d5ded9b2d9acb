import type { HttpRequest } from '../../src/http/http-message';

/** An Okta Event Hook delivery as Okta sends it (https://developer.okta.com/docs/concepts/event-hooks/). */
export const OKTA_AUTH = 'Basic c2hhcmVkLXNlY3JldA==';

export function oktaEvent(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    uuid: '7f8a9c2e-4b1d-11ef-9e3a-0b6a1e1a2b3c',
    published: '2026-11-27T09:10:00.123Z',
    eventType: 'user.lifecycle.deactivate',
    version: '0',
    displayMessage: 'Deactivate Okta user',
    severity: 'INFO',
    outcome: { result: 'SUCCESS', reason: null },
    actor: { id: '00uadmin', type: 'User', alternateId: 'admin@corp.com', displayName: 'Admin' },
    target: [{ id: '00u1jdoe', type: 'User', alternateId: 'jdoe@corp.com', displayName: 'J Doe', detailEntry: null }],
    ...overrides,
  };
}

export function oktaDelivery(events: unknown[], source = 'https://acme.okta.com/api/v1/eventHooks/who8nk2'): unknown {
  return {
    eventType: 'com.okta.event_hook',
    eventTypeVersion: '1.0',
    cloudEventsVersion: '0.1',
    source,
    eventId: 'b5f2f1c1-0000-4000-8000-000000000001',
    data: { events },
    eventTime: '2026-11-27T09:10:01.000Z',
    contentType: 'application/json',
  };
}

export function oktaPost(body: unknown, headers: Record<string, string> = {}): HttpRequest {
  return {
    method: 'POST',
    path: '/hooks/okta',
    headers: { 'content-type': 'application/json', authorization: OKTA_AUTH, ...headers },
    rawBody: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body), 'utf8'),
    query: {},
  };
}
