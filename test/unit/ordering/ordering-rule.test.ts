import type { SQSRecord } from 'aws-lambda';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isStale, orderingTimeMs } from '../../../src/ordering/ordering-rule';
import { ReactivationPolicy } from '../../../src/ordering/reactivation-policy';
import { acceptanceBounds } from '../../../src/worker/acceptance-bounds';

const change = (timeMs: number, active: boolean, eventId = 'new', source = 'urn:hr') => ({
  timeMs,
  eventId,
  source,
  set: { active },
});

describe('the ordering time', () => {
  it('is never later than any acceptance bound, and is the event time when that is earlier', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 ** 42 }),
        fc.array(fc.option(fc.integer({ min: 1, max: 2 ** 42 }))),
        (t, bounds) => {
          const known = bounds.filter((b): b is number => b !== null);
          const got = orderingTimeMs(t, ...bounds.map((b) => b ?? undefined));
          expect(got).toBe(Math.min(t, ...known));
        },
      ),
    );
  });

  it('a time 4m59s ahead is capped at acceptance', () => {
    expect(orderingTimeMs(1_000 + 299_000, 1_000, 1_005)).toBe(1_000);
  });
});

describe('staleness', () => {
  const deactivated = { timeMs: 100, eventId: 'd', source: 'urn:hr', value: false };
  const activated = { timeMs: 100, eventId: 'a', source: 'urn:hr', value: true };

  it('strictly older is stale, newer applies', () => {
    expect(isStale('active', change(99, false), deactivated)).toBe(true);
    expect(isStale('active', change(101, true), deactivated)).toBe(false);
  });

  it('equal times: the deactivation wins either way', () => {
    expect(isStale('active', change(100, true), deactivated)).toBe(true);
    expect(isStale('active', change(100, false), activated)).toBe(false);
    // An old item without a value counts as a deactivation.
    expect(isStale('active', change(100, true), { timeMs: 100, eventId: 'x' })).toBe(true);
  });

  it('the very same change is never stale (a redelivery after a crash)', () => {
    expect(isStale('active', change(100, true, 'a'), activated)).toBe(false);
    expect(isStale('active', change(50, false, 'd'), deactivated)).toBe(false);
    // Same id from another source is another change.
    expect(isStale('active', change(50, false, 'd', 'urn:other'), deactivated)).toBe(true);
  });
});

describe('REACTIVATION_SOURCES', () => {
  const byHr = { timeMs: 1, eventId: 'd', source: 'urn:hr:workday', value: false };

  it('by default only the deactivating source may re-activate', () => {
    const policy = new ReactivationPolicy([]);
    expect(policy.refusal('urn:hr:workday', byHr)).toBeUndefined();
    expect(policy.refusal('urn:vox-admin-bridge:scim', byHr)).toContain('urn:hr:workday');
    expect(policy.refusal('urn:okta:acme.okta.com', byHr)).toBeDefined();
  });

  it('listed sources, exact or by a prefix ending in *, may', () => {
    const policy = new ReactivationPolicy(['urn:vox-admin-bridge:scim', 'urn:okta:*']);
    expect(policy.refusal('urn:vox-admin-bridge:scim', byHr)).toBeUndefined();
    expect(policy.refusal('urn:okta:acme.okta.com', byHr)).toBeUndefined();
    expect(policy.refusal('urn:vox-admin-bridge:scim2', byHr)).toBeDefined();
  });

  it('applies only after a deactivation; an old item of unknown value counts as one by an unknown source', () => {
    const policy = new ReactivationPolicy([]);
    expect(policy.refusal('urn:x', undefined)).toBeUndefined();
    expect(policy.refusal('urn:x', { ...byHr, value: true })).toBeUndefined();
    expect(policy.refusal('urn:hr:workday', { timeMs: 1, eventId: 'd' })).toContain('unknown source');
  });
});

describe('acceptance bounds of a queued message', () => {
  const record = (messageAttributes: SQSRecord['messageAttributes'], sent = '1700000000000') =>
    ({ messageAttributes, attributes: { SentTimestamp: sent } }) as unknown as SQSRecord;

  it('reads accepted_at and SentTimestamp', () => {
    expect(
      acceptanceBounds(
        record({
          accepted_at: { dataType: 'Number', stringValue: '1699999999000', stringListValues: [], binaryListValues: [] },
        }),
      ),
    ).toEqual({ ok: true, acceptedAtMs: 1_699_999_999_000, sentAtMs: 1_700_000_000_000 });
    expect(acceptanceBounds(record({}))).toEqual({ ok: true, sentAtMs: 1_700_000_000_000 });
  });

  it('refuses a malformed accepted_at', () => {
    for (const stringValue of ['soon', '-1', '1e12', '']) {
      expect(
        acceptanceBounds(
          record({ accepted_at: { dataType: 'Number', stringValue, stringListValues: [], binaryListValues: [] } }),
        ).ok,
      ).toBe(false);
    }
    expect(
      acceptanceBounds(
        record({ accepted_at: { dataType: 'String', stringValue: '1', stringListValues: [], binaryListValues: [] } }),
      ).ok,
    ).toBe(false);
  });
});
