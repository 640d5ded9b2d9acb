import { type OrderedChange, splitStale } from '../../../src/ordering/ordering-rule';
import { accountSegment } from '../../../src/state/keys';
import type {
  AdminRef,
  AttributeVersion,
  AttributeVersions,
  OrderedAttribute,
  OrderingState,
  OrderingStore,
  RecordResult,
} from '../../../src/state/ordering-store';

const ORDER: readonly OrderedAttribute[] = ['active', 'name', 'displayName', 'password'];

const keyOf = (admin: AdminRef) => `${accountSegment(admin.accountId)}#${admin.adminUserId}`;

/** What the table keeps of a change: never a password, only its version. */
function versionOf(a: OrderedAttribute, change: OrderedChange): AttributeVersion {
  const value = a === 'password' ? undefined : change.set[a];
  return {
    timeMs: change.timeMs,
    eventId: change.eventId,
    source: change.source,
    ...(value !== undefined && { value }),
  };
}

/**
 * Ordering versions and pending marks in a Map. `record` applies the ordering rule (splitStale) against what is
 * stored at that moment, as the table's conditional write does, so an overtaken attribute keeps the newer version.
 */
export class MemoryOrderingStore implements OrderingStore {
  readonly admins = new Map<string, OrderingState>();

  private entry(admin: AdminRef): OrderingState {
    let state = this.admins.get(keyOf(admin));
    if (state === undefined) {
      state = { applied: {}, pending: {} };
      this.admins.set(keyOf(admin), state);
    }
    return state;
  }

  async record(admin: AdminRef, attributes: readonly OrderedAttribute[], change: OrderedChange): Promise<RecordResult> {
    if (!Number.isFinite(change.timeMs)) throw new RangeError('timeMs must be a finite epoch time in milliseconds');
    const wanted = ORDER.filter((a) => attributes.includes(a));
    const state = this.entry(admin);
    const { apply, stale } = splitStale(wanted, change, state.applied);
    for (const a of apply) state.applied[a] = versionOf(a, change);
    return { recorded: apply, overtaken: stale };
  }

  async versions(admin: AdminRef): Promise<AttributeVersions> {
    return (await this.state(admin)).applied;
  }

  async state(admin: AdminRef): Promise<OrderingState> {
    const state = this.admins.get(keyOf(admin));
    // A copy, as a read from the table is: the caller cannot change what is stored.
    return state === undefined ? { applied: {}, pending: {} } : structuredClone(state);
  }

  async markPending(
    admin: AdminRef,
    attributes: readonly OrderedAttribute[],
    change: OrderedChange,
    nowMs: number,
  ): Promise<void> {
    const state = this.entry(admin);
    for (const a of attributes) state.pending[a] = { ...versionOf(a, change), markedAtMs: nowMs };
  }

  async clearPending(admin: AdminRef, attributes: readonly OrderedAttribute[], eventId: string): Promise<void> {
    const state = this.admins.get(keyOf(admin));
    if (state === undefined) return;
    for (const a of attributes) if (state.pending[a]?.eventId === eventId) delete state.pending[a];
  }
}
