import type { BridgeError } from '../errors/bridge-error';
import { classifyError } from '../errors/classify-error';
import { type Refusal, voximplantCodeOf, voximplantErrorCode } from '../voximplant/error-codes';
import { VoximplantError } from '../voximplant/errors';
import { ScimError } from './protocol/scim-error';

/** When nothing better is known: soon enough for an IdP's next attempt, long enough for a blip to pass. */
const DEFAULT_RETRY_AFTER_SECONDS = 5;

export function retryAfterSeconds(ms: number | undefined): number {
  return ms === undefined ? DEFAULT_RETRY_AFTER_SECONDS : Math.max(1, Math.ceil(ms / 1000));
}

/** 429 for throttling (Voximplant 340, and 416 which names its wait), 503 for everything else that may pass. */
export function retryLater(code: string, retryAfterMs: number | undefined, what: string): ScimError {
  const voximplantCode = voximplantCodeOf(code);
  const kind = voximplantCode === undefined ? undefined : voximplantErrorCode(voximplantCode)?.kind;
  const throttled = kind === 'throttled' || kind === 'retry_after';
  return new ScimError(
    throttled ? 429 : 503,
    throttled
      ? `Voximplant is rate-limiting the bridge; retry after the Retry-After delay (${what})`
      : `a temporary failure prevented the change; nothing was recorded, retry (${what})`,
    { retryAfterSeconds: retryAfterSeconds(retryAfterMs), code },
  );
}

/** The SCIM answer to each refusal of the Voximplant error-code table (error-codes.ts). */
function scimErrorForRefusal(refusal: Refusal, code: number): ScimError {
  const opts = { code: `voximplant_${code}` };
  switch (refusal) {
    case 'admin_not_found':
      return new ScimError(404, 'the Voximplant admin user no longer exists', opts);
    case 'name_taken':
      return new ScimError(409, 'another Voximplant admin user already has this userName', {
        ...opts,
        scimType: 'uniqueness',
      });
    case 'name_invalid':
      return new ScimError(400, `Voximplant refused the userName (error ${code})`, {
        ...opts,
        scimType: 'invalidValue',
      });
    case 'display_name_invalid':
      return new ScimError(400, `Voximplant refused the displayName (error ${code})`, {
        ...opts,
        scimType: 'invalidValue',
      });
    case 'password_policy':
      return new ScimError(400, `the password does not meet the Voximplant password policy (error ${code})`, {
        ...opts,
        scimType: 'invalidValue',
      });
    case 'role_unknown':
      return new ScimError(500, 'SCIM_DEFAULT_ROLE_NAME names no Voximplant admin role; see the function logs', opts);
  }
}

/**
 * A Voximplant error code that refuses the request itself → the SCIM error an IdP can act on; undefined for codes
 * that are the bridge's problem, not the request's.
 */
export function scimErrorForVoximplantCode(code: number): ScimError | undefined {
  const refusal = voximplantErrorCode(code)?.refuses;
  return refusal === undefined ? undefined : scimErrorForRefusal(refusal, code);
}

/** What an operator must fix, by code: 500 with a fixed detail that points at the logs. */
const MISCONFIGURED: Readonly<Record<string, string>> = {
  secret_malformed: 'a secret of the bridge is misconfigured; see the function logs',
  state_record_malformed: 'a stored SCIM record is malformed; see the function logs',
};

/**
 * Any failure below the request handler → the SCIM error to answer, decided by its classification (classifyError).
 * Temporary ones (Voximplant unavailable or throttling, Secrets Manager or DynamoDB unreachable, a concurrent write,
 * a busy admin) become 503/429 with Retry-After, so the IdP retries (Entra and Okta both retry 5xx and 429). A
 * Voximplant refusal becomes the SCIM error of its code; other permanent failures and errors we did not classify are
 * 500. No message from upstream is copied into `detail`.
 */
export function scimErrorFrom(error: unknown): ScimError {
  if (error instanceof ScimError) return error;
  const failure = classifyError(error);
  if (failure instanceof VoximplantError) {
    // `deadline`: the call was never sent for lack of time; the next request has its own.
    if (failure.retry !== 'permanent' || failure.code === 'deadline') {
      return retryLater(failure.code, failure.retryAfterMs, `Voximplant ${failure.method}: ${failure.code}`);
    }
    const mapped =
      failure.voximplantCode === undefined ? undefined : scimErrorForVoximplantCode(failure.voximplantCode);
    return (
      mapped ??
      new ScimError(500, `Voximplant refused ${failure.method} (${failure.code}); see the function logs`, {
        code: failure.code,
        cause: failure,
      })
    );
  }
  if (failure.code === 'internal') {
    return new ScimError(500, 'an unexpected error occurred; see the function logs', {
      code: 'internal',
      cause: error,
    });
  }
  if (failure.retry === 'permanent') {
    const detail = MISCONFIGURED[failure.code] ?? 'the bridge could not complete the request; see the function logs';
    return new ScimError(500, detail, { code: failure.code, cause: failure });
  }
  return retryLater(failure.code, failure.retryAfterMs, describeRetry(failure));
}

/** The `(what)` of a 503's detail: fixed text by code, never the error's own message. */
function describeRetry(failure: BridgeError): string {
  switch (failure.code) {
    case 'secret_unavailable':
      return 'a secret could not be read';
    case 'scim_record_conflict':
      return 'the user was changed by another request at the same time';
    case 'state_contention':
    case 'idempotency_record_lost':
      return 'state contention';
    case 'admin_busy':
      return 'another change to this admin is in flight';
    case 'ordering_pending':
      return 'a newer change to this admin is not settled yet';
    default:
      return 'the state table could not be reached';
  }
}
