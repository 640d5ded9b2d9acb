import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { type AdminRef, OrderingStore } from '../../../src/state/ordering-store';
import { useStateTable } from '../../support/dynamo';

let adminCounter = 1000;
const newAdmin = (accountId?: number): AdminRef =>
  accountId === undefined ? { adminUserId: ++adminCounter } : { accountId, adminUserId: ++adminCounter };

describe('OrderingStore', () => {
  const table = useStateTable();
  const store = () => new OrderingStore(table.doc, table.tableName);

  it('applies a newer change, applies an equal time, skips a strictly older one', async () => {
    const s = store();
    const admin = newAdmin();
    expect(await s.claim(admin, ['active'], 100, 'e1')).toEqual({ claimed: ['active'], stale: [] });
    expect(await s.claim(admin, ['active'], 200, 'e2')).toEqual({ claimed: ['active'], stale: [] });
    expect(await s.claim(admin, ['active'], 200, 'e3')).toEqual({ claimed: ['active'], stale: [] });
    expect(await s.claim(admin, ['active'], 199, 'e4')).toEqual({ claimed: [], stale: ['active'] });
    expect(await s.versions(admin)).toEqual({ active: { timeMs: 200, eventId: 'e3' } });
  });

  it('orders each attribute on its own: a change can be partly stale', async () => {
    const s = store();
    const admin = newAdmin();
    await s.claim(admin, ['name'], 300, 'rename');
    await s.claim(admin, ['active'], 100, 'deactivate');
    const result = await s.claim(admin, ['active', 'name', 'displayName'], 200, 'update');
    expect(result).toEqual({ claimed: ['active', 'displayName'], stale: ['name'] });
    expect(await s.versions(admin)).toEqual({
      active: { timeMs: 200, eventId: 'update' },
      name: { timeMs: 300, eventId: 'rename' },
      displayName: { timeMs: 200, eventId: 'update' },
    });
  });

  it('a late "activated" cannot undo a newer "deactivated"', async () => {
    const s = store();
    const admin = newAdmin();
    await s.claim(admin, ['active'], Date.parse('2026-11-27T09:15:00Z'), 'deactivated');
    const late = await s.claim(admin, ['active'], Date.parse('2026-11-27T09:14:59.999Z'), 'activated');
    expect(late).toEqual({ claimed: [], stale: ['active'] });
  });

  it('an older writer whose write lands after a newer one loses (the write is conditional)', async () => {
    const admin = newAdmin();
    await store().claim(admin, ['active'], 100, 'first');
    // Hold the older writer's first update until the newer writer has recorded its claim.
    let releaseOlder!: () => void;
    const olderMayWrite = new Promise<void>((resolve) => {
      releaseOlder = resolve;
    });
    const gated = {
      send: async (command: unknown) => {
        if (command instanceof UpdateCommand && command.input.ExpressionAttributeValues?.[':eventId'] === 'older') {
          await olderMayWrite;
        }
        return table.doc.send(command as UpdateCommand);
      },
    } as unknown as DynamoDBDocumentClient;
    const older = new OrderingStore(gated, table.tableName).claim(admin, ['active', 'name'], 200, 'older');
    const newer = await store().claim(admin, ['active'], 300, 'newer');
    releaseOlder();
    expect(newer).toEqual({ claimed: ['active'], stale: [] });
    expect(await older).toEqual({ claimed: ['name'], stale: ['active'] });
    expect(await store().versions(admin)).toEqual({
      active: { timeMs: 300, eventId: 'newer' },
      name: { timeMs: 200, eventId: 'older' },
    });
  });

  it('many concurrent claims: the newest always wins and is what remains recorded', async () => {
    const s = store();
    const admin = newAdmin();
    const times = [7, 3, 12, 1, 9, 12, 5, 11, 2, 8, 4, 10, 6];
    const results = await Promise.all(times.map((t, i) => s.claim(admin, ['active', 'name'], t, `e${i}-${t}`)));
    results.forEach((r, i) => {
      if (times[i] === 12) expect(r).toEqual({ claimed: ['active', 'name'], stale: [] });
    });
    const versions = await s.versions(admin);
    expect(versions.active?.timeMs).toBe(12);
    expect(versions.name?.timeMs).toBe(12);
  });

  it('keeps admins of different accounts apart', async () => {
    const s = store();
    const { adminUserId } = newAdmin();
    await s.claim({ accountId: 1, adminUserId }, ['active'], 500, 'child-1');
    expect(await s.claim({ adminUserId }, ['active'], 100, 'main')).toEqual({ claimed: ['active'], stale: [] });
    expect(await s.claim({ accountId: 2, adminUserId }, ['active'], 100, 'child-2')).toEqual({
      claimed: ['active'],
      stale: [],
    });
    expect(await s.claim({ accountId: 1, adminUserId }, ['active'], 400, 'child-1-late')).toEqual({
      claimed: [],
      stale: ['active'],
    });
  });

  it('claims nothing for no attributes, and takes each attribute once', async () => {
    const s = store();
    const admin = newAdmin();
    expect(await s.claim(admin, [], 100, 'e')).toEqual({ claimed: [], stale: [] });
    expect(await s.versions(admin)).toEqual({});
    expect(await s.claim(admin, ['password', 'password'], 100, 'e')).toEqual({ claimed: ['password'], stale: [] });
  });

  it('rejects a time that is not a number', async () => {
    await expect(store().claim(newAdmin(), ['active'], Number.NaN, 'e')).rejects.toBeInstanceOf(RangeError);
  });
});
