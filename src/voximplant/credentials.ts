import { readFile } from 'node:fs/promises';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import * as z from 'zod';
import { type Config, ConfigError } from '../config';
import { cachedValue, parseSecretText, SecretError, secretsManagerJson } from '../secrets/json-secret';
import { secretsManagerClient } from '../secrets/secrets-manager-client';

/**
 * A service account's credentials.json: the `result` of CreateKey or the file the control panel downloads
 * (https://voximplant.com/docs/guides/managementapi/authorization). `account_id` is a number there, but a hand-edited
 * secret often has it quoted, so a numeric string is accepted too. Extra fields are ignored.
 */
export const credentialsSchema = z.object({
  account_id: z.preprocess(
    (v) => (typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : v),
    z.number().int().positive(),
  ),
  key_id: z.string().min(1),
  // Voximplant issues PKCS#8 PEM keys (the official Java client parses them as PKCS#8); a PKCS#1 RSA PEM also works.
  // Both headers name "PRIVATE KEY".
  private_key: z.string().includes('PRIVATE KEY'),
  account_email: z.string().optional(),
});

export type VoximplantCredentials = z.infer<typeof credentialsSchema>;

/** Where the signing key comes from. `refresh` drops the cache (after an auth error: the key may have rotated). */
export interface CredentialsSource {
  get(): Promise<VoximplantCredentials>;
  refresh(): Promise<VoximplantCredentials>;
}

export interface CredentialsSourceOptions {
  /** How long a read value is used before it is read again; rotation (rotate-key) takes effect within this. */
  ttlMs?: number;
  now?: () => number;
}

/** Five minutes: a rotated key reaches warm containers soon, while a busy container reads the secret rarely. */
const DEFAULT_CREDENTIALS_TTL_MS = 5 * 60_000;

const LABEL = 'the Voximplant credentials';

function cacheOptions(opts: CredentialsSourceOptions | undefined) {
  return { ttlMs: opts?.ttlMs ?? DEFAULT_CREDENTIALS_TTL_MS, ...(opts?.now === undefined ? {} : { now: opts.now }) };
}

export function credentialsFromSecretsManager(
  client: SecretsManagerClient,
  secretId: string,
  opts?: CredentialsSourceOptions,
): CredentialsSource {
  return secretsManagerJson({
    client,
    secretId,
    schema: credentialsSchema,
    label: `${LABEL} secret`,
    ...cacheOptions(opts),
  });
}

export function credentialsFromFile(path: string, opts?: CredentialsSourceOptions): CredentialsSource {
  const label = `${LABEL} file (${path})`;
  return cachedValue(async () => {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      throw new SecretError(
        'secret_unavailable',
        `could not read ${label}: ${typeof code === 'string' ? code : 'error'}`,
        {
          cause: error,
        },
      );
    }
    return parseSecretText(label, text, credentialsSchema);
  }, cacheOptions(opts));
}

/** Fixed credentials (tests, the simulator's own key, a key just minted by CreateKey). */
export function credentialsFromValue(value: VoximplantCredentials): CredentialsSource {
  const parsed = parseSecretText(LABEL, JSON.stringify(value), credentialsSchema);
  return { get: async () => parsed, refresh: async () => parsed };
}

/**
 * docs/CONTRACT.md#configuration: the secret id wins (Lambda), else the file (local runs), else a ConfigError naming
 * both.
 */
export function credentialsFromConfig(config: Config, opts?: CredentialsSourceOptions): CredentialsSource {
  if (config.VOXIMPLANT_CREDENTIALS_SECRET_ID !== undefined) {
    return credentialsFromSecretsManager(secretsManagerClient(), config.VOXIMPLANT_CREDENTIALS_SECRET_ID, opts);
  }
  if (config.VOXIMPLANT_CREDENTIALS_FILE !== undefined) {
    return credentialsFromFile(config.VOXIMPLANT_CREDENTIALS_FILE, opts);
  }
  throw new ConfigError(
    'VOXIMPLANT_CREDENTIALS_SECRET_ID or VOXIMPLANT_CREDENTIALS_FILE is required but neither is set',
  );
}
