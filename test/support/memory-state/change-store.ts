import type { AdminAttribute } from '../../../src/events/admin-change';
import { isStale } from '../../../src/ordering/ordering-rule';
import type { AdminState } from '../../../src/state/admin-item';
import type {
  ChangeClaim,
  ChangeRelease,
  ChangeSettlement,
  ChangeStore,
  ClaimAnswer,
} from '../../../src/state/change-store';
import { beginAnswerOf } from '../../../src/state/idempotency-store';
import { accountSegment } from '../../../src/state/keys';
import type { AdminRef } from '../../../src/state/ordering-store';
import type { MemoryIdempotencyStore } from './idempotency-store';
import type { MemoryOrderingStore } from './ordering-store';

const keyOf = (admin: AdminRef) => `${accountSegment(admin.accountId)}#${admin.adminUserId}`;

/**
 * The change store over the in-memory idempotency and ordering stores, with the lease in a Map. The claim's
 * condition is the table's (src/state/dynamo-change-store.ts), written in TypeScript: the lease free, run out or
 * ours; per attribute not stale and not held back by a pending mark; an activation allowed by REACTIVATION_SOURCES.
 * A refused claim leaves nothing behind, as a cancelled transaction does.
 */
export class MemoryChangeStore<O extends Record<string, unknown>> implements ChangeStore<O> {
  readonly leases = new Map<string, { owner: string; leaseExpiresAt: number }>();

  constructor(
    private readonly idempotency: MemoryIdempotencyStore<O>,
    private readonly ordering: MemoryOrderingStore,
    private readonly now: () => number = Date.now,
  ) {}

  async peek(key: string, fingerprint: string) {
    return beginAnswerOf(await this.idempotency.get(key), fingerprint, this.now());
  }

  async claim(c: ChangeClaim): Promise<ClaimAnswer<O>> {
    const now = this.now();
    const lease = this.leases.get(keyOf(c.admin));
    const state: AdminState = {
      ...(await this.ordering.state(c.admin)),
      ...(lease !== undefined && { lease: { owner: lease.owner, expiresAtMs: lease.leaseExpiresAt } }),
    };
    const begun = await this.idempotency.begin(c.key, c.fingerprint, c.leaseMs);
    if (begun.state !== 'started') return begun;
    if (!allows(state, c, now)) {
      await this.idempotency.release(c.key, c.fingerprint);
      return { state: 'refused', admin: state };
    }
    this.leases.set(keyOf(c.admin), { owner: c.key, leaseExpiresAt: now + c.leaseMs });
    await this.ordering.markPending(c.admin, c.attributes, c.change, now);
    return { state: 'claimed' };
  }

  async settle(s: ChangeSettlement<O>): Promise<{ overtaken: AdminAttribute[] }> {
    const recorded = await this.ordering.record(s.admin, s.attributes, s.change);
    await this.ordering.clearPending(s.admin, s.attributes, s.change.eventId);
    this.releaseLease(s.admin, s.key);
    await this.idempotency.complete(s.key, s.fingerprint, s.outcome);
    return { overtaken: recorded.overtaken };
  }

  async release(r: ChangeRelease): Promise<void> {
    await this.idempotency.release(r.key, r.fingerprint);
    if (r.clearPending) await this.ordering.clearPending(r.admin, r.attributes, r.eventId);
    this.releaseLease(r.admin, r.key);
  }

  async closeUnclaimed(key: string, fingerprint: string, outcome: O): Promise<void> {
    if ((await this.idempotency.begin(key, fingerprint, 0)).state !== 'started') return;
    await this.idempotency.complete(key, fingerprint, outcome);
  }

  private releaseLease(admin: AdminRef, owner: string): void {
    if (this.leases.get(keyOf(admin))?.owner === owner) this.leases.delete(keyOf(admin));
  }
}

function allows(state: AdminState, c: ChangeClaim, now: number): boolean {
  const { lease } = state;
  if (lease !== undefined && !(lease.expiresAtMs < now) && lease.owner !== c.key) return false;
  for (const a of c.attributes) {
    if (isStale(a, c.change, state.applied[a])) return false;
    const mark = state.pending[a];
    if (mark !== undefined && !(mark.markedAtMs < c.pendingCutoffMs) && isStale(a, c.change, mark)) return false;
  }
  if (c.attributes.includes('active') && c.change.set.active === true && !c.reactivationListed) {
    const active = state.applied.active;
    if (active !== undefined && active.value !== true && active.source !== c.change.source) return false;
  }
  return true;
}
