import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import {
  CreateTableCommand,
  DynamoDBClient,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { AUDIT_DAY_INDEX_DEFINITION } from '../../src/audit/audit-keys';
import { closerOf, listenOn } from '../../src/runtime/node-http';

/**
 * DynamoDB on this machine for `npm start` and tests: dynalite in-process and in memory (ready in about 100 ms).
 * It has no TTL and no transactions, which the state store does not need; expiry is checked
 * on read (src/state/keys.ts).
 */
export interface LocalDynamo {
  endpoint: string;
  close(): Promise<void>;
}

interface DynaliteOptions {
  createTableMs?: number;
  deleteTableMs?: number;
  updateTableMs?: number;
}

// dynalite is CommonJS without type declarations, and the build keeps it external (scripts/build.mjs); createRequire
// loads it from node_modules at run time in both the bundle and the tests.
const requireCjs = createRequire(import.meta.url);

/** Credentials and region for local endpoints: the SDK insists on both, dynalite checks neither. */
export const localAwsClientConfig = {
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
} as const;

export async function startDynalite(opts: { port?: number; host?: string } = {}): Promise<LocalDynamo> {
  const dynalite = requireCjs('dynalite') as (options: DynaliteOptions) => Server;
  // Tables are ACTIVE at once instead of after dynalite's default 500 ms.
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const host = opts.host ?? '127.0.0.1';
  const { port } = await listenOn(server, opts.port ?? 0, host);
  return { endpoint: `http://${host}:${port}`, close: closerOf(server) };
}

/**
 * Creates the state table of docs/CONTRACT.md#configuration (pk S, sk S, on-demand, the audit day index) if it does not exist, and turns on
 * TTL for `expires_at`. dynalite has no TTL API and answers UnknownOperationException; that is ignored because the
 * stores check `expires_at` on every read anyway.
 */
export async function ensureStateTable(endpoint: string, tableName: string): Promise<void> {
  const client = new DynamoDBClient({ ...localAwsClientConfig, endpoint, maxAttempts: 3 });
  try {
    try {
      await client.send(
        new CreateTableCommand({
          TableName: tableName,
          AttributeDefinitions: [
            { AttributeName: 'pk', AttributeType: 'S' },
            { AttributeName: 'sk', AttributeType: 'S' },
            ...AUDIT_DAY_INDEX_DEFINITION.attributeDefinitions,
          ],
          KeySchema: [
            { AttributeName: 'pk', KeyType: 'HASH' },
            { AttributeName: 'sk', KeyType: 'RANGE' },
          ],
          // The audit history's day index, as infra/state-table.yml declares it (src/audit/audit-keys.ts).
          GlobalSecondaryIndexes: [AUDIT_DAY_INDEX_DEFINITION.globalSecondaryIndex],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
    } catch (error) {
      if (!(error instanceof ResourceInUseException)) throw error;
    }
    await waitUntilTableExists({ client, maxWaitTime: 30, minDelay: 1, maxDelay: 2 }, { TableName: tableName });
    try {
      await client.send(
        new UpdateTimeToLiveCommand({
          TableName: tableName,
          TimeToLiveSpecification: { AttributeName: 'expires_at', Enabled: true },
        }),
      );
    } catch (error) {
      const name = error instanceof Error ? error.name : '';
      const message = error instanceof Error ? error.message : '';
      const unsupported = name === 'UnknownOperationException'; // dynalite
      const alreadyOn = name === 'ValidationException' && /already enabled/i.test(message); // a second run on DynamoDB
      if (!unsupported && !alreadyOn) throw error;
    }
  } finally {
    client.destroy();
  }
}
