import {
  CreateTableCommand,
  DynamoDBClient,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { AUDIT_DAY_INDEX_DEFINITION } from '../../src/audit/audit-keys';

/** Credentials and region for local endpoints: the SDK insists on both, the local servers check neither. */
export const localAwsClientConfig = {
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
} as const;

/**
 * Creates the state table of docs/CONTRACT.md#configuration (pk S, sk S, on-demand, the audit day index) if it does not exist, and turns on
 * TTL for `expires_at` (DynamoDB Local accepts the setting but never expires an item: the stores check `expires_at` on
 * every read anyway).
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
      const unsupported = name === 'UnknownOperationException'; // an emulator without the TTL API
      const alreadyOn = name === 'ValidationException' && /already enabled/i.test(message); // a second run on DynamoDB
      if (!unsupported && !alreadyOn) throw error;
    }
  } finally {
    client.destroy();
  }
}
