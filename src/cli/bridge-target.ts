import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { type Config, loadConfig } from '../config';
import { createDynamoDocumentClient } from '../state/dynamo';
import { CliError, usageError } from './cli-error';
import { fetchOrExplain, parseUrl } from './http-call';
import type { CliIo } from './io';

/**
 * The options every operator command takes to find the bridge it works on: `--local` for a running `npm start`, or a
 * deployed stack's resources, named by flags or the functions' own variables (docs/OPERATIONS.md#finding-the-stack).
 */
export const TARGET_OPTIONS = {
  local: { type: 'boolean' },
  'local-url': { type: 'string' },
  table: { type: 'string' },
  'secret-id': { type: 'string' },
  credentials: { type: 'string' },
  'api-url': { type: 'string' },
  protected: { type: 'string' },
} as const;

export const TARGET_HELP = `Where (one of):
  --local               a running \`npm start\` on this machine (read from its /__dev/runtime)
  --local-url <url>     that bridge's URL (default: http://127.0.0.1:$PORT, PORT=8787)
  or a deployed stack, with your AWS credentials (AWS_PROFILE, AWS_REGION, ...):
  --table <name>        the state table: stack output StateTableName (default: $STATE_TABLE)
  --secret-id <id>      the credentials secret: output CredentialsSecretArn; your role must be the
                        stage's credentialsReaderRoleArn (default: $VOXIMPLANT_CREDENTIALS_SECRET_ID)
  --credentials <file>  a credentials.json on disk instead (default: $VOXIMPLANT_CREDENTIALS_FILE)
  --api-url <url>       the Management API base (default: $VOXIMPLANT_API_URL or production)
  --protected <list>    the stage's protectedAdminUsers (default: $PROTECTED_ADMIN_USERS)`;

export type TargetValues = Partial<Record<keyof typeof TARGET_OPTIONS, string | boolean>>;

/** What a running `npm start` says about itself (tooling/local/dev-runtime.ts, GET /__dev/runtime). */
export const devRuntimeInfoSchema = z.object({
  state_table: z.string().min(1),
  dynamodb_endpoint: z.url(),
  voximplant_api_url: z.url(),
  credentials_file: z.string().min(1),
  protected_admin_users: z.string(),
  reactivation_sources: z.string().default(''),
  region: z.string().min(1),
});

export interface BridgeTarget {
  /** `local`, or the table name. */
  label: string;
  config: Config;
  doc: DynamoDBDocumentClient;
  /** Whether PROTECTED_ADMIN_USERS was stated (a local bridge always states it). */
  protectedKnown: boolean;
  close(): void;
}

function str(v: string | boolean | undefined): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** Resolves the target from the flags and environment; `needs` says which parts the command uses. */
export async function resolveTarget(
  values: TargetValues,
  io: CliIo,
  needs: { table?: boolean; voximplant?: boolean },
): Promise<BridgeTarget> {
  if (values.local === true || values['local-url'] !== undefined) return localTarget(values, io);
  const table = str(values.table) ?? io.env.STATE_TABLE;
  if (needs.table && table === undefined) {
    throw usageError('--table is required (the stack output StateTableName), or --local for `npm start`');
  }
  const secretId = str(values['secret-id']) ?? io.env.VOXIMPLANT_CREDENTIALS_SECRET_ID;
  const file = str(values.credentials) ?? io.env.VOXIMPLANT_CREDENTIALS_FILE;
  if (needs.voximplant && secretId === undefined && file === undefined) {
    throw usageError('--secret-id (the stack output CredentialsSecretArn) or --credentials <file> is required');
  }
  const protectedList = typeof values.protected === 'string' ? values.protected : io.env.PROTECTED_ADMIN_USERS;
  const config = loadConfig({
    STATE_TABLE: table,
    VOXIMPLANT_CREDENTIALS_SECRET_ID: secretId,
    VOXIMPLANT_CREDENTIALS_FILE: secretId === undefined ? file : undefined,
    VOXIMPLANT_API_URL: str(values['api-url']) ?? io.env.VOXIMPLANT_API_URL,
    PROTECTED_ADMIN_USERS: protectedList,
    REACTIVATION_SOURCES: io.env.REACTIVATION_SOURCES,
    AUDIT_RETENTION_DAYS: io.env.AUDIT_RETENTION_DAYS,
  });
  const doc = createDynamoDocumentClient();
  return {
    label: table ?? 'Voximplant',
    config,
    doc,
    protectedKnown: protectedList !== undefined,
    close: () => doc.destroy(),
  };
}

async function localTarget(values: TargetValues, io: CliIo): Promise<BridgeTarget> {
  const base = parseUrl('--local-url', str(values['local-url']) ?? `http://127.0.0.1:${io.env.PORT || '8787'}`);
  const url = new URL('/__dev/runtime', base).href;
  const response = await fetchOrExplain(io.fetch, url, { method: 'GET' }, 'is `npm start` running?');
  const parsed = devRuntimeInfoSchema.safeParse(await response.json().catch(() => undefined));
  if (!response.ok || !parsed.success) {
    throw new CliError('not_a_local_bridge', `${url} did not answer as a local vox-admin-bridge (npm start)`);
  }
  const info = parsed.data;
  const config = loadConfig({
    STATE_TABLE: info.state_table,
    VOXIMPLANT_API_URL: info.voximplant_api_url,
    VOXIMPLANT_CREDENTIALS_FILE: info.credentials_file,
    PROTECTED_ADMIN_USERS: info.protected_admin_users,
    REACTIVATION_SOURCES: info.reactivation_sources,
  });
  // The local DynamoDB checks no signature, but the SDK insists on credentials and a region.
  const doc = createDynamoDocumentClient({
    endpoint: info.dynamodb_endpoint,
    region: info.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  return { label: 'local', config, doc, protectedKnown: true, close: () => doc.destroy() };
}
