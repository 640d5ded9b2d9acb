/**
 * What a failed call means for whoever retries it:
 * - `transient`: the platform failed, or the request never left; the same request later may succeed.
 * - `throttled`: we are too fast; retry, slower than for `transient`.
 * - `retry_after`: the server named the wait (416 "Repeat after N seconds").
 * - `auth`: the token or key was refused; refresh the credentials and the token once, then it is permanent.
 * - `ambiguous`: the request may or may not have been applied (timeout, dropped connection, the server's own
 *   resend heuristics); re-read before resending.
 * - `permanent`: the request itself is wrong or not allowed; repeating it cannot help.
 */
export type FailureKind = 'transient' | 'throttled' | 'retry_after' | 'auth' | 'ambiguous' | 'permanent';

/** What a permanent code says is wrong with the request, for callers that answer someone else (SCIM). */
export type Refusal =
  | 'admin_not_found'
  | 'name_taken'
  | 'name_invalid'
  | 'display_name_invalid'
  | 'password_policy'
  | 'role_unknown';

export interface VoximplantErrorCode {
  /** The constant's name in the official apiclient-php `src/Enum/Errors.php`. */
  name: string;
  kind: FailureKind;
  /** What it means, and why it has its kind. */
  meaning: string;
  refuses?: Refusal;
  /** What an operator changes to fix it (`doctor`). */
  fix?: string;
}

/** Voximplant's list of Management API error codes and their meanings, as its official PHP client ships it. */
export const VOXIMPLANT_ERROR_CODES_SOURCE =
  'https://github.com/voximplant/apiclient-php/blob/HEAD/src/Enum/Errors.php';

/**
 * Every Management API error code that matters to the bridge: the one table the client (kind), the SCIM mapping
 * (refuses) and `doctor` (fix) read. Codes and names are from Voximplant's official PHP client
 * (VOXIMPLANT_ERROR_CODES_SOURCE) and the API reference,
 * https://voximplant.com/docs/references/httpapi. Codes that are not listed are permanent (classifyErrorCode): an
 * error we have not studied must not be hammered.
 */
