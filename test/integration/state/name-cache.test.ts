import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { nameCacheItemKey } from '../../../src/state/keys';
import { DEFAULT_NAME_CACHE_TTL_SECONDS, DynamoNameCache } from '../../../src/state/name-cache';
import { useStateTable } from '../../support/dynamo';

describe('NameCache', () => {
  const table = useStateTable();
  const clock = { now: Date.parse('2026-11-27T09:15:00Z') };
  const cache = () => new DynamoNameCache(table.doc, table.tableName, { now: () => clock.now });

  it('gets what was put, per account, and nothing after forget', async () => {
    const c = cache();
    expect(await c.get(undefined, 'jdoe')).toBeUndefined();
    await c.put(undefined, 'jdoe', 12);
    await c.put(77, 'jdoe', 13);
    expect(await c.get(undefined, 'jdoe')).toBe(12);
    expect(await c.get(77, 'jdoe')).toBe(13);
    expect(await c.get(undefined, 'JDOE')).toBeUndefined(); // names match exactly (docs/CONTRACT.md#targets-and-names)
    await c.forget(undefined, 'jdoe');
    expect(await c.get(undefined, 'jdoe')).toBeUndefined();
    expect(await c.get(77, 'jdoe')).toBe(13);
    await c.forget(undefined, 'never-cached');
  });

  it('a later put replaces the id', async () => {
    const c = cache();
    await c.put(undefined, 'ops', 1);
    await c.put(undefined, 'ops', 2);
    expect(await c.get(undefined, 'ops')).toBe(2);
  });

  it('ignores an expired entry that the table still returns', async () => {
    const c = cache();
    await c.put(undefined, 'temp', 5);
    const item = (
      await table.doc.send(new GetCommand({ TableName: table.tableName, Key: nameCacheItemKey(undefined, 'temp') }))
    ).Item;
    expect(item?.expires_at).toBe(Math.ceil(clock.now / 1000) + DEFAULT_NAME_CACHE_TTL_SECONDS);
    clock.now += (DEFAULT_NAME_CACHE_TTL_SECONDS - 1) * 1000;
    expect(await c.get(undefined, 'temp')).toBe(5);
    clock.now += 1000;
    expect(await c.get(undefined, 'temp')).toBeUndefined();
  });
});
