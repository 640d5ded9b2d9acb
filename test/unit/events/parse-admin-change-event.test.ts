import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { adminChangeFromEvent } from '../../../src/events/admin-change';
import { idempotencyKey } from '../../../src/events/idempotency-key';
import { messageGroupId } from '../../../src/events/message-group';
import { parseAdminChangeEvent, parseAdminChangeEventJson } from '../../../src/events/parse-admin-change-event';
import { cloudEvent } from '../../support/cloud-event';

const NOW = Date.parse('2026-11-27T09:20:00Z');
// Every case below sets its own type and data.
const base = cloudEvent();

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
  it('idempotency key is the lower-case hex sha256 of the length-prefixed source and id', () => {
    expect(idempotencyKey('urn:hr:workday', 'evt-1')).toBe(
      createHash('sha256').update('14:urn:hr:workday5:evt-1').digest('hex'),
    );
    // Byte lengths, not UTF-16 units: é is two bytes.
    expect(idempotencyKey('é', 'x')).toBe(createHash('sha256').update('2:é1:x').digest('hex'));
    // The old encoding `source + "\n" + id` made these two the same key.
    expect(idempotencyKey('a\nb', 'c')).not.toBe(idempotencyKey('a', 'b\nc'));
    expect(idempotencyKey('urn:hr:workday', 'evt-2')).not.toBe(idempotencyKey('urn:hr:workday', 'evt-1'));
  });
  it('message group names the account and the target', () => {
    expect(messageGroupId({ adminUserId: 12 })).toBe('main/id:12');
    expect(messageGroupId({ accountId: 7, adminUserName: 'jdoe' })).toBe('7/name:jdoe');
  });
});

describe('CloudEvents JSON format details', () => {
  const event = { ...base, type: 'admin.deactivated', data: { admin_user_name: 'jdoe' } };
  const errorsOf = (input: unknown) => {
    const result = parseAdminChangeEvent(input, NOW);
    return result.ok ? [] : result.errors;
  };

  it('treats null optional attributes as absent (JSON format: null decodes as unset)', () => {
    const result = parseAdminChangeEvent(
      { ...event, subject: null, dataschema: null, datacontenttype: null, traceparent: null },
      NOW,
    );
    expect(result.ok).toBe(true);
  });

  it('treats a null required attribute as missing', () => {
    expect(errorsOf({ ...event, id: null }).map((e) => e.path)).toEqual(['/id']);
    expect(errorsOf({ ...event, data: null }).map((e) => e.path)).toContain('/data');
  });

  it.each(['subject', 'dataschema', 'datacontenttype'])('refuses an empty %s', (name) => {
    expect(errorsOf({ ...event, [name]: '' }).map((e) => e.path)).toEqual([`/${name}`]);
  });

  it('refuses a dataschema that is not an absolute URI, and accepts one that is', () => {
    expect(errorsOf({ ...event, dataschema: 'schemas/admin.json' }).map((e) => e.path)).toEqual(['/dataschema']);
    expect(errorsOf({ ...event, dataschema: 'https://example.com/schemas/admin.json' })).toEqual([]);
  });

  it.each(['traceParent', 'trace_id', 'x-ext', 'ümlaut', ''])('refuses the extension attribute name %j', (name) => {
    const errors = errorsOf({ ...event, [name]: 'v' });
    expect(errors).toEqual([{ path: `/${name}`, message: expect.stringContaining('lower-case a-z and 0-9') }]);
  });

  it('accepts extension attributes named with lower-case letters and digits', () => {
    expect(errorsOf({ ...event, traceparent: '00-abc-def-01', ext1: 5, partitionkey: 'x' })).toEqual([]);
  });

  it('refuses data together with data_base64, and names both paths inside a batch', () => {
    const result = parseAdminChangeEvent({ ...event, data_base64: 'e30=' }, NOW, '/2');
    expect(result.ok ? [] : result.errors).toEqual([
      { path: '/2/data_base64', message: 'must not be present together with data' },
    ]);
  });

  it('refuses an id or source with an unpaired surrogate, and accepts a proper pair', () => {
    expect(errorsOf({ ...event, id: 'evt-\ud800' }).map((e) => e.path)).toEqual(['/id']);
    expect(errorsOf({ ...event, source: 'urn:hr:\udc00' }).map((e) => e.path)).toEqual(['/source']);
    expect(errorsOf({ ...event, id: 'evt-\ud83c\udfa7' })).toEqual([]);
  });
});
