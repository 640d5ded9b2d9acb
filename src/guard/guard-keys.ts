import { accountSegment, type ItemKey } from '../state/keys';
import type { GuardedKind } from './window-estimate';

/**
 * The guard's items in the state table (the layout of the other kinds is in src/state/keys.ts):
 * - window counter: `guard#<account>`, `<kind>#<bucket start ms>`; n N (changes counted), ids SS (their hold ids,
 *   so a retried change is not counted twice), expires_at two windows after the bucket ends.
 * - held change: `held`, `<account>#<admin_user_id>#<hold id>`; the change and why it is held (held-store.ts); never
 *   expires. One partition for every held change: listing and releasing read it whole, and the per-admin prefix
 *   finds an admin's held changes with one Query. Held changes are the exception (a burst), not the traffic.
 */
export function windowItemKey(accountId: number | undefined, kind: GuardedKind, bucketStartMs: number): ItemKey {
  return { pk: `guard#${accountSegment(accountId)}`, sk: `${kind}#${bucketStartMs}` };
}

export const HELD_PK = 'held';

export function heldAdminPrefix(accountId: number | undefined, adminUserId: number): string {
  return `${accountSegment(accountId)}#${adminUserId}#`;
}

export function heldItemKey(accountId: number | undefined, adminUserId: number, holdId: string): ItemKey {
  return { pk: HELD_PK, sk: `${heldAdminPrefix(accountId, adminUserId)}${holdId}` };
}
