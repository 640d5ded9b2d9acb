import { randomUUID } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, inject } from 'vitest';
import { ensureStateTable } from '../../tooling/local/state-table';
import { localDocumentClient } from './aws';

export interface StateTable {
  endpoint: string;
  tableName: string;
  doc: DynamoDBDocumentClient;
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** The DynamoDB Local that test/support/global-setup.ts started for the whole run. */
    dynamoEndpoint: string;
  }
}

/** The run's one DynamoDB Local (a JVM takes about 1.5 s to start, so it is shared; tables never are). */
export function dynamoEndpoint(): string {
  return inject('dynamoEndpoint');
}

/** A fresh uniquely named state table per call on the run's DynamoDB Local; fields are set in beforeAll. */
export function useStateTable(): StateTable {
  const table = {} as StateTable;
  beforeAll(async () => {
    const endpoint = dynamoEndpoint();
    const tableName = `state-${randomUUID()}`;
    await ensureStateTable(endpoint, tableName);
    Object.assign(table, { endpoint, tableName, doc: localDocumentClient(endpoint) });
  });
  afterAll(() => {
    table.doc?.destroy();
  });
  return table;
}
