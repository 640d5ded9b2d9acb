import { deadlineIn } from '../../runtime/deadline';
import { SecretError } from '../../secrets/json-secret';
import { getAccountInfo } from '../../voximplant/account';
import { VoximplantClient } from '../../voximplant/client';
import type { CredentialsSource, VoximplantCredentials } from '../../voximplant/credentials';
import { VOXIMPLANT_ERROR_CODES_SOURCE, voximplantErrorCode } from '../../voximplant/error-codes';
import { VoximplantError } from '../../voximplant/errors';
import { TokenSigner } from '../../voximplant/token';
import type { CheckResult } from './check-result';

/** The methods the bridge calls (docs/CONTRACT.md#applying-a-change): it cannot work without both. */
export const REQUIRED_METHODS = ['SetAdminUserInfo', 'GetAdminUsers'] as const;

/**
 * Beyond this the clock is wrong enough to matter: tokens are backdated 5 s (src/voximplant/token.ts), so a clock
 * further ahead than that risks error 455 (issued in the future), and the Date header is only second-accurate.
 */
export const MAX_SKEW_MS = 5_000;

/** Voximplant's list of Management API error codes and their meanings, as its official PHP client ships it. */
export const VOXIMPLANT_ERROR_LIST = VOXIMPLANT_ERROR_CODES_SOURCE;

export interface DoctorInput {
  apiUrl: string;
  /** Where the credentials come from, for messages: "the file ./credentials.json". */
  sourceLabel: string;
  credentials: CredentialsSource;
  fetch: typeof fetch;
  now?: () => number;
}

interface Observed {
  date: string | null;
  sentAt: number;
  answeredAt: number;
}

/** Why a credentials read failed, with what to change (the SDK's error names, never a value). */
function credentialsFix(error: unknown): string {
  const cause =
    error instanceof SecretError
      ? (error.cause as { name?: string; message?: string; code?: string } | undefined)
      : undefined;
  const name = cause?.name ?? '';
  if (cause?.code === 'ENOENT') return 'no file at that path';
  if (cause?.code === 'EACCES') return 'you may not read that file';
  if (error instanceof SecretError && error.code === 'secret_malformed') {
    return 'the value must be the credentials.json of a service account key: account_id, key_id, private_key (PEM)';
  }
  if (name === 'ResourceNotFoundException')
    return 'no secret with that id in this account and region (check AWS_REGION)';
  if (name === 'AccessDeniedException') return 'your AWS identity may not call secretsmanager:GetSecretValue on it';
  if (name === 'CredentialsProviderError') return 'no AWS credentials found: set AWS_PROFILE or AWS_ACCESS_KEY_ID';
  if (/region/i.test(cause?.message ?? '')) return 'set AWS_REGION to the region of the secret';
  if (name === 'DecryptionFailure') return 'your AWS identity may not use the KMS key that encrypts the secret';
  return 'check the path or the secret id';
}

/** What to change for a failed call: the error-code table's fix for Voximplant's code, else by our own code. */
function apiFix(error: VoximplantError, apiUrl: string): string {
  const fix = error.voximplantCode === undefined ? undefined : voximplantErrorCode(error.voximplantCode)?.fix;
  if (fix !== undefined) return fix;
  switch (error.code) {
    case 'connection_refused':
    case 'dns_failure':
    case 'connect_timeout':
    case 'timeout':
    case 'network_error':
      return `check --api-url (${apiUrl}) and that this machine can reach it`;
    case 'bad_response':
      return `${apiUrl} does not answer like the Management API: check --api-url`;
    default:
      return `look up Voximplant error ${error.voximplantCode ?? error.code} in ${VOXIMPLANT_ERROR_LIST}`;
  }
}

/**
 * What `doctor` checks, in order: the credentials read, the key signs, GetAccountInfo works with them, the key's
 * access entries include the methods the bridge needs, and this machine's clock agrees with the API's Date header.
 * A check that cannot run because an earlier one failed is reported as skipped.
 */
