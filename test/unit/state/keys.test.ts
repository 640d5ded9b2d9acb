import { describe, expect, it } from 'vitest';
import { messageGroupId } from '../../../src/events/message-group';
import { expiresAtSeconds, isExpired } from '../../../src/state/expiry';
import {
  accountSegment,
  idempotencyItemKey,
  nameCacheItemKey,
  orderingItemKey,
  SCIM_PK_PREFIX,
} from '../../../src/state/keys';

describe('state keys', () => {
  it('gives each kind of item its own partition prefix', () => {
    const pks = [idempotencyItemKey('abc').pk, orderingItemKey(undefined, 12).pk, nameCacheItemKey(undefined, 'x').pk];
    const prefixes = pks.map((pk) => pk.slice(0, pk.indexOf('#') + 1));
    expect(new Set([...prefixes, SCIM_PK_PREFIX]).size).toBe(4);
  });

  it('spells the account like the message group does', () => {
    expect(accountSegment(undefined)).toBe('main');
    expect(accountSegment(123)).toBe('123');
    expect(messageGroupId({ accountId: 123, adminUserId: 12 })).toBe(`${accountSegment(123)}/id:12`);
    expect(orderingItemKey(123, 12)).toEqual({ pk: 'admin#123#12', sk: 'order' });
    expect(orderingItemKey(undefined, 12)).toEqual({ pk: 'admin#main#12', sk: 'order' });
  });

  it('keeps names exactly as given, per account', () => {
    expect(nameCacheItemKey(undefined, 'J.Doe')).toEqual({ pk: 'name#main#J.Doe', sk: 'name' });
    expect(nameCacheItemKey(5, 'J.Doe')).not.toEqual(nameCacheItemKey(undefined, 'J.Doe'));
  });
});

describe('expiry', () => {
  it('rounds expires_at up so an item lives at least its ttl', () => {
    expect(expiresAtSeconds(1_000_500, 60)).toBe(1061);
    expect(expiresAtSeconds(1_000_000, 60)).toBe(1060);
  });

  it('counts an item as gone from the second it names', () => {
    expect(isExpired(1060, 1_059_999)).toBe(false);
    expect(isExpired(1060, 1_060_000)).toBe(true);
  });
});
