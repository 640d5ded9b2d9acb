import { createPrivateKey, type KeyObject } from 'node:crypto';
import { type JWTPayload, SignJWT } from 'jose';
import { SecretError } from '../secrets/json-secret';
import type { CredentialsSource, VoximplantCredentials } from './credentials';

/**
 * `iat` is set this far in the past. A host clock slightly ahead of Voximplant's makes the server reject a token
 * as issued in the future (error 455); the Python and Java clients backdate by the same 5 s (apiclient-python
 * `client.py`, apiclient-java `VoximplantAPIClientImpl.java`), and an
 * "Authorization failed" report against the Node client was clock skew (apiclient-nodejs#19).
 */
export const IAT_BACKDATE_SEC = 5;
/**
 * `exp - iat`. The API refuses more than 3600 s (error 454; "no later than iat + 3600",
 * https://voximplant.com/docs/guides/managementapi/authorization); a minute under leaves room for however
 * the server rounds, and one token per hour is already far from one per request.
 */
const TOKEN_LIFETIME_SEC = 3540;
/** A cached token is replaced once it has less than this left, so no request goes out with a nearly dead token. */
export const TOKEN_RENEW_BEFORE_SEC = 300;

interface CachedToken {
  token: string;
  expSec: number;
}

export interface TokenSignerOptions {
  now?: () => number;
}

/**
 * RS256 JWTs for the Management API: header `{alg: 'RS256', typ: 'JWT', kid: key_id}`, claims `iss` (the account
 * id as a number, or the child account acted on), `iat`, `exp`. The official Node client signs one
 * token per request (about 2.8 ms each, measured on 2 vCPUs); we sign one per (key_id, iss) and reuse it until shortly
 * before it expires. The imported key is cached per key_id.
 */
export class TokenSigner {
  #credentials: CredentialsSource;
  #now: () => number;
  #tokens = new Map<string, CachedToken>();
  #pending = new Map<string, Promise<string>>();
  #keys = new Map<string, KeyObject>();
  #signCount = 0;
  #generation = 0;

  constructor(credentials: CredentialsSource, opts?: TokenSignerOptions) {
    this.#credentials = credentials;
    this.#now = opts?.now ?? Date.now;
  }

  /** Signatures made so far (benchmarks: jwt_signs_per_event). */
  get signCount(): number {
    return this.#signCount;
  }

  /** A valid token for the main account, or for the child account `accountId`. */
  async token(accountId?: number): Promise<string> {
    const credentials = await this.#credentials.get();
    const iss = accountId ?? credentials.account_id;
    const cacheKey = `${credentials.key_id}\n${iss}`;
    const cached = this.#tokens.get(cacheKey);
    if (cached !== undefined && cached.expSec - this.#nowSec() > TOKEN_RENEW_BEFORE_SEC) return cached.token;
    // Concurrent callers (a worker batch) share one signature.
    let pending = this.#pending.get(cacheKey);
    if (pending === undefined) {
      const signing: Promise<string> = this.#sign(credentials, iss, cacheKey).finally(() => {
        if (this.#pending.get(cacheKey) === signing) this.#pending.delete(cacheKey);
      });
      this.#pending.set(cacheKey, signing);
      pending = signing;
    }
    return pending;
  }

  /** Forget every token and imported key: after an auth error the key may have been rotated or revoked. */
  invalidate(): void {
    this.#generation += 1;
    this.#tokens.clear();
    this.#pending.clear();
    this.#keys.clear();
  }

  #nowSec(): number {
    return Math.floor(this.#now() / 1000);
  }

  async #sign(credentials: VoximplantCredentials, iss: number, cacheKey: string): Promise<string> {
    const generation = this.#generation;
    const key = this.#importKey(credentials);
    const iat = this.#nowSec() - IAT_BACKDATE_SEC;
    const expSec = iat + TOKEN_LIFETIME_SEC;
    // `iss` is a JSON number, as the Node, Go, PHP and Python clients send it; jose's setIssuer takes strings only.
    const token = await new SignJWT({ iss } as unknown as JWTPayload)
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: credentials.key_id })
      .setIssuedAt(iat)
      .setExpirationTime(expSec)
      .sign(key);
    this.#signCount += 1;
    // A token signed while invalidate() ran belongs to the old credentials: hand it out once, do not cache it.
    if (generation === this.#generation) {
      for (const k of this.#tokens.keys()) if (!k.startsWith(`${credentials.key_id}\n`)) this.#tokens.delete(k);
      this.#tokens.set(cacheKey, { token, expSec });
    }
    return token;
  }

  #importKey(credentials: VoximplantCredentials): KeyObject {
    const cached = this.#keys.get(credentials.key_id);
    if (cached !== undefined) return cached;
    let key: KeyObject;
    try {
      // node:crypto reads PKCS#8 and PKCS#1 PEM alike; its messages never quote the key.
      key = createPrivateKey({ key: credentials.private_key, format: 'pem' });
    } catch {
      throw new SecretError(
        'secret_malformed',
        'the Voximplant credentials: private_key: not a readable PEM private key',
      );
    }
    if (key.asymmetricKeyType !== 'rsa') {
      throw new SecretError('secret_malformed', 'the Voximplant credentials: private_key: expected an RSA key (RS256)');
    }
    this.#keys.clear(); // one live key_id at a time; an old key after rotation is not needed again
    this.#keys.set(credentials.key_id, key);
    return key;
  }
}
