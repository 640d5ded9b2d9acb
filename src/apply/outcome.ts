import * as z from 'zod';

/**
 * What happened to one change. It is stored on the idempotency record (so a duplicate gets the same answer) and
 * written to the audit log. `error_code` is the Voximplant code as a string, or one of ours
 * (docs/CONTRACT.md#dead-letters).
 */
export const recordedOutcomeSchema = z.object({
  /**
   * `held`: stored by the blast-radius guard (src/guard/) until an operator releases or discards it; never recorded
   * on the idempotency record, so a redelivery asks the guard again and finds it held.
   */
  status: z.enum(['applied', 'stale', 'rejected', 'failed', 'held']),
  admin_user_id: z.number().int().optional(),
  /** Attributes written (applied) or skipped as older than the last applied change (stale). */
  applied: z.array(z.string()).default([]),
  stale: z.array(z.string()).default([]),
  error_code: z.string().optional(),
  error_message: z.string().optional(),
  attempts: z.number().int().default(0),
  /** True when a timeout or dropped connection was resolved by re-reading the admin. */
  verified: z.boolean().default(false),
  at: z.string(),
});
export type RecordedOutcome = z.infer<typeof recordedOutcomeSchema>;

/** Error codes of our own (docs/CONTRACT.md#dead-letters), next to the Voximplant numeric codes. */
export const OUR_ERROR_CODES = {
  adminNotFound: 'admin_not_found',
  protectedAdmin: 'protected_admin',
  /** A rename (or a SCIM userName) onto a name that matches a protected admin's. */
  protectedName: 'protected_name',
  invalidEvent: 'invalid_event',
  payloadMismatch: 'payload_mismatch',
  /** An activation from a source REACTIVATION_SOURCES does not allow to undo another source's deactivation. */
  reactivationNotAllowed: 'reactivation_not_allowed',
} as const;

/**
 * The apply step's answer to its caller:
 * - `done`: finished for good (applied, stale, rejected or failed), recorded unless `recorded` is false;
 *   `duplicate` when the record already existed (nothing was called this time).
 * - `retry`: a transient problem; nothing is recorded, the caller redelivers (SQS) or answers 503 (SCIM).
 */
export type ApplyResult =
  | { kind: 'done'; outcome: RecordedOutcome; duplicate: boolean }
  | { kind: 'retry'; code: string; message: string; retryAfterMs?: number };

/** The fields of an outcome that every `audit` log line carries, whoever applied the change (worker or SCIM). */
export function outcomeAuditFields(outcome: RecordedOutcome, duplicate: boolean) {
  return {
    outcome: duplicate ? 'duplicate' : outcome.status,
    recorded_outcome: outcome.status,
    admin_user_id: outcome.admin_user_id,
    applied: outcome.applied,
    stale: outcome.stale,
    attempts: outcome.attempts,
    verified: outcome.verified,
    error_code: outcome.error_code,
    error_message: outcome.error_message,
  };
}
