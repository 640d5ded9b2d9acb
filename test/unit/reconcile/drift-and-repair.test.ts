import { describe, expect, it } from 'vitest';
import { isStale } from '../../../src/ordering/ordering-rule';
import { findDrift } from '../../../src/reconcile/find-drift';
import { groupByVersion, RECONCILE_SOURCE, repairChange } from '../../../src/reconcile/repair-change';

const live = { admin_user_id: 7, admin_user_name: 'jdoe', admin_user_display_name: 'J. Doe', admin_user_active: true };
const deactivated = { timeMs: 1_000, eventId: 'evt-1', source: 'urn:hr:workday', value: false };

describe('findDrift', () => {
  it('lists each attribute whose live value differs from the recorded one, never the password', () => {
    const { drift, unknown } = findDrift(live, {
      active: deactivated,
      name: { timeMs: 2_000, eventId: 'evt-2', source: 'urn:hr:workday', value: 'jdoe' },
      displayName: { timeMs: 2_000, eventId: 'evt-2', source: 'urn:hr:workday', value: 'John Doe' },
      password: { timeMs: 3_000, eventId: 'scim-1', source: 'urn:vox-admin-bridge:scim' },
    });
    expect(drift.map((d) => [d.attribute, d.live, d.desired])).toEqual([
      ['active', true, false],
      ['displayName', 'J. Doe', 'John Doe'],
    ]);
    expect(unknown).toEqual([]);
  });

  it('cannot compare a version written before values were stored', () => {
    expect(findDrift(live, { active: { timeMs: 1, eventId: 'old' } })).toEqual({ drift: [], unknown: ['active'] });
  });
});

describe('repairChange', () => {
  const [active] = findDrift(live, { active: deactivated }).drift;

  it('carries the recorded version as its ordering identity and a key of its own', () => {
    const change = repairChange('run-1', { adminUserId: 7 }, [active!]);
    expect(change).toMatchObject({
      eventId: 'evt-1',
      source: 'urn:hr:workday',
      timeMs: 1_000,
      set: { active: false },
      target: { adminUserId: 7 },
    });
    expect(change.source).not.toBe(RECONCILE_SOURCE);
    expect(change.idempotencyKey).toMatch(/^[0-9a-f]{64}$/);
    expect(repairChange('run-2', { adminUserId: 7 }, [active!]).idempotencyKey).not.toBe(change.idempotencyKey);
    expect(repairChange('run-1', { accountId: 5, adminUserId: 7 }, [active!]).idempotencyKey).not.toBe(
      change.idempotencyKey,
    );
  });

  it('is never stale against the version it restores, and always stale against a newer one', () => {
    const change = repairChange('run-1', { adminUserId: 7 }, [active!]);
    expect(isStale('active', change, deactivated)).toBe(false);
    expect(isStale('active', change, { timeMs: 1_001, eventId: 'evt-3', source: 'urn:hr:workday', value: true })).toBe(
      true,
    );
  });

  it('groups attributes set by one change into one repair', () => {
    const { drift } = findDrift(
      { ...live, admin_user_name: 'jd' },
      {
        active: deactivated,
        name: { timeMs: 2_000, eventId: 'evt-2', source: 'urn:hr:workday', value: 'jdoe' },
        displayName: { timeMs: 2_000, eventId: 'evt-2', source: 'urn:hr:workday', value: 'John Doe' },
      },
    );
    expect(groupByVersion(drift).map((g) => g.map((d) => d.attribute))).toEqual([['active'], ['name', 'displayName']]);
  });
});