export const VOXIMPLANT_ERROR_CODES: Readonly<Record<number, VoximplantErrorCode>> = Object.freeze({
  1: { name: 'FATAL_ERROR', kind: 'transient', meaning: 'a platform fault, not the fault of the request' },
  2: { name: 'INTERNAL_ERROR', kind: 'transient', meaning: 'a platform fault, not the fault of the request' },
  4: { name: 'DB_ERROR', kind: 'transient', meaning: 'a platform fault, not the fault of the request' },
  13: {
    name: 'INTERNAL_CONFIGURATION_ERROR',
    kind: 'transient',
    meaning: 'a platform fault, not the fault of the request',
  },
  162: { name: 'TRY_LATER', kind: 'transient', meaning: '"try later..": explicitly temporary' },
  314: {
    name: 'CONCURRENT_RESOURCE_LIMIT_EXCEEDED',
    kind: 'transient',
    meaning: 'clears as in-flight work finishes (our inference from the name)',
  },
  230: {
    name: 'ACCOUNT_PASSWORD_CHANGE_TEMPORARY_BLOCKED',
    kind: 'transient',
    meaning: '"password change is over. Try later": a temporary block',
  },
  340: {
    name: 'RATE_LIMIT_EXCEED',
    kind: 'throttled',
    meaning: 'too many requests; no Retry-After is documented, so back off exponentially, harder than for faults',
  },
  416: { name: 'RETRY_LATER', kind: 'retry_after', meaning: 'the msg names the wait ("Repeat after N seconds")' },
  100: {
    name: 'AUTHORIZATION_FAILED',
    kind: 'auth',
    meaning: 'wrong key, account or kid, or clock skew (apiclient-nodejs#19); one retry with fresh ones',
    fix: 'authorization failed: check account_id and key_id, that the key still exists (GetKeys), and the clock',
  },
  433: {
    name: 'INVALID_KEY_ID',
    kind: 'auth',
    meaning: 'the key was deleted or rotated; reloading the secret may bring the new key',
    fix: 'Voximplant does not know this key_id: the key was deleted or belongs to another account; create a new key',
  },
  455: {
    name: 'TOKEN_ISSUED_IN_FUTURE',
    kind: 'auth',
    meaning: 'clock skew; a fresh token is backdated (TokenSigner) and may pass',
    fix: "this machine's clock is ahead of Voximplant's: sync it (NTP)",
  },
  456: {
    name: 'TOKEN_EXPIRED',
    kind: 'auth',
    meaning: 'a fresh token fixes it unless the clock is badly off',
    fix: "this machine's clock is behind Voximplant's: sync it (NTP)",
  },
  454: {
    name: 'INVALID_TOKEN_TTL',
    kind: 'permanent',
    meaning: 'exp - iat above the maximum: our signing bug; a new token of the same shape fails the same way',
  },
  447: {
    name: 'INVALID_TOKEN_FORMAT',
    kind: 'permanent',
    meaning: 'our signing bug, or a private key that is not the one of key_id; a new token fails the same way',
    fix: 'the token was refused as malformed: is private_key the one issued with key_id?',
  },
  484: {
    name: 'HTTP_REQUEST_REJECTED',
    kind: 'ambiguous',
    meaning:
      '"probable automatic request resend": the server de-duplicates resends, an earlier attempt may have applied',
  },
  515: {
    name: 'SAME_OPERATION_LIMIT',
    kind: 'ambiguous',
    meaning: '"same operation has been performed recently": an earlier attempt may already have applied',
  },
  104: { name: 'FORBIDDEN_COMMAND', kind: 'permanent', meaning: 'the roles of the key lack the method' },
  // The official Node client 4.11 and Java client 2.8 no longer ship the admin-user methods.
  102: { name: 'MISSING_CMD', kind: 'permanent', meaning: 'a client bug, or the method was removed' },
  103: { name: 'UNKNOWN_COMMAND', kind: 'permanent', meaning: 'a client bug, or the method was removed' },
  12: { name: 'INVALID_FUNC_NAME', kind: 'permanent', meaning: 'a client bug, or the method was removed' },
  131: { name: 'ACCOUNT_ISNT_ACTIVATED', kind: 'permanent', meaning: 'the account is not activated' },
  527: { name: 'VPN_IS_NOT_ALLOWED', kind: 'permanent', meaning: 'the network the call comes from is refused' },
  101: { name: 'INVALID_ARGUMENTS', kind: 'permanent', meaning: 'validation' },
  134: { name: 'REQUIRED_IS_EMPTY', kind: 'permanent', meaning: 'validation' },
  458: { name: 'ONLY_ONE_OF_PARAMETERS', kind: 'permanent', meaning: 'validation' },
  485: { name: 'PARAMETER_CANT_BE_EMPTY', kind: 'permanent', meaning: 'validation' },
  492: { name: 'FORBIDDEN_PARAMETER', kind: 'permanent', meaning: 'validation' },
  496: { name: 'INVALID', kind: 'permanent', meaning: 'validation' },
  499: { name: 'TOO_LONG', kind: 'permanent', meaning: 'validation' },
  477: { name: 'LENGTH_EXCEEDED', kind: 'permanent', meaning: 'validation' },
  284: {
    name: 'INVALID_ADMIN_USER_ID',
    kind: 'permanent',
    meaning: '"user not found"',
    refuses: 'admin_not_found',
  },
  285: {
    name: 'INVALID_REQUIRED_ADMIN_USER_ID',
    kind: 'permanent',
    meaning: '"user not found"',
    refuses: 'admin_not_found',
  },
  286: {
    name: 'INVALID_REQUIRED_ADMIN_USER_NAME',
    kind: 'permanent',
    meaning: '"user not found"',
    refuses: 'admin_not_found',
  },
  287: {
    name: 'ADMIN_USER_NAME_TOO_LONG',
    kind: 'permanent',
    meaning: 'the admin user name is refused',
    refuses: 'name_invalid',
  },
  288: {
    name: 'ADMIN_USER_DISPLAY_NAME_TOO_LONG',
    kind: 'permanent',
    meaning: 'the display name is refused',
    refuses: 'display_name_invalid',
  },
  290: {
    name: 'DUPLICATE_ADMIN_USER_NAME',
    kind: 'permanent',
    meaning:
      'the name is not unique; after an ambiguous attempt it may be our own earlier rename (CONDITIONAL_AFTER_RESEND)',
    refuses: 'name_taken',
  },
  362: {
    name: 'INVALID_NEW_ADMIN_USER_NAME',
    kind: 'permanent',
    meaning: 'the new admin user name is refused',
    refuses: 'name_invalid',
  },
  289: {
    name: 'ADMIN_USER_COUNT_LIMIT_EXCEEDED',
    kind: 'permanent',
    meaning: 'the admin quota of the account is full',
  },
  112: {
    name: 'PASSWORD_LENGTH',
    kind: 'permanent',
    meaning: 'password policy',
    refuses: 'password_policy',
  },
  523: {
    name: 'PASSWORD_TOO_WEAK',
    kind: 'permanent',
    meaning: 'password policy',
    refuses: 'password_policy',
  },
  524: {
    name: 'WHITESPACES_NOT_ALLOWED',
    kind: 'permanent',
    meaning: 'password policy',
    refuses: 'password_policy',
  },
  535: {
    name: 'PASSWORD_WAS_ALREADY_USED',
    kind: 'permanent',
    meaning: 'password policy; after an ambiguous attempt it may be our own earlier change (CONDITIONAL_AFTER_RESEND)',
    refuses: 'password_policy',
  },
  291: { name: 'INVALID_ADMIN_ROLE_ID', kind: 'permanent', meaning: 'no such admin role', refuses: 'role_unknown' },
  292: { name: 'INVALID_ADMIN_ROLE_NAME', kind: 'permanent', meaning: 'no such admin role', refuses: 'role_unknown' },
  194: { name: 'INVALID_CHILD_ACCOUNT_ID', kind: 'permanent', meaning: 'no such child account' },
  115: { name: 'INVALID_ACCOUNT_ID', kind: 'permanent', meaning: 'no such account' },
});

/** The table's entry for a code, or undefined for a code the bridge has not studied. */
export function voximplantErrorCode(code: number): VoximplantErrorCode | undefined {
  return Object.hasOwn(VOXIMPLANT_ERROR_CODES, code) ? VOXIMPLANT_ERROR_CODES[code] : undefined;
}

/** `voximplant_<n>` (VoximplantError's code for an API error answer) → n, or undefined for any other code. */
export function voximplantCodeOf(code: string): number | undefined {
  const match = /^voximplant_(\d+)$/.exec(code);
  return match === null ? undefined : Number(match[1]);
}
