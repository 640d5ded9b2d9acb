import type { AdminAttribute } from '../events/admin-change';
import type { AttributeVersion, OrderedChange } from '../ordering/ordering-rule';
import { StateError } from './errors';

/**
 * The one item per admin (keys.ts `admin#<account>#<id>`, `order`): per attribute the last change Voximplant took,
 * the pending marks of a change sent with its outcome unknown, and the per-admin lease. Names and parsing live here
 * so the ordering store and the change store read and write the same attributes.
 */
export const ORDERED_ATTRIBUTES = [
  'active',
  'name',
  'displayName',
  'password',
] as const satisfies readonly AdminAttribute[];

export const timeAttr = (a: AdminAttribute) => `${a}_time_ms`;
export const eventAttr = (a: AdminAttribute) => `${a}_event_id`;
export const sourceAttr = (a: AdminAttribute) => `${a}_source`;
export const valueAttr = (a: AdminAttribute) => `${a}_value`;
export const PENDING_FIELDS = ['time_ms', 'event_id', 'source', 'value', 'marked_at'] as const;
export const pendingAttr = (a: AdminAttribute, field: (typeof PENDING_FIELDS)[number]) => `${a}_pending_${field}`;
export const LEASE_OWNER = 'lease_owner';
export const LEASE_EXPIRES_AT = 'lease_expires_at';

export type AttributeVersions = Partial<Record<AdminAttribute, AttributeVersion>>;

/** The versions Voximplant took, and the changes sent to it whose outcome is not known yet. */
export interface OrderingState {
  applied: AttributeVersions;
  pending: Partial<Record<AdminAttribute, AttributeVersion & { markedAtMs: number }>>;
}

/** Who holds the per-admin lease (a change's idempotency key) and until when (epoch ms). */
export interface AdminLease {
  owner: string;
  expiresAtMs: number;
}

export interface AdminState extends OrderingState {
  lease?: AdminLease;
}

/** The value a version or mark stores for an attribute: never the password, whose version alone is kept. */
export function storedValue(a: AdminAttribute, change: OrderedChange): boolean | string | undefined {
  return a === 'password' ? undefined : change.set[a];
}

/** Reads an admin item (or its absence) into versions, marks and lease; a malformed item is an error, not a guess. */
export function readAdminState(adminUserId: number, item: Record<string, unknown> | undefined): AdminState {
  const it = item ?? {};
  const pendingVersions = readVersions(
    adminUserId,
    it,
    (a) => pendingAttr(a, 'time_ms'),
    (a) => pendingAttr(a, 'event_id'),
    (a) => pendingAttr(a, 'source'),
    (a) => pendingAttr(a, 'value'),
  );
  const pending: OrderingState['pending'] = {};
  for (const [a, v] of Object.entries(pendingVersions) as [AdminAttribute, AttributeVersion][]) {
    const markedAt = it[pendingAttr(a, 'marked_at')];
    pending[a] = { ...v, markedAtMs: typeof markedAt === 'number' ? markedAt : 0 };
  }
  const state: AdminState = {
    applied: readVersions(adminUserId, it, timeAttr, eventAttr, sourceAttr, valueAttr),
    pending,
  };
  const owner = it[LEASE_OWNER];
  const expires = it[LEASE_EXPIRES_AT];
  if (typeof owner === 'string' && typeof expires === 'number') state.lease = { owner, expiresAtMs: expires };
  return state;
}

function readVersions(
  adminUserId: number,
  item: Record<string, unknown>,
  timeName: (a: AdminAttribute) => string,
  eventName: (a: AdminAttribute) => string,
  sourceName: (a: AdminAttribute) => string,
  valueName: (a: AdminAttribute) => string,
): AttributeVersions {
  const versions: AttributeVersions = {};
  for (const a of ORDERED_ATTRIBUTES) {
    const timeMs = item[timeName(a)];
    const eventId = item[eventName(a)];
    const source = item[sourceName(a)];
    const value = item[valueName(a)];
    if (timeMs === undefined) continue;
    const wellFormed =
      typeof timeMs === 'number' &&
      typeof eventId === 'string' &&
      (source === undefined || typeof source === 'string') &&
      (value === undefined || typeof value === (a === 'active' ? 'boolean' : 'string'));
    if (!wellFormed) {
      throw new StateError('state_record_malformed', `ordering versions of admin ${adminUserId} are malformed`);
    }
    versions[a] = {
      timeMs,
      eventId,
      ...(source !== undefined && { source: source as string }),
      ...(value !== undefined && { value: value as boolean | string }),
    };
  }
  return versions;
}
