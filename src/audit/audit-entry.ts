import * as z from 'zod';

/**
 * One outcome in an admin's audit history (docs/OPERATIONS.md#audit-history). Every change the worker or SCIM decides
 * leaves one (a duplicate delivery does not: its first delivery already did), and so does every drift the reconcile
 * run finds and every repair it makes.
 *
 * - applied, stale, rejected, failed: the apply step's outcomes (docs/CONTRACT.md#applying-a-change);
 * - held: handed back to be retried later (a transient failure, the lease of another change, no time left);
 * - drift: Voximplant holds another value than the one the bridge last applied;
 * - repaired: the value the bridge last applied was applied again by the reconcile run.
 */
export const AUDIT_STATUSES = ['applied', 'stale', 'rejected', 'failed', 'held', 'drift', 'repaired'] as const;
export type AuditStatus = (typeof AUDIT_STATUSES)[number];

const isoTime = z.iso.datetime({ offset: true });

/** One attribute that differs between Voximplant and what the bridge last applied (never a password). */
export const driftedAttributeSchema = z.object({
  attribute: z.enum(['active', 'name', 'displayName']),
  desired: z.union([z.boolean(), z.string()]),
  live: z.union([z.boolean(), z.string()]),
});
export type DriftedAttribute = z.infer<typeof driftedAttributeSchema>;

export const auditEntrySchema = z.object({
  status: z.enum(AUDIT_STATUSES),
  /** `main`, or the child account's id (the spelling of src/state/keys.ts). */
  account: z.string().min(1),
  /** The admin's id as a string, or `name:<admin_user_name>` when the change was refused before it was resolved. */
  admin: z.string().min(1),
  admin_user_id: z.number().int().optional(),
  admin_user_name: z.string().optional(),
  /** Who made the change: the event's source, `urn:vox-admin-bridge:scim`, or `urn:vox-admin-bridge:reconcile`. */
  source: z.string().min(1),
  /** For a reconcile record: the source of the change whose value was restored (the ordering provenance). */
  original_source: z.string().optional(),
  event_id: z.string().min(1),
  idempotency_key: z.string().min(1),
  type: z.string().min(1),
  /** The change's own time as the sender wrote it (RFC 3339). */
  event_time: isoTime,
  /** When the bridge accepted the change (ingress `accepted_at`, SQS `SentTimestamp`, SCIM receive time). */
  accepted_at: isoTime.optional(),
  /** When Voximplant took the change (applied and repaired only). */
  applied_at: isoTime.optional(),
  /** When the bridge decided the outcome. */
  decided_at: isoTime,
  attempts: z.number().int().nonnegative(),
  /** Attribute names only: written, skipped as stale, or asked for (never a value, never a password). */
  attributes: z.array(z.string()),
  /** True when the change sets `active` to false: what the deactivation report lists. */
  deactivation: z.boolean(),
  error_code: z.string().optional(),
  drift: z.array(driftedAttributeSchema).optional(),
  /** The reconcile run that found or repaired the drift. */
  run_id: z.string().optional(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;
