import { BridgeError, type RetryClass } from '../errors/bridge-error';
import { redactString } from '../observability/redact';
import { type FailureKind, VOXIMPLANT_ERROR_CODES } from './error-codes';

export type { FailureKind } from './error-codes';

/**
 * Each code's kind, from the one table of Voximplant error codes (error-codes.ts). Codes that are not listed are
 * permanent (classifyErrorCode): an error we have not studied must not be hammered.
 */
export const ERROR_CODE_KINDS: Readonly<Record<number, FailureKind>> = Object.freeze(
  Object.fromEntries(Object.entries(VOXIMPLANT_ERROR_CODES).map(([code, entry]) => [code, entry.kind])),
);

/**
 * Permanent codes that a resend can cause by itself after an unseen success: 290 (the new name is now ours) and 535
 * (the password was already used: by us). A resend can meet either after its own first attempt succeeded. After an
 * ambiguous attempt the client asks `verify` before treating them as permanent.
 */
export const CONDITIONAL_AFTER_RESEND: ReadonlySet<number> = new Set([290, 535]);

export function classifyErrorCode(code: number): FailureKind {
  return (Object.hasOwn(ERROR_CODE_KINDS, code) ? ERROR_CODE_KINDS[code] : undefined) ?? 'permanent';
}

/**
 * The client's kind as the bridge-wide retry class: a rate limit and a named wait are both throttling; an auth
 * failure the client could not cure with fresh credentials is left to a later attempt (a key rotation or a clock fix
 * can still land), as for any fault.
 */
export function retryClassOf(kind: FailureKind): RetryClass {
  switch (kind) {
    case 'throttled':
    case 'retry_after':
      return 'throttled';
    case 'auth':
    case 'transient':
      return 'transient';
    case 'ambiguous':
    case 'permanent':
      return kind;
  }
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
 * The one error class of the client, a BridgeError: the client's own retry loop branches on `code` and the finer
 * `kind`, everyone else on `retry`; people read `message`. Codes: `voximplant_<n>` (the API's error code), `http_<status>`, `timeout`, `connection_reset`,
 * `connection_refused`, `dns_failure`, `connect_timeout`, `network_error`, `bad_response`, `bad_result`,
 * `deadline`, `invalid_request`. Nothing secret is ever part of the message: the API's msg goes through
 * redactString too, as defence in depth.
 */
export class VoximplantError extends BridgeError {
  readonly kind: FailureKind;
  readonly method: string;
  readonly voximplantCode?: number;
  readonly voximplantMessage?: string;
  readonly httpStatus?: number;
  /** Attempts made when this error was final (0: nothing was sent). */
  readonly attempts: number;

  constructor(init: VoximplantErrorInit) {
    super(init.code, redactString(init.message), {
      retry: retryClassOf(init.kind),
      ...(init.retryAfterMs === undefined ? {} : { retryAfterMs: init.retryAfterMs }),
      ...(init.cause === undefined ? {} : { cause: init.cause }),
    });
    this.name = 'VoximplantError';
    this.kind = init.kind;
    this.method = init.method;
    if (init.voximplantCode !== undefined) this.voximplantCode = init.voximplantCode;
    if (init.voximplantMessage !== undefined) this.voximplantMessage = redactString(init.voximplantMessage);
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
