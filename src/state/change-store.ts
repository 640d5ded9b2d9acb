import type { AdminAttribute } from '../events/admin-change';
import type { OrderedChange } from '../ordering/ordering-rule';
import type { AdminState } from './admin-item';
import type { BeginResult } from './idempotency-store';
import type { AdminRef } from './ordering-store';

/**
 * What a change asks for before it is sent to Voximplant: its idempotency record (in progress, with a lease) and,
 * on the admin's item, the per-admin lease and a pending mark for each attribute, granted only when every attribute
 * is not stale under the ordering rule, no pending mark of another change holds it back, and an activation is one
 * REACTIVATION_SOURCES allows. All of it or none of it.
 */
export interface ChangeClaim {
  key: string;
  fingerprint: string;
  /** How long the idempotency record and the admin's lease are ours (ms); at most the caller's remaining time. */
  leaseMs: number;
  admin: AdminRef;
  /** The attributes to send; the claim is refused when any of them is stale. */
  attributes: readonly AdminAttribute[];
  change: OrderedChange;
  /** The change's source is listed in REACTIVATION_SOURCES: it may re-activate what another source deactivated. */
  reactivationListed: boolean;
  /** Pending marks made before this time (epoch ms) no longer hold a change back: their holder gave up. */
  pendingCutoffMs: number;
}

export type ClaimAnswer<O> =
  | { state: 'claimed' }
  | Exclude<BeginResult<O>, { state: 'started' }>
  /** The admin's item did not allow the claim (stale, pending, refused re-activation or lease busy): it is here. */
  | { state: 'refused'; admin: AdminState }
  /** Another writer held the admin (a lease of the earlier table layout, or a transaction in flight on the item). */
  | { state: 'busy' };

/** What Voximplant took: the versions to store for `attributes`, and the outcome to record under the key. */
export interface ChangeSettlement<O> {
  key: string;
  fingerprint: string;
  admin: AdminRef;
  attributes: readonly AdminAttribute[];
  change: OrderedChange;
  outcome: O;
}

/** A claimed change that ends without being settled: the key and the lease are given back. */
export interface ChangeRelease {
  key: string;
  fingerprint: string;
  admin: AdminRef;
  attributes: readonly AdminAttribute[];
  eventId: string;
  /**
   * Remove this change's pending marks too: true when nothing can have landed in Voximplant (refused for good, or
   * never sent); false when the outcome is unknown, so the mark keeps older changes waiting until a retry settles it.
   */
  clearPending: boolean;
}

/**
 * The apply step's state, in as few round trips as the rules allow: `claim` before the Voximplant call, `settle`
 * after it (outcome, versions, marks and lease in one step), `release` when a claimed change ends otherwise, and
 * `closeUnclaimed` for an outcome decided from the admin's item alone (every attribute stale).
 */
export interface ChangeStore<O> {
  /**
   * What the key's record answers before anything is claimed (one consistent read): a duplicate, a change in
   * progress elsewhere or another payload, or undefined when the change is new. For changes that must resolve a
   * name before they can claim, so a duplicate calls nothing.
   */
  peek(key: string, fingerprint: string): Promise<Exclude<BeginResult<O>, { state: 'started' }> | undefined>;
  claim(claim: ChangeClaim): Promise<ClaimAnswer<O>>;
  /** Returns the attributes a newer change recorded meanwhile (only when this change's lease ran out mid-call). */
  settle(settlement: ChangeSettlement<O>): Promise<{ overtaken: AdminAttribute[] }>;
  release(release: ChangeRelease): Promise<void>;
  closeUnclaimed(key: string, fingerprint: string, outcome: O): Promise<void>;
}
