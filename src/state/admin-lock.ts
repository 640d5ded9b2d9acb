import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { deleteIfOurs, isConditionalCheckFailed } from './conditional-check';
import { accountSegment, type ItemKey } from './keys';
import type { AdminRef } from './ordering-store';

/**
 * A short per-admin lease held from the read of the ordering versions until the Voximplant call has finished and
 * its versions are recorded.
 *
 * The ordering versions alone do not stop two changes to one admin from being in flight at once when they travel in
 * different FIFO groups (one names the admin by id, the other by name) or when SCIM and the worker meet: an
 * activation checked at t1 could reach Voximplant after a deactivation checked at t2 > t1 and re-enable the
 * account. Holding this lease around check + call + record makes those writes one at a time per admin.
 *
 * Item: pk `admin#<account>#<id>`, sk `lock` (the admin partition of keys.ts), `owner`, `lease_expires_at` (epoch
 * ms), `expires_at` (epoch s, for TTL clean-up). A holder that dies loses the lease when it expires, and its lease
 * never outlives the holder's own deadline.
 */
export function adminLockItemKey(admin: AdminRef): ItemKey {
  return { pk: `admin#${accountSegment(admin.accountId)}#${admin.adminUserId}`, sk: 'lock' };
}

/**
 * The per-admin lease, whatever keeps it: `tryAcquire` wins when nobody holds the lease, the holder's lease has run
 * out, or `owner` already holds it; `release` gives it back only for its owner.
 */
export interface AdminLock {
  tryAcquire(admin: AdminRef, owner: string, leaseMs: number): Promise<boolean>;
  release(admin: AdminRef, owner: string): Promise<void>;
}

export class DynamoAdminLock implements AdminLock {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes the lease for `owner` (a change's idempotency key). True when taken, or already held by the same owner. */
  async tryAcquire(admin: AdminRef, owner: string, leaseMs: number): Promise<boolean> {
    const now = this.now();
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...adminLockItemKey(admin),
            owner,
            lease_expires_at: now + leaseMs,
            expires_at: Math.ceil((now + leaseMs) / 1000) + 86_400,
          },
          ConditionExpression: 'attribute_not_exists(pk) OR lease_expires_at < :now OR #owner = :owner',
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: { ':now': now, ':owner': owner },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  /** Gives the lease back; only its owner can. A lost release is harmless: the lease expires. */
  async release(admin: AdminRef, owner: string): Promise<void> {
    await deleteIfOurs(this.doc, {
      TableName: this.tableName,
      Key: adminLockItemKey(admin),
      ConditionExpression: '#owner = :owner',
      ExpressionAttributeNames: { '#owner': 'owner' },
      ExpressionAttributeValues: { ':owner': owner },
    });
  }
}
