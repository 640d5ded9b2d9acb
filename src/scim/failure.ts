import { SecretError } from '../secrets/json-secret';
import { StateError } from '../state/errors';
import { ScimRecordConflictError } from '../state/scim-records';
import { VoximplantError } from '../voximplant/errors';
import { ScimError } from './protocol/scim-error';

/** When nothing better is known: soon enough for an IdP's next attempt, long enough for a blip to pass. */
const DEFAULT_RETRY_AFTER_SECONDS = 5;

export function retryAfterSeconds(ms: number | undefined): number {
  return ms === undefined ? DEFAULT_RETRY_AFTER_SECONDS : Math.max(1, Math.ceil(ms / 1000));
}

/** 429 for throttling (Voximplant 340, and 416 which names its wait), 503 for everything else that may pass. */
export function retryLater(code: string, retryAfterMs: number | undefined, what: string): ScimError {
  const throttled = code === 'voximplant_340' || code === 'voximplant_416';
  return new ScimError(
    throttled ? 429 : 503,
    throttled
      ? `Voximplant is rate-limiting the bridge; retry after the Retry-After delay (${what})`
      : `a temporary failure prevented the change; nothing was recorded, retry (${what})`,
    { retryAfterSeconds: retryAfterSeconds(retryAfterMs), code },
  );
}

/**
 * A Voximplant error code that refuses the request itself (the codes of the official PHP client's
 * https://github.com/voximplant/apiclient-php/blob/HEAD/src/Enum/Errors.php) → the SCIM error an IdP can act on;
 * undefined for codes that are the bridge's problem, not the request's.
 */
export function scimErrorForVoximplantCode(code: number): ScimError | undefined {
  const opts = { code: `voximplant_${code}` };
  switch (code) {
    case 284:
    case 285:
    case 286:
      return new ScimError(404, 'the Voximplant admin user no longer exists', opts);
    case 290:
      return new ScimError(409, 'another Voximplant admin user already has this userName', {
        ...opts,
        scimType: 'uniqueness',
      });
    case 287:
    case 362:
      return new ScimError(400, `Voximplant refused the userName (error ${code})`, {
        ...opts,
        scimType: 'invalidValue',
      });
    case 288:
      return new ScimError(400, `Voximplant refused the displayName (error ${code})`, {
        ...opts,
        scimType: 'invalidValue',
      });
    case 112:
    case 523:
    case 524:
    case 535:
      return new ScimError(400, `the password does not meet the Voximplant password policy (error ${code})`, {
        ...opts,
        scimType: 'invalidValue',
      });
    case 291:
    case 292:
      return new ScimError(500, 'SCIM_DEFAULT_ROLE_NAME names no Voximplant admin role; see the function logs', opts);
    default:
      return undefined;
  }
}

/**
 * Any failure below the request handler → the SCIM error to answer. Temporary ones (Voximplant unavailable or
 * throttling, Secrets Manager or DynamoDB unreachable, a concurrent write) become 503/429 with Retry-After, so the
 * IdP retries (Entra and Okta both retry 5xx and 429). No message from upstream is copied into `detail`.
 */
export function scimErrorFrom(error: unknown): ScimError {
  if (error instanceof ScimError) return error;
  if (error instanceof VoximplantError) {
    if (error.kind !== 'permanent' || error.code === 'deadline') {
      return retryLater(error.code, error.retryAfterMs, `Voximplant ${error.method}: ${error.code}`);
    }
    const mapped = error.voximplantCode === undefined ? undefined : scimErrorForVoximplantCode(error.voximplantCode);
    return (
      mapped ??
      new ScimError(500, `Voximplant refused ${error.method} (${error.code}); see the function logs`, {
        code: error.code,
        cause: error,
      })
    );
  }
  if (error instanceof SecretError) {
    return error.code === 'secret_malformed'
      ? new ScimError(500, 'a secret of the bridge is misconfigured; see the function logs', { code: error.code })
      : retryLater(error.code, undefined, 'a secret could not be read');
  }
  if (error instanceof ScimRecordConflictError) {
    return retryLater(error.code, 1000, 'the user was changed by another request at the same time');
  }
  if (error instanceof StateError) {
    return error.code === 'state_record_malformed'
      ? new ScimError(500, 'a stored SCIM record is malformed; see the function logs', { code: error.code })
      : retryLater(error.code, 1000, 'state contention');
  }
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'admin_busy') return retryLater(code, 1000, 'another change to this admin is in flight');
  if (isAwsOrNetworkError(error))
    return retryLater('state_unavailable', undefined, 'the state table could not be reached');
  return new ScimError(500, 'an unexpected error occurred; see the function logs', { code: 'internal', cause: error });
}

/** An AWS SDK service or transport error: the SDK puts `$metadata` on the first, Node a syscall code on the second. */
function isAwsOrNetworkError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if ('$metadata' in error) return true;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && /^(ECONN|ETIMEDOUT|EPIPE|ENOTFOUND|EAI_AGAIN|UND_ERR)/.test(code);
}
