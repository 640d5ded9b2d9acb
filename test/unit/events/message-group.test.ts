import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ADMIN_USER_NAME_MAX } from '../../../src/events/admin-change-event';
import { isSqsSafeGroupId, messageGroupId } from '../../../src/events/message-group';

describe('messageGroupId', () => {
  it("uses the contract's group verbatim when SQS accepts it", () => {
    expect(messageGroupId({ adminUserId: 12 })).toBe('main/id:12');
    expect(messageGroupId({ adminUserId: 12, accountId: 77 })).toBe('77/id:12');
    expect(messageGroupId({ adminUserName: 'j.doe+ops@corp' })).toBe('main/name:j.doe+ops@corp');
  });

  it('encodes a name SQS would refuse as name-sha256:<hex of the UTF-8 name>', () => {
    const hex = createHash('sha256').update('José Müller', 'utf8').digest('hex');
    expect(messageGroupId({ adminUserName: 'José Müller', accountId: 5 })).toBe(`5/name-sha256:${hex}`);
    expect(messageGroupId({ adminUserName: 'a b' })).toMatch(/^main\/name-sha256:[0-9a-f]{64}$/);
  });

  it('always yields a group SQS accepts, the same for the same admin', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: ADMIN_USER_NAME_MAX, unit: 'grapheme' }),
        fc.option(fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), { nil: undefined }),
        (name, accountId) => {
          const target = { adminUserName: name, ...(accountId !== undefined && { accountId }) };
          const group = messageGroupId(target);
          expect(isSqsSafeGroupId(group)).toBe(true);
          expect(group.length).toBeLessThanOrEqual(128);
          expect(messageGroupId({ ...target })).toBe(group);
        },
      ),
    );
  });
});
