import { describe, expect, it } from 'vitest';
import { auditEntrySchema } from '../../../src/audit/audit-entry';
import { auditItemKey, inDayIndex } from '../../../src/audit/audit-keys';
import { changeAuditEntry } from '../../../src/audit/change-audit-entry';
import { timeToOffboard } from '../../../src/audit/time-to-offboard';
import type { AdminChange } from '../../../src/events/admin-change';

const change: AdminChange = {
  idempotencyKey: 'a'.repeat(64),
  fingerprint: 'f',
  eventId: 'evt-1',
  source: 'urn:hr:workday',
  type: 'admin.deactivated',
  time: '2026-11-02T09:00:00Z',
  timeMs: Date.parse('2026-11-02T09:00:00Z'),
  target: { accountId: 1000001, adminUserName: 'jdoe' },
  set: { active: false },
};
const outcome = {
  status: 'applied' as const,
  admin_user_id: 7,
  applied: ['active'],
  stale: [],
  attempts: 2,
  verified: false,
  at: '2026-11-02T09:00:04.000Z',
};
const ctx = { acceptedAtMs: Date.parse('2026-11-02T09:00:01Z'), mainAccountId: 1000001, now: () => 0 };

describe('changeAuditEntry', () => {
  it('files an applied deactivation under the resolved id and the main account, with its times', () => {
    const entry = changeAuditEntry(change, { kind: 'done', outcome, duplicate: false }, ctx)!;
    expect(auditEntrySchema.parse(entry)).toEqual(entry);
    expect(entry).toMatchObject({
      status: 'applied',
      account: 'main',
      admin: '7',
      admin_user_name: 'jdoe',
      event_time: '2026-11-02T09:00:00.000Z',
      accepted_at: '2026-11-02T09:00:01.000Z',
      applied_at: '2026-11-02T09:00:04.000Z',
      attempts: 2,
      deactivation: true,
    });
    expect(timeToOffboard(entry)).toEqual({ acceptedMs: 3000, eventMs: 4000 });
    expect(inDayIndex(entry)).toBe(true);
    expect(auditItemKey(entry)).toEqual({
      pk: 'audit#main#7',
      sk: `2026-11-02T09:00:04.000Z#${'a'.repeat(64)}#applied`,
    });
  });

  it('leaves no record for a duplicate, and a held one for a retry', () => {
    expect(changeAuditEntry(change, { kind: 'done', outcome, duplicate: true }, ctx)).toBeUndefined();
    const held = changeAuditEntry(
      change,
      { kind: 'retry', code: 'throttled', message: 'm' },
      { ...ctx, now: () => 5 },
    )!;
    expect(held).toMatchObject({ status: 'held', admin: 'name:jdoe', error_code: 'throttled' });
    expect(timeToOffboard(held)).toBeUndefined();
  });

  it('never names a password value, only that the attribute was asked for', () => {
    const withPassword = { ...change, set: { password: 'hunter2-secret' }, target: { adminUserId: 7 } };
    const entry = changeAuditEntry(withPassword, { kind: 'retry', code: 'x', message: 'm' }, ctx)!;
    expect(JSON.stringify(entry)).not.toContain('hunter2');
    expect(entry.attributes).toEqual(['password']);
  });
});