export async function runDoctorChecks(input: DoctorInput): Promise<CheckResult[]> {
  const now = input.now ?? Date.now;
  const results: CheckResult[] = [];
  const skipRest = (names: readonly string[]) => {
    for (const name of names) results.push({ status: 'skip', name, detail: 'not checked (needs the checks above)' });
  };
  const later = ['private key', 'GetAccountInfo', ...REQUIRED_METHODS, 'clock'];

  let credentials: VoximplantCredentials;
  try {
    credentials = await input.credentials.get();
    results.push({
      status: 'ok',
      name: 'credentials',
      detail: `read from ${input.sourceLabel} (account ${credentials.account_id}, key ${credentials.key_id})`,
    });
  } catch (error) {
    results.push({
      status: 'fail',
      name: 'credentials',
      detail: error instanceof Error ? error.message : String(error),
      fix: credentialsFix(error),
    });
    skipRest(later);
    return results;
  }

  const signer = new TokenSigner(input.credentials, { now });
  try {
    await signer.token();
    results.push({ status: 'ok', name: 'private key', detail: 'signs RS256 tokens' });
  } catch (error) {
    results.push({
      status: 'fail',
      name: 'private key',
      detail: error instanceof Error ? error.message : String(error),
      fix: 'private_key must be the PEM of the RSA key issued with key_id (download the key again if unsure)',
    });
    skipRest(later.slice(1));
    return results;
  }

  let observed: Observed | undefined;
  const observingFetch: typeof fetch = async (url, init) => {
    const sentAt = now();
    const response = await input.fetch(url, init);
    observed = { date: response.headers.get('date'), sentAt, answeredAt: now() };
    return response;
  };
  const client = new VoximplantClient({
    apiUrl: input.apiUrl,
    credentials: input.credentials,
    signer,
    fetch: observingFetch,
  });

  let accessEntries: string[] | undefined;
  try {
    const { account } = await getAccountInfo(client, { deadline: deadlineIn(20_000), retry: false });
    const state = account.frozen ? 'frozen' : account.active === false ? 'inactive' : 'active';
    const name = account.account_name === undefined ? '' : ` "${account.account_name}"`;
    const usable = state === 'active';
    results.push({
      status: usable ? 'ok' : 'fail',
      name: 'GetAccountInfo',
      detail: `account ${account.account_id}${name}, ${state}`,
      ...(usable ? {} : { fix: 'the account must be active and not frozen: see the Voximplant control panel' }),
    });
    accessEntries = account.access_entries;
  } catch (error) {
    // "GetAccountInfo: <what>; gave up after 1 attempt: retries are off for this call" → "<what>"
    const message = (error instanceof Error ? error.message : String(error))
      .replace(/^GetAccountInfo: /, '')
      .replace(/; gave up after .*$/, '');
    results.push({
      status: 'fail',
      name: 'GetAccountInfo',
      detail: message,
      fix: error instanceof VoximplantError ? apiFix(error, input.apiUrl) : 'check the credentials and --api-url',
    });
  }

  for (const method of REQUIRED_METHODS) {
    if (accessEntries === undefined) {
      const failed = results.some((r) => r.name === 'GetAccountInfo' && r.status === 'fail');
      results.push(
        failed
          ? { status: 'skip', name: method, detail: 'not checked (needs GetAccountInfo)' }
          : {
              status: 'warn',
              name: method,
              detail: 'GetAccountInfo listed no access_entries, so whether this key may call it is unknown',
              fix: "check the key's roles in the control panel (GetKeyRoles)",
            },
      );
      continue;
    }
    const allowed = accessEntries.includes(method);
    results.push({
      status: allowed ? 'ok' : 'fail',
      name: method,
      detail: allowed ? 'this key may call it' : 'this key may NOT call it (not in access_entries)',
      ...(allowed
        ? {}
        : { fix: `give the key (${credentials.key_id}) a role that allows ${method}, or use a key with one` }),
    });
  }

  results.push(clockCheck(observed));
  return results;
}

function clockCheck(observed: Observed | undefined): CheckResult {
  const serverMs = observed?.date === null || observed === undefined ? Number.NaN : Date.parse(observed.date);
  if (observed === undefined || Number.isNaN(serverMs)) {
    return {
      status: 'warn',
      name: 'clock',
      detail: 'the API sent no usable Date header, so the skew is unknown',
      fix: 'make sure this machine syncs its clock (NTP)',
    };
  }
  // The Date header is truncated to the second: its middle is the best estimate, compared with the middle of
  // the exchange. Positive means this machine is ahead.
  const local = (observed.sentAt + observed.answeredAt) / 2;
  const skewMs = local - (serverMs + 500);
  const seconds = (Math.abs(skewMs) / 1000).toFixed(1);
  const direction = skewMs > 0 ? 'ahead of' : 'behind';
  if (Math.abs(skewMs) <= MAX_SKEW_MS) {
    return { status: 'ok', name: 'clock', detail: `within ${seconds} s of the API's clock` };
  }
  return {
    status: 'fail',
    name: 'clock',
    detail: `this machine is ${seconds} s ${direction} the API's clock`,
    fix: 'sync the clock (NTP): tokens are refused as issued in the future (455) or expired (456) when it is off',
  };
}
