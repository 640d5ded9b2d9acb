import { createHash } from 'node:crypto';
import * as z from 'zod';
import type { AdminChange } from '../events/admin-change';

/**
 * The source of SCIM changes (docs/CONTRACT.md#scim). Their idempotency key is new for every request, also for an
 * IdP's retry of the same request (src/scim/apply-scim-change.ts says why), so a held SCIM change is recognised by
 * what it does instead.
 */
export const SCIM_SOURCE = 'urn:vox-admin-bridge:scim';

/**
 * What identifies a held change, so a redelivery or a retry finds it instead of adding a second one:
 * - an event's idempotency key (its `source` + `id`);
 * - for SCIM, a hash of the admin and the attributes it sets (the password only as "one was sent"): Entra ID and
 *   Okta retry a request that was not answered with success, each time as a new request.
 */
export function holdIdOf(change: AdminChange): string {
  if (change.source !== SCIM_SOURCE) return change.idempotencyKey;
  const { password, ...set } = change.set;
  const material = JSON.stringify([
    change.source,
    change.target.accountId ?? null,
    change.target.adminUserId ?? null,
    change.target.adminUserName ?? null,
    Object.entries(set).sort(([a], [b]) => a.localeCompare(b)),
    password === undefined ? 0 : 1,
  ]);
  return `scim-${createHash('sha256').update(material, 'utf8').digest('hex')}`;
}

/** The change as it is stored: everything applyChange needs, never a password (see heldChangeOf). */
export const storedChangeSchema = z.object({
  idempotencyKey: z.string().min(1),
  fingerprint: z.string().min(1),
  eventId: z.string().min(1),
  source: z.string().min(1),
  type: z.string().min(1),
  time: z.string().min(1),
  timeMs: z.number().int(),
  target: z.strictObject({
    accountId: z.number().int().optional(),
    adminUserId: z.number().int().optional(),
    adminUserName: z.string().optional(),
  }),
  set: z.strictObject({
    active: z.boolean().optional(),
    name: z.string().optional(),
    displayName: z.string().optional(),
  }),
});

export const HOLD_REASONS = {
  activations: 'guard_activations',
  deactivations: 'guard_deactivations',
  behindHeld: 'guard_behind_held_change',
} as const;
export type HoldReasonCode = (typeof HOLD_REASONS)[keyof typeof HOLD_REASONS];

export const heldChangeSchema = z.object({
  hold_id: z.string().min(1),
  admin_user_id: z.number().int(),
  kind: z.enum(['activation', 'deactivation']),
  reason_code: z.enum([HOLD_REASONS.activations, HOLD_REASONS.deactivations, HOLD_REASONS.behindHeld]),
  reason: z.string(),
  held_at: z.string(),
  /** The password of a SCIM request is never stored; the IdP's retry after the release sends it again. */
  password_dropped: z.boolean(),
  change: storedChangeSchema,
});
export type HeldChange = z.infer<typeof heldChangeSchema>;

/** The change as applyChange takes it again on release. */
export function changeOf(held: HeldChange): AdminChange {
  const { target, set, ...rest } = held.change;
  return { ...rest, target: { ...target }, set: { ...set } };
}

export function heldChangeOf(
  change: AdminChange,
  adminUserId: number,
  hold: { kind: HeldChange['kind']; reasonCode: HoldReasonCode; reason: string; at: number },
): HeldChange {
  const { password, ...set } = change.set;
  return {
    hold_id: holdIdOf(change),
    admin_user_id: adminUserId,
    kind: hold.kind,
    reason_code: hold.reasonCode,
    reason: hold.reason,
    held_at: new Date(hold.at).toISOString(),
    password_dropped: password !== undefined,
    change: storedChangeSchema.parse({ ...change, set }),
  };
}

/** Release order: ordering time, then the hold id, so every reader sees one order. */
export function byOrderingTime(a: HeldChange, b: HeldChange): number {
  return a.change.timeMs - b.change.timeMs || (a.hold_id < b.hold_id ? -1 : a.hold_id > b.hold_id ? 1 : 0);
}
