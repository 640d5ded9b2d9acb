import { describe, expect, it } from 'vitest';
import { adminChangeFromEvent } from '../../../src/events/admin-change';
import { adminNameFromLogin, mapOktaDelivery, oktaSource } from '../../../src/ingress/okta-events';
import { NOW } from '../../support/ingress-fixtures';
import { oktaDelivery, oktaEvent } from '../../support/okta-fixtures';

const map = (events: unknown[], nameFrom: 'local-part' | 'login' = 'local-part') => {
  const result = mapOktaDelivery(oktaDelivery(events), { nameFrom, now: NOW });
  if (!result.ok) throw new Error('expected a delivery');
  return result.outcomes;
};

describe('Okta lifecycle mapping (docs/CONTRACT.md#okta-hook)', () => {
  it.each([
    ['user.lifecycle.deactivate', 'admin.deactivated'],
    ['user.lifecycle.suspend', 'admin.deactivated'],
    ['user.lifecycle.activate', 'admin.activated'],
    ['user.lifecycle.reactivate', 'admin.activated'],
    ['user.lifecycle.unsuspend', 'admin.activated'],
  ])('%s → %s, keyed on the Okta uuid, timed by its published', (eventType, type) => {
    const [outcome] = map([oktaEvent({ eventType })]);
    expect(outcome).toMatchObject({ kind: 'mapped', oktaType: eventType });
    if (outcome?.kind !== 'mapped') return;
    expect(outcome.cloudEvent).toEqual({
      specversion: '1.0',
      id: '7f8a9c2e-4b1d-11ef-9e3a-0b6a1e1a2b3c',
      source: 'urn:okta:acme.okta.com',
      type,
      time: '2026-11-27T09:10:00.123Z',
      subject: '00u1jdoe',
      data: { admin_user_name: 'jdoe' },
    });
  });

  it('a redelivery of the same Okta event maps to the same change whenever it arrives, so SQS deduplicates it', () => {
    const at = (now: number) => {
      const result = mapOktaDelivery(oktaDelivery([oktaEvent()]), { nameFrom: 'local-part', now });
      const [outcome] = result.ok ? result.outcomes : [];
      if (outcome?.kind !== 'mapped') throw new Error('expected a mapped event');
      return adminChangeFromEvent(outcome.event);
    };
    const first = at(NOW);
    const resent = at(NOW + 60_000);
    expect(resent.idempotencyKey).toBe(first.idempotencyKey);
    expect(resent.fingerprint).toBe(first.fingerprint);
  });

  it('takes the name from the login local-part or the whole login, per OKTA_NAME_FROM', () => {
    expect(adminNameFromLogin('jdoe@corp.com', 'local-part')).toBe('jdoe');
    expect(adminNameFromLogin('jdoe', 'local-part')).toBe('jdoe');
    expect(adminNameFromLogin('"a@b"@corp.com', 'local-part')).toBe('"a@b"');
    expect(adminNameFromLogin('jdoe@corp.com', 'login')).toBe('jdoe@corp.com');
    const [outcome] = map([oktaEvent()], 'login');
    expect(outcome?.kind === 'mapped' && outcome.event.data).toEqual({ admin_user_name: 'jdoe@corp.com' });
  });

  it.each([
    ['https://acme.okta.com/api/v1/eventHooks/who1', 'urn:okta:acme.okta.com'],
    ['https://ACME.oktapreview.com:8443/x', 'urn:okta:acme.oktapreview.com:8443'],
    ['not a url', 'urn:okta:unknown'],
    [undefined, 'urn:okta:unknown'],
  ])('derives the source from the envelope source %s', (source, expected) => {
    expect(oktaSource(source)).toBe(expected);
  });

  it('ignores, with a reason, what it does not map', () => {
    const outcomes = map([
      oktaEvent({ eventType: 'user.session.start' }),
      oktaEvent({ outcome: { result: 'FAILURE' } }),
      oktaEvent({ target: [{ id: 'g1', type: 'UserGroup', alternateId: 'admins' }] }),
      oktaEvent({ target: null }),
      oktaEvent({ target: [{ type: 'User', alternateId: `${'x'.repeat(60)}@corp.com` }] }),
      { eventType: 'user.lifecycle.deactivate' },
      oktaEvent({ eventType: 'user.lifecycle.activate' }),
    ]);
    expect(outcomes.map((o) => (o.kind === 'ignored' ? o.reason : o.kind))).toEqual([
      'event type is not mapped',
      'outcome is FAILURE, not SUCCESS',
      'no User target with an alternateId (login)',
      'no User target with an alternateId (login)',
      'the mapped event fails the CloudEvent schema',
      'not a System Log event (uuid, eventType, published)',
      'mapped',
    ]);
    const tooLong = outcomes[4];
    expect(tooLong?.kind === 'ignored' && tooLong.errors?.[0]?.path).toBe('/data/admin_user_name');
  });

  it('refuses a body that is not an event hook delivery', () => {
    expect(mapOktaDelivery({ events: [] }, { nameFrom: 'login', now: NOW })).toMatchObject({ ok: false });
    expect(mapOktaDelivery([], { nameFrom: 'login', now: NOW }).ok).toBe(false);
  });
});
