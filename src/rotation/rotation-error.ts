import { BridgeError, type RetryClass } from '../errors/bridge-error';

/**
 * Why a rotation step failed, as a stable code (callers and alarms branch on it, people read the message).
 * - `invalid_event`: the invocation is not a Secrets Manager rotation event.
 * - `rotation_disabled`, `unknown_version`, `not_pending`: the guard refused the step (docs/CONTRACT.md#rotation);
 *   nothing changed.
 * - `no_current`: the secret has no AWSCURRENT value to rotate from.
 * - `no_pending_value`: a step after createSecret found the AWSPENDING version still without a value.
 * - `secret_malformed`: a version's value does not have the shape this rotation needs (placeholder, hand edit).
 * - `identity_changed`: AWSPENDING names another admin or account than AWSCURRENT.
 * - `admin_not_found`: the admin user of the secret does not exist (by id).
 * - `password_refused`: the admin login refused the pending password.
 * - `key_refused`, `account_mismatch`, `missing_access`: the pending key does not work, works for another account,
 *   or cannot call everything the current key can.
 * - `secrets_manager`: a Secrets Manager call failed; `voximplant`: a Voximplant call failed.
 * - `config_invalid`: the function's environment is wrong; `internal`: anything else (a bug).
 * Messages name secrets by id and versions by id, never a value.
 */
export type RotationErrorCode =
  | 'invalid_event'
  | 'rotation_disabled'
  | 'unknown_version'
  | 'not_pending'
  | 'no_current'
  | 'no_pending_value'
  | 'secret_malformed'
  | 'identity_changed'
  | 'admin_not_found'
  | 'password_refused'
  | 'key_refused'
  | 'account_mismatch'
  | 'missing_access'
  | 'secrets_manager'
  | 'voximplant'
  | 'config_invalid'
  | 'internal';

/**
 * Secrets Manager decides about retrying a rotation, not the function; `retry` still says what the failure was
 * (the cause's class when it wraps one, permanent for a refusal of the guard or of the new credentials).
 */
export class RotationError extends BridgeError {
  declare readonly code: RotationErrorCode;

  constructor(code: RotationErrorCode, message: string, options?: { cause?: unknown; retry?: RetryClass }) {
    super(code, message, {
      retry: options?.retry ?? 'permanent',
      ...(options?.cause === undefined ? {} : { cause: options.cause }),
    });
    this.name = 'RotationError';
  }
}
