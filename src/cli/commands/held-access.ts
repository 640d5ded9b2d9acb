import { createApplyDeps } from '../../apply/create-apply-deps';
import { loadConfig } from '../../config';
import type { HeldOperations, HeldView } from '../../guard/held-operations';
import { storeHeldOperations } from '../../guard/held-operations';
import { DynamoHeldStore } from '../../guard/held-store';
import { HeldSelectionError, type ReleaseReport } from '../../guard/release-held';
import { createLogger } from '../../observability/logger';
import { dynamoDocumentClient } from '../../state/dynamo';
import { CliError, usageError } from '../cli-error';
import { fetchOrExplain, parseUrl } from '../http-call';
import type { CliIo } from '../io';

/** The options every operator command shares: where the bridge's state is. */
export const OPERATOR_OPTIONS = {
  local: { type: 'boolean' },
  url: { type: 'string' },
  table: { type: 'string' },
  'credentials-secret': { type: 'string' },
} as const;

export const OPERATOR_HELP = `Where:
  --local                     the bridge of \`npm start\` on this machine (its operator routes)
  --url <url>                 with --local: the local bridge (default: http://127.0.0.1:$PORT, PORT=8787)
  --table <name>              deployed: the state table (stack output StateTableName;
                              default: $STATE_TABLE)
  --credentials-secret <id>   deployed, for release: the Voximplant credentials secret (stack output
                              CredentialsSecretArn; default: $VOXIMPLANT_CREDENTIALS_SECRET_ID)
Deployed, the command uses your AWS credentials (the SDK's default chain: AWS_PROFILE, AWS_REGION, ...)
and the functions' own settings from the environment (PROTECTED_ADMIN_USERS, REACTIVATION_SOURCES, ...:
export the stage's values; docs/OPERATIONS.md#held-changes).`;

type OperatorValues = { local?: boolean; url?: string; table?: string; 'credentials-secret'?: string };

/** The local bridge's base URL, for --local. */
export function localBridgeUrl(values: OperatorValues, io: CliIo): string {
  return parseUrl('--url', values.url ?? `http://127.0.0.1:${io.env.PORT || '8787'}`).href.replace(/\/+$/, '');
}

/** Calls a local operator route; a refusal is one readable line. */
export async function localCall(io: CliIo, base: string, path: string, body?: unknown): Promise<unknown> {
  const url = `${base}${path}`;
  const res = await fetchOrExplain(
    io.fetch,
    url,
    body === undefined
      ? { method: 'GET' }
      : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
    'is `npm start` running?',
  );
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (!res.ok) {
    const error = (parsed as { error?: unknown } | undefined)?.error;
    throw new CliError('local_refused', `${url} answered ${res.status}: ${typeof error === 'string' ? error : text}`);
  }
  return parsed;
}

function localOperations(io: CliIo, base: string): HeldOperations {
  return {
    list: async () => (await localCall(io, base, '/__dev/held')) as HeldView[],
    release: async (selector) => (await localCall(io, base, '/__dev/held/release', selector)) as ReleaseReport[],
    discard: async (id) =>
      (await localCall(io, base, '/__dev/held/discard', { id })) as Awaited<ReturnType<HeldOperations['discard']>>,
  };
}

/** The held-change operations, on the local bridge (--local) or on a deployment's table with operator credentials. */
export function heldOperations(values: OperatorValues, io: CliIo, needs: 'read' | 'apply'): HeldOperations {
  if (values.local === true) {
    if (values.table !== undefined || values['credentials-secret'] !== undefined) {
      throw usageError('--local talks to `npm start`; --table and --credentials-secret are for a deployment');
    }
    return localOperations(io, localBridgeUrl(values, io));
  }
  if (values.url !== undefined) throw usageError('--url goes with --local');
  const table = values.table ?? io.env.STATE_TABLE;
  if (table === undefined || table === '') {
    throw usageError('give --table <state table> (stack output StateTableName), or --local for `npm start`');
  }
  const env: Record<string, string | undefined> = { ...io.env, STATE_TABLE: table };
  if (values['credentials-secret'] !== undefined) env.VOXIMPLANT_CREDENTIALS_SECRET_ID = values['credentials-secret'];
  if (needs === 'apply' && !env.VOXIMPLANT_CREDENTIALS_SECRET_ID && !env.VOXIMPLANT_CREDENTIALS_FILE) {
    throw usageError('releasing applies changes: give --credentials-secret <id> (stack output CredentialsSecretArn)');
  }
  const config = loadConfig(env);
  const logger = createLogger('operator');
  return storeHeldOperations({
    apply: () => createApplyDeps(config, logger),
    held: new DynamoHeldStore(dynamoDocumentClient(), table),
    logger,
  });
}

/** A selection error (no such id, an ambiguous event id) as a CLI error. */
export async function asCliError<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof HeldSelectionError) throw new CliError('not_found', error.message);
    throw error;
  }
}

export function formatHeld(list: readonly HeldView[]): string {
  if (list.length === 0) return 'no held changes';
  const lines = list.map(
    (h) =>
      `${h.ordering_time}  ${h.kind.padEnd(12)} account ${h.account} admin ${h.admin_user_id}  ${h.source} ${h.event_id}\n` +
      `    hold id ${h.hold_id}\n    ${h.reason_code}: ${h.reason}${h.password_dropped ? ' (the password was not stored; the IdP sends it again)' : ''}`,
  );
  return [`${list.length} held change(s), in release order:`, ...lines].join('\n');
}

export function formatReports(reports: readonly ReleaseReport[]): string {
  if (reports.length === 0) return 'nothing released';
  return reports
    .map(
      (r) =>
        `${r.outcome.padEnd(9)} ${r.source} ${r.event_id} (admin ${r.admin_user_id})` +
        (r.error_code === undefined ? '' : `  ${r.error_code}${r.error_message ? `: ${r.error_message}` : ''}`) +
        (r.outcome === 'retry' ? '  (still held; the release stopped here so nothing overtakes it)' : ''),
    )
    .join('\n');
}
