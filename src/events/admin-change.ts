import { createHash } from 'node:crypto';
import { orderingTimeMs } from '../ordering/ordering-rule';
import type { AdminChangeEvent } from './admin-change-event';
import { idempotencyKey } from './idempotency-key';

/** Who a change is about. Exactly one of `adminUserId` and `adminUserName` is set. */
export interface AdminTarget {
  accountId?: number;
  adminUserId?: number;
  adminUserName?: string;
}

/** The attributes of an admin user a change can set; each is ordered on its own (docs/CONTRACT.md#ordering). */
export interface AdminAttributes {
  active?: boolean;
  name?: string;
  displayName?: string;
  /** Only SCIM and rotation set passwords; events never carry one (docs/CONTRACT.md#events). */
  password?: string;
}

export type AdminAttribute = keyof AdminAttributes;

/**
 * The one internal shape every source becomes before it is applied: the worker builds it from a CloudEvent,
 * SCIM from a request. The apply step knows nothing else.
 */
export interface AdminChange {
  idempotencyKey: string;
  /** Fingerprint of what the change does; the same key with another fingerprint is refused. Never holds a password. */
  fingerprint: string;
  eventId: string;
  source: string;
  type: string;
  /** RFC 3339 as sent. */
  time: string;
  /** The ordering time: `time` capped by the moment the bridge accepted the change (src/ordering/ordering-rule.ts). */
  timeMs: number;
  target: AdminTarget;
  set: AdminAttributes;
}

export function changeFingerprint(type: string, time: string, target: AdminTarget, set: AdminAttributes): string {
  const { password, ...rest } = set;
  // The password itself never enters a hash we store: SHA-256 of a short password is guessable.
  const material = JSON.stringify([type, Date.parse(time), target, rest, password === undefined ? 0 : 1]);
  return createHash('sha256').update(material, 'utf8').digest('hex');
}

export function targetOf(data: { admin_user_id?: number; admin_user_name?: string; account_id?: number }): AdminTarget {
  const target: AdminTarget = {};
  if (data.account_id !== undefined) target.accountId = data.account_id;
  if (data.admin_user_id !== undefined) target.adminUserId = data.admin_user_id;
  if (data.admin_user_name !== undefined) target.adminUserName = data.admin_user_name;
  return target;
}

function attributesOf(event: AdminChangeEvent): AdminAttributes {
  switch (event.type) {
    case 'admin.deactivated':
      return { active: false };
    case 'admin.activated':
      return { active: true };
    case 'admin.renamed':
      return {
        name: event.data.new_admin_user_name,
        ...(event.data.admin_user_display_name !== undefined && { displayName: event.data.admin_user_display_name }),
      };
    case 'admin.updated':
      return {
        ...(event.data.new_admin_user_name !== undefined && { name: event.data.new_admin_user_name }),
        ...(event.data.admin_user_display_name !== undefined && { displayName: event.data.admin_user_display_name }),
        ...(event.data.admin_user_active !== undefined && { active: event.data.admin_user_active }),
      };
  }
}

/**
 * `acceptedAtMs`: the acceptance bounds the caller knows (the ingress's `accepted_at`, SQS's `SentTimestamp`, or
 * "now" for a dry run); the ordering time is the earliest of them and the event's `time`.
 */
export function adminChangeFromEvent(
  event: AdminChangeEvent,
  ...acceptedAtMs: readonly (number | undefined)[]
): AdminChange {
  const target = targetOf(event.data);
  const set = attributesOf(event);
  return {
    idempotencyKey: idempotencyKey(event.source, event.id),
    fingerprint: changeFingerprint(event.type, event.time, target, set),
    eventId: event.id,
    source: event.source,
    type: event.type,
    time: event.time,
    timeMs: orderingTimeMs(Date.parse(event.time), ...acceptedAtMs),
    target,
    set,
  };
}
