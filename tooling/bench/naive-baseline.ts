import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SQSRecord } from 'aws-lambda';
import { importPKCS8, type JWTPayload, SignJWT } from 'jose';

/**
 * The baseline: what an integrator writes from the official client's pattern
 * (`@voximplant/apiclient-nodejs` `src/index.ts`: a token per request, no retry, no timeout),
 * as an SQS Lambda handler. For each record, one after another: read the credentials secret, sign a fresh JWT (the
 * official Node client signs one per request, exp = now + 64 s), POST SetAdminUserInfo. No idempotency, no ordering
 * guard, no retries, no name resolution (the events name admins by id). It is not meant to be good; it is meant to
 * be typical, so the product's costs (state reads and writes) can be weighed against what they replace (a secret
 * read and a signature per event).
 */
export interface NaiveBaseline {
  handle(records: readonly SQSRecord[]): Promise<void>;
  /** JWTs signed so far. */
  readonly signs: number;
}

interface Credentials {
  account_id: number;
  key_id: string;
  private_key: string;
}

export function naiveBaseline(opts: {
  apiUrl: string;
  secretId: string;
  secrets: SecretsManagerClient;
}): NaiveBaseline {
  let signs = 0;
  const applyOne = async (record: SQSRecord) => {
    const event = JSON.parse(record.body) as { type: string; data: Record<string, unknown> };
    const secret = await opts.secrets.send(new GetSecretValueCommand({ SecretId: opts.secretId }));
    const credentials = JSON.parse(secret.SecretString ?? '{}') as Credentials;
    const key = await importPKCS8(credentials.private_key, 'RS256');
    const now = Math.floor(Date.now() / 1000);
    // `iss` as a JSON number, as the official Node client sends it; jose types it as a string.
    const token = await new SignJWT({ iss: credentials.account_id } as unknown as JWTPayload)
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: credentials.key_id })
      .setIssuedAt(now)
      .setExpirationTime(now + 64)
      .sign(key);
    signs += 1;

    const params = new URLSearchParams({ required_admin_user_id: String(event.data.admin_user_id) });
    if (event.type === 'admin.deactivated') params.set('admin_user_active', 'false');
    if (event.type === 'admin.activated') params.set('admin_user_active', 'true');
    if (typeof event.data.admin_user_display_name === 'string') {
      params.set('admin_user_display_name', event.data.admin_user_display_name);
    }
    const response = await fetch(`${opts.apiUrl}/SetAdminUserInfo`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: params.toString(),
    });
    const answer = (await response.json()) as { result?: unknown; error?: { code: number; msg: string } };
    if (answer.error !== undefined) throw new Error(`SetAdminUserInfo: ${answer.error.code} ${answer.error.msg}`);
  };
  return {
    async handle(records) {
      for (const record of records) await applyOne(record);
    },
    get signs() {
      return signs;
    },
  };
}
