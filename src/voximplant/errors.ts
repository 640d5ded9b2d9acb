import { redactString } from '../observability/redact';

/**
 * What a failed call means for whoever retries it (codes and names from the official apiclient-php
 * `src/Enum/Errors.php`):
 * - `transient`: the platform failed, or the request never left; the same request later may succeed.
 * - `throttled`: we are too fast; retry, slower than for `transient`.
 * - `retry_after`: the server named the wait (416 "Repeat after N seconds").
 * - `auth`: the token or key was refused; refresh the credentials and the token once, then it is permanent.
 * - `ambiguous`: the request may or may not have been applied (timeout, dropped connection, the server's own
 *   resend heuristics); re-read before resending.
 * - `permanent`: the request itself is wrong or not allowed; repeating it cannot help.
 */
export type FailureKind = 'transient' | 'throttled' | 'retry_after' | 'auth' | 'ambiguous' | 'permanent';

/**
 * Every code that matters to the bridge, with its kind. Codes and names are from apiclient-php `src/Enum/Errors.php`.
 * Codes that are not listed are permanent (classifyErrorCode): an error we have not studied must not be hammered.
 */
export const ERROR_CODE_KINDS: Readonly<Record<number, FailureKind>> = Object.freeze({
  // INTERNAL_ERROR, DB_ERROR, FATAL_ERROR, INTERNAL_CONFIGURATION_ERROR: a platform fault, not the request's.
  1: 'transient',
  2: 'transient',
  4: 'transient',
  13: 'transient',
  // TRY_LATER ("try later.."): explicitly temporary.
  162: 'transient',
  // CONCURRENT_RESOURCE_LIMIT_EXCEEDED: clears as in-flight work finishes (our inference from the name).
  314: 'transient',
  // ACCOUNT_PASSWORD_CHANGE_TEMPORARY_BLOCKED ("password change is over. Try later"): a temporary block.
  230: 'transient',
  // RATE_LIMIT_EXCEED: no Retry-After is documented, so back off exponentially, harder than for faults.
  340: 'throttled',
  // RETRY_LATER: the msg names the wait ("Repeat after N seconds").
  416: 'retry_after',
  // AUTHORIZATION_FAILED: wrong key/account/kid, or clock skew (apiclient-nodejs#19); one retry with fresh ones.
  100: 'auth',
  // INVALID_KEY_ID: the key was deleted or rotated; reloading the secret may bring the new key.
  433: 'auth',
  // TOKEN_ISSUED_IN_FUTURE: clock skew; a fresh token is backdated (TokenSigner) and may pass.
  455: 'auth',
  // TOKEN_EXPIRED: a fresh token fixes it unless the clock is badly off.
  456: 'auth',
  // INVALID_TOKEN_TTL (exp - iat above the maximum) and INVALID_TOKEN_FORMAT: our signing bug; a new token of the
  // same shape fails the same way.
  454: 'permanent',
  447: 'permanent',
  // HTTP_REQUEST_REJECTED ("probable automatic request resend") and SAME_OPERATION_LIMIT ("same operation has been
  // performed recently"): the server de-duplicates resends, so an earlier attempt may already have applied.
  484: 'ambiguous',
  515: 'ambiguous',
  // FORBIDDEN_COMMAND: the key's roles lack the method.
  104: 'permanent',
  // MISSING_CMD, UNKNOWN_COMMAND, INVALID_FUNC_NAME: a client bug, or the method was removed (the
  // official Node client 4.11 and Java client 2.8 no longer ship the admin-user methods).
  102: 'permanent',
  103: 'permanent',
  12: 'permanent',
  // ACCOUNT_ISNT_ACTIVATED, VPN_IS_NOT_ALLOWED: account state and network placement.
  131: 'permanent',
  527: 'permanent',
  // Validation: INVALID_ARGUMENTS, REQUIRED_IS_EMPTY, ONLY_ONE_OF_PARAMETERS, PARAMETER_CANT_BE_EMPTY,
  // FORBIDDEN_PARAMETER, INVALID, TOO_LONG, LENGTH_EXCEEDED.
  101: 'permanent',
  134: 'permanent',
  458: 'permanent',
  485: 'permanent',
  492: 'permanent',
  496: 'permanent',
  499: 'permanent',
  477: 'permanent',
  // INVALID_ADMIN_USER_ID, INVALID_REQUIRED_ADMIN_USER_ID, INVALID_REQUIRED_ADMIN_USER_NAME: "user not found".
  284: 'permanent',
  285: 'permanent',
  286: 'permanent',
  // Name/display-name validation, name not unique, bad new name, admin quota.
  287: 'permanent',
  288: 'permanent',
  // 290 after an ambiguous attempt may be our own earlier rename: the client re-checks (CONDITIONAL_AFTER_RESEND).
  290: 'permanent',
  362: 'permanent',
  289: 'permanent',
  // Password policy; 535 (reused) after an ambiguous attempt may be our own earlier change, as for 290.
  112: 'permanent',
  523: 'permanent',
  524: 'permanent',
  535: 'permanent',
  // Bad role id/name, bad child account, bad account.
  291: 'permanent',
  292: 'permanent',
  194: 'permanent',
  115: 'permanent',
});

