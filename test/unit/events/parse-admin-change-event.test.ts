import { describe, expect, it } from 'vitest';
import { adminChangeFromEvent } from '../../../src/events/admin-change';
import { idempotencyKey } from '../../../src/events/idempotency-key';
import { messageGroupId } from '../../../src/events/message-group';
import { parseAdminChangeEvent, parseAdminChangeEventJson } from '../../../src/events/parse-admin-change-event';

const NOW = Date.parse('2026-11-27T09:20:00Z');
const base = { specversion: '1.0', id: 'evt-1', source: 'urn:hr:workday', time: '2026-11-27T09:15:00Z' };

describe('parseAdminChangeEvent', () => {
  it.each([
    [{ ...base, type: 'admin.deactivated', data: { admin_user_name: 'jdoe' } }, { active: false }],
    [{ ...base, type: 'admin.activated', data: { admin_user_id: 12 } }, { active: true }],
    [
      {
        ...base,
        type: 'admin.renamed',
        data: { admin_user_id: 12, new_admin_user_name: 'jd', admin_user_display_name: 'J D' },
      },
      { name: 'jd', displayName: 'J D' },
    ],
    [{ ...base, type: 'admin.updated', data: { admin_user_id: 12, admin_user_active: false } }, { active: false }],
  ])('accepts %j', (input, set) => {
    const result = parseAdminChangeEvent(input, NOW);
    expect(result.ok).toBe(true);
    if (result.ok) expect(adminChangeFromEvent(result.event).set).toEqual(set);
  });

  it.each([
    [
      'both targets',
      { ...base, type: 'admin.deactivated', data: { admin_user_id: 1, admin_user_name: 'x' } },
      '/data/admin_user_name',
    ],
    ['no target', { ...base, type: 'admin.deactivated', data: {} }, '/data/admin_user_id'],
    ['unknown type', { ...base, type: 'admin.deleted', data: { admin_user_id: 1 } }, '/type'],
    ['unknown data field', { ...base, type: 'admin.activated', data: { admin_user_id: 1, password: 'x' } }, '/data'],
    [
      'name too long',
      { ...base, type: 'admin.renamed', data: { admin_user_id: 1, new_admin_user_name: 'x'.repeat(50) } },
      '/data/new_admin_user_name',
    ],
    ['updated with nothing', { ...base, type: 'admin.updated', data: { admin_user_id: 1 } }, '/data'],
    ['bad time', { ...base, time: 'yesterday', type: 'admin.activated', data: { admin_user_id: 1 } }, '/time'],
    [
      'future time',
      { ...base, time: '2026-11-27T09:26:00Z', type: 'admin.activated', data: { admin_user_id: 1 } },
      '/time',
    ],
    ['id zero', { ...base, type: 'admin.activated', data: { admin_user_id: 0 } }, '/data/admin_user_id'],
  ])('rejects %s with a pointer to the field', (_label, input, path) => {
    const result = parseAdminChangeEvent(input, NOW, '');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map((e) => e.path)).toContain(path);
  });

  it('prefixes pointers for a batch member', () => {
    const result = parseAdminChangeEvent({ ...base, type: 'admin.activated', data: { admin_user_id: -1 } }, NOW, '/3');
    expect(result.ok === false && result.errors[0]?.path).toBe('/3/data/admin_user_id');
  });

  it('reports malformed JSON without echoing it', () => {
    const result = parseAdminChangeEventJson('{"password":"hunter2"', NOW);
    expect(result).toEqual({ ok: false, errors: [{ path: '', message: 'body is not valid JSON' }] });
  });
});

describe('keys', () => {
  it('idempotency key is the lower-case hex sha256 of source, newline, id', () => {
    expect(idempotencyKey('urn:hr:workday', 'evt-1')).toBe(
      'eaa502a50ec6e11531918089575ac95e0f22b12fc19ea21bdd47f08e6f1c5f5a',
    );
    expect(idempotencyKey('urn:hr:workday', 'evt-2')).not.toBe(idempotencyKey('urn:hr:workday', 'evt-1'));
  });
  it('message group names the account and the target', () => {
    expect(messageGroupId({ adminUserId: 12 })).toBe('main/id:12');
    expect(messageGroupId({ accountId: 7, adminUserName: 'jdoe' })).toBe('7/name:jdoe');
  });
});
