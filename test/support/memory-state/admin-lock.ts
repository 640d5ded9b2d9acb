import type { AdminLock } from '../../../src/state/admin-lock';
import { accountSegment } from '../../../src/state/keys';
import type { AdminRef } from '../../../src/state/ordering-store';

const keyOf = (admin: AdminRef) => `${accountSegment(admin.accountId)}#${admin.adminUserId}`;

/** The per-admin lease in a Map, with the DynamoDB lock's condition: free, run out, or already ours. */
export class MemoryAdminLock implements AdminLock {
  readonly leases = new Map<string, { owner: string; leaseExpiresAt: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  async tryAcquire(admin: AdminRef, owner: string, leaseMs: number): Promise<boolean> {
    const now = this.now();
    const held = this.leases.get(keyOf(admin));
    if (held !== undefined && !(held.leaseExpiresAt < now) && held.owner !== owner) return false;
    this.leases.set(keyOf(admin), { owner, leaseExpiresAt: now + leaseMs });
    return true;
  }

  async release(admin: AdminRef, owner: string): Promise<void> {
    if (this.leases.get(keyOf(admin))?.owner === owner) this.leases.delete(keyOf(admin));
  }
}
