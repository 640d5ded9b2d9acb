import type { AdminAttribute, AdminAttributes } from '../events/admin-change';

/**
 * The ordering rule, in one place: the worker, SCIM, DRY_RUN and `plan` all decide with these two functions.
 *
 * 1. The time that orders a change is never later than the moment the bridge accepted it:
 *    ordering time = min(the sender's `time`, every acceptance bound we know). A sender's clock therefore never
 *    outranks ours: a `time` in the future buys nothing, because acceptance caps it.
 * 2. Per attribute, a change is stale when the last applied change of that attribute has a later ordering time.
 *    On equal times a deactivation wins: an activation is stale against an applied deactivation of the same time,
 *    and a deactivation applies over an activation of the same time. Other equal times apply (last writer wins,
 *    under the per-admin lease). A redelivery of the very change that was applied (same source and id) is never
 *    stale, so a change whose outcome was lost in a crash can be applied again.
 */
export function orderingTimeMs(eventTimeMs: number, ...acceptedAtMs: readonly (number | undefined)[]): number {
  let time = eventTimeMs;
  for (const bound of acceptedAtMs) if (bound !== undefined && Number.isFinite(bound) && bound < time) time = bound;
  return time;
}

/** What is remembered of the last applied change of one attribute (never a password: only its version). */
export interface AttributeVersion {
  timeMs: number;
  eventId: string;
  /** Absent on items written before the source was stored. */
  source?: string;
  /** The value applied; absent for the password, and on items written before values were stored. */
  value?: boolean | string;
}

export interface OrderedChange {
  timeMs: number;
  eventId: string;
  source: string;
  set: AdminAttributes;
}

export function isStale(attribute: AdminAttribute, change: OrderedChange, applied: AttributeVersion | undefined) {
  if (applied === undefined) return false;
  if (applied.eventId === change.eventId && (applied.source === undefined || applied.source === change.source)) {
    return false;
  }
  if (applied.timeMs !== change.timeMs) return applied.timeMs > change.timeMs;
  if (attribute === 'active' && change.set.active === true) {
    // An applied value we do not know (an item from before values were stored) counts as a deactivation.
    return applied.value !== true;
  }
  return false;
}

export interface StaleSplit {
  apply: AdminAttribute[];
  stale: AdminAttribute[];
}

export function splitStale(
  wanted: readonly AdminAttribute[],
  change: OrderedChange,
  versions: Partial<Record<AdminAttribute, AttributeVersion>>,
): StaleSplit {
  const stale = wanted.filter((a) => isStale(a, change, versions[a]));
  return { apply: wanted.filter((a) => !stale.includes(a)), stale };
}
