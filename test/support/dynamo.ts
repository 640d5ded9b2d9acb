import { randomUUID } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll } from 'vitest';
import { ensureStateTable, type LocalDynamo, startDynalite } from '../../tooling/local/dynalite';
import { localDocumentClient } from './aws';

export interface StateTable {
  endpoint: string;
  tableName: string;
  doc: DynamoDBDocumentClient;
}

let shared: { dynamo: Promise<LocalDynamo>; users: number } | undefined;

/** One dynalite per test file (vitest isolates modules per file), a fresh uniquely named state table per call; fields are set in beforeAll. */
export function useStateTable(): StateTable {
  const table = {} as StateTable;
  beforeAll(async () => {
    shared ??= { dynamo: startDynalite(), users: 0 };
    shared.users += 1;
    const { endpoint } = await shared.dynamo;
    const tableName = `state-${randomUUID()}`;
    await ensureStateTable(endpoint, tableName);
    Object.assign(table, { endpoint, tableName, doc: localDocumentClient(endpoint) });
  });
  afterAll(async () => {
    table.doc?.destroy();
    if (shared === undefined) return;
    shared.users -= 1;
    if (shared.users === 0) {
      const { dynamo } = shared;
      shared = undefined;
      await (await dynamo).close();
    }
  });
  return table;
}
