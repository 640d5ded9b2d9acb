import { DescribeTableCommand, DescribeTimeToLiveCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ensureStateTable,
  type LocalDynamo,
  localAwsClientConfig,
  startDynalite,
} from '../../../tooling/local/dynalite';
import { localDocumentClient } from '../../support/aws';

describe('startDynalite and ensureStateTable', () => {
  const started: LocalDynamo[] = [];
  afterAll(async () => {
    await Promise.all(started.map((d) => d.close()));
  });

  it("creates the contract's state table, twice without complaint, on a random local port", async () => {
    const dynamo = await startDynalite();
    started.push(dynamo);
    expect(dynamo.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await ensureStateTable(dynamo.endpoint, 'state');
    await ensureStateTable(dynamo.endpoint, 'state'); // exists already; UpdateTimeToLive unsupported: both ignored
    const client = new DynamoDBClient({ ...localAwsClientConfig, endpoint: dynamo.endpoint });
    try {
      const { Table } = await client.send(new DescribeTableCommand({ TableName: 'state' }));
      expect(Table?.TableStatus).toBe('ACTIVE');
      expect(Table?.KeySchema).toEqual([
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ]);
      expect(Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
      // dynalite has no TTL (UpdateTimeToLive is an UnknownOperationException): the stores check expires_at themselves.
      const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: 'state' }));
      expect(ttl.TimeToLiveDescription?.TimeToLiveStatus).toBe('DISABLED');
    } finally {
      client.destroy();
    }
  });

  it('closes promptly while a client still holds a keep-alive connection', async () => {
    const dynamo = await startDynalite();
    await ensureStateTable(dynamo.endpoint, 'state');
    const doc = localDocumentClient(dynamo.endpoint);
    await doc.send(new PutCommand({ TableName: 'state', Item: { pk: 'a', sk: 'b' } }));
    await dynamo.close(); // would wait for the idle socket's keep-alive timeout without closeAllConnections
    await expect(doc.send(new PutCommand({ TableName: 'state', Item: { pk: 'a', sk: 'c' } }))).rejects.toThrow();
    doc.destroy();
  });
});
