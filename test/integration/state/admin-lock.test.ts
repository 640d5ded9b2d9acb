import { describe, expect, it } from 'vitest';
import { DynamoAdminLock } from '../../../src/state/admin-lock';
import { useStateTable } from '../../support/dynamo';

const table = useStateTable();

describe('AdminLock (the per-admin lease around claim + call)', () => {
  it('lets one owner at a time hold an admin, per account', async () => {
    const lock = new DynamoAdminLock(table.doc, table.tableName);
    const admin = { adminUserId: 7 };
    expect(await lock.tryAcquire(admin, 'change-a', 60_000)).toBe(true);
    expect(await lock.tryAcquire(admin, 'change-b', 60_000)).toBe(false);
    // The same change again (a redelivery of the holder) may go on.
    expect(await lock.tryAcquire(admin, 'change-a', 60_000)).toBe(true);
    // Another admin, or the same id in a child account, is another lease.
    expect(await lock.tryAcquire({ adminUserId: 8 }, 'change-b', 60_000)).toBe(true);
    expect(await lock.tryAcquire({ accountId: 42, adminUserId: 7 }, 'change-b', 60_000)).toBe(true);
  });

  it('gives the lease back only for its owner', async () => {
    const lock = new DynamoAdminLock(table.doc, table.tableName);
    const admin = { adminUserId: 17 };
    await lock.tryAcquire(admin, 'holder', 60_000);
    await lock.release(admin, 'someone-else');
    expect(await lock.tryAcquire(admin, 'next', 60_000)).toBe(false);
    await lock.release(admin, 'holder');
    expect(await lock.tryAcquire(admin, 'next', 60_000)).toBe(true);
  });

  it('lets a lease whose holder died expire', async () => {
    let now = 1_000_000;
    const lock = new DynamoAdminLock(table.doc, table.tableName, () => now);
    const admin = { adminUserId: 27 };
    expect(await lock.tryAcquire(admin, 'dead-holder', 5_000)).toBe(true);
    now += 4_999;
    expect(await lock.tryAcquire(admin, 'next', 5_000)).toBe(false);
    now += 2;
    expect(await lock.tryAcquire(admin, 'next', 5_000)).toBe(true);
  });
});
