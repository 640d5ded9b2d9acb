import { compactVerify, decodeProtectedHeader } from 'jose';
import { SimApiError } from './api-error';
import type { SimStore, StoredKey } from './store';

/**
 * Voximplant's limit on a token's lifetime: `exp` at most `iat` + 3600 s
 * (https://voximplant.com/docs/guides/managementapi/authorization).
 */
export const MAX_TOKEN_TTL_SEC = 3600;

export interface JwtIdentity {
  key: StoredKey;
  /** The account named in `iss`: the key's own account or one of its children. */
  accountId: number;
}

/**
 * Checks a service-account JWT the way the Management API does
 * (https://voximplant.com/docs/guides/managementapi/authorization): RS256 only, signed by a live key named in `kid`,
 * `iss` the key's account or a child of it, `exp - iat <= 3600`, `iat` not in the future beyond the tolerance, not
 * expired. Written here with jose, apart from our own client, so the two cannot share a wrong assumption. Each failure
 * answers the code apiclient-php `src/Enum/Errors.php` names for it:
 * - 447 INVALID_TOKEN_FORMAT: not a compact JWS, no `kid`/`alg`, payload not JSON, `iss`/`iat`/`exp` missing or
 *   of the wrong type.
 * - 433 INVALID_KEY_ID: `kid` names no key, or a deleted one (the error table's "key deleted or rotated").
 * - 100 AUTHORIZATION_FAILED: any `alg` but RS256, a bad signature, an `iss` the key may not act as.
 * - 454 INVALID_TOKEN_TTL: `exp - iat` above 3600 s, or not positive.
 * - 455 TOKEN_ISSUED_IN_FUTURE, 456 TOKEN_EXPIRED (`exp` <= now; no leeway, as RFC 7519 §4.1.4 reads).
 * The signature is checked before any claim, so an unsigned token learns nothing about the claims rules.
 */
export async function verifyManagementJwt(
  token: string,
  store: SimStore,
  nowMs: number,
  skewToleranceSec: number,
): Promise<JwtIdentity> {
  if (token.split('.').length !== 3) throw new SimApiError(447);
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(token);
  } catch {
    throw new SimApiError(447);
  }
  if (typeof header.alg !== 'string' || typeof header.kid !== 'string' || header.kid === '') {
    throw new SimApiError(447);
  }
  if (header.alg !== 'RS256') throw new SimApiError(100);
  const key = store.liveKey(header.kid);
  if (!key) throw new SimApiError(433);

  let payloadBytes: Uint8Array;
  try {
    ({ payload: payloadBytes } = await compactVerify(token, key.publicKey, { algorithms: ['RS256'] }));
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new SimApiError(code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' ? 100 : 447);
  }

  let claims: unknown;
  try {
    claims = JSON.parse(new TextDecoder().decode(payloadBytes));
  } catch {
    throw new SimApiError(447);
  }
  if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) throw new SimApiError(447);
  const { iss, iat, exp } = claims as Record<string, unknown>;
  if (typeof iat !== 'number' || !Number.isFinite(iat) || typeof exp !== 'number' || !Number.isFinite(exp)) {
    throw new SimApiError(447);
  }
  // Node, Go, PHP and Python send `iss` as a number, Java and .NET as a string (their
  // official clients' token code): accept both.
  if (typeof iss !== 'number' && typeof iss !== 'string') throw new SimApiError(447);
  const accountId = typeof iss === 'number' ? iss : /^\d{1,15}$/.test(iss) ? Number(iss) : Number.NaN;
  if (!Number.isSafeInteger(accountId) || !store.mayActAs(key.account_id, accountId)) throw new SimApiError(100);

  const ttl = exp - iat;
  if (ttl <= 0 || ttl > MAX_TOKEN_TTL_SEC) throw new SimApiError(454);
  const nowSec = nowMs / 1000;
  if (iat > nowSec + skewToleranceSec) throw new SimApiError(455);
  if (exp <= nowSec) throw new SimApiError(456);
  return { key, accountId };
}