/**
 * Permanent codes that a resend can cause by itself after an unseen success: 290 (the new name is now ours) and 535
 * (the password was already used: by us). A resend can meet either after its own first attempt succeeded. After an
 * ambiguous attempt the client asks `verify` before treating them as permanent.
 */
export const CONDITIONAL_AFTER_RESEND: ReadonlySet<number> = new Set([290, 535]);

export function classifyErrorCode(code: number): FailureKind {
  return ERROR_CODE_KINDS[code] ?? 'permanent';
}

/** 416's msg carries the wait ("Repeat the request after 2 seconds"); undefined when it names none. */
export function parseRetryAfterMs(message: string | undefined): number | undefined {
  if (message === undefined) return undefined;
  const match = /(\d+(?:\.\d+)?)\s*(ms|milliseconds?|s|secs?|seconds?)\b/i.exec(message);
  if (match === null) return undefined;
  const value = Number(match[1]);
  const unit = (match[2] ?? 's').toLowerCase();
  return Math.round(unit === 'ms' || unit.startsWith('milli') ? value : value * 1000);
}

export interface VoximplantErrorInit {
  code: string;
  kind: FailureKind;
  method: string;
  message: string;
  voximplantCode?: number;
  voximplantMessage?: string;
  retryAfterMs?: number;
  httpStatus?: number;
  attempts?: number;
  cause?: unknown;
}

/**
 * The one error class of the client, like panva/jose's util/errors: callers branch on `code` and `kind`, people
 * read `message`. Codes: `voximplant_<n>` (the API's error code), `http_<status>`, `timeout`, `connection_reset`,
 * `connection_refused`, `dns_failure`, `connect_timeout`, `network_error`, `bad_response`, `bad_result`,
 * `deadline`, `invalid_request`. Nothing secret is ever part of the message: the API's msg goes through
 * redactString too, as defence in depth.
 */
export class VoximplantError extends Error {
  readonly code: string;
  readonly kind: FailureKind;
  readonly method: string;
  readonly voximplantCode?: number;
  readonly voximplantMessage?: string;
  readonly retryAfterMs?: number;
  readonly httpStatus?: number;
  /** Attempts made when this error was final (0: nothing was sent). */
  readonly attempts: number;

  constructor(init: VoximplantErrorInit) {
    super(redactString(init.message), init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'VoximplantError';
    this.code = init.code;
    this.kind = init.kind;
    this.method = init.method;
    if (init.voximplantCode !== undefined) this.voximplantCode = init.voximplantCode;
    if (init.voximplantMessage !== undefined) this.voximplantMessage = redactString(init.voximplantMessage);
    if (init.retryAfterMs !== undefined) this.retryAfterMs = init.retryAfterMs;
    if (init.httpStatus !== undefined) this.httpStatus = init.httpStatus;
    this.attempts = init.attempts ?? 1;
  }

  /** The same failure, reported as final after `attempts` attempts and why the client stopped. */
  final(attempts: number, reason?: string): VoximplantError {
    return new VoximplantError({
      code: this.code,
      kind: this.kind,
      method: this.method,
      message:
        reason === undefined
          ? this.message
          : `${this.message}; gave up after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${reason}`,
      ...(this.voximplantCode === undefined ? {} : { voximplantCode: this.voximplantCode }),
      ...(this.voximplantMessage === undefined ? {} : { voximplantMessage: this.voximplantMessage }),
      ...(this.retryAfterMs === undefined ? {} : { retryAfterMs: this.retryAfterMs }),
      ...(this.httpStatus === undefined ? {} : { httpStatus: this.httpStatus }),
      attempts,
      cause: this.cause,
    });
  }
}

/** An error answer of the API (`{"error":{"code":N,"msg":"..."}}`) as a VoximplantError. */
export function apiError(method: string, code: number, msg: string | undefined, httpStatus?: number): VoximplantError {
  const kind = classifyErrorCode(code);
  const retryAfterMs = kind === 'retry_after' ? parseRetryAfterMs(msg) : undefined;
  return new VoximplantError({
    code: `voximplant_${code}`,
    kind,
    method,
    message: `${method}: Voximplant error ${code}${msg ? ` (${msg})` : ''}`,
    voximplantCode: code,
    ...(msg === undefined ? {} : { voximplantMessage: msg }),
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    ...(httpStatus === undefined ? {} : { httpStatus }),
  });
}

/** A request our own code refused to send (a missing field, a forbidden combination). */
export function invalidRequest(method: string, message: string): VoximplantError {
  return new VoximplantError({
    code: 'invalid_request',
    kind: 'permanent',
    method,
    message: `${method}: ${message}`,
    attempts: 0,
  });
}
