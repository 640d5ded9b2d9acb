import {
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  TransactionCanceledException,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { startLocalDynamo } from '../../../tooling/local/dynamodb-local';
import { ensureStateTable, localAwsClientConfig } from '../../../tooling/local/state-table';
import { localDocumentClient } from '../../support/aws';
import { dynamoEndpoint } from '../../support/dynamo';

describe('DynamoDB Local and ensureStateTable', () => {
  it("creates the contract's state table, twice without complaint, with TTL on expires_at", async () => {
    const endpoint = dynamoEndpoint();
    expect(endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await ensureStateTable(endpoint, 'state-twice');
    await ensureStateTable(endpoint, 'state-twice');
    const client = new DynamoDBClient({ ...localAwsClientConfig, endpoint });
    try {
      const { Table } = await client.send(new DescribeTableCommand({ TableName: 'state-twice' }));
      expect(Table?.TableStatus).toBe('ACTIVE');
      expect(Table?.KeySchema).toEqual([
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ]);
      expect(Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
      const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: 'state-twice' }));
      expect(ttl.TimeToLiveDescription?.AttributeName).toBe('expires_at');
    } finally {
      client.destroy();
    }
  });

  it('answers a cancelled transaction with the old item of the failed condition, as DynamoDB does', async () => {
    const endpoint = dynamoEndpoint();
    await ensureStateTable(endpoint, 'state-tx');
    const client = new DynamoDBClient({ ...localAwsClientConfig, endpoint });
    const put = () =>
      client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            {
              Put: {
                TableName: 'state-tx',
                Item: { pk: { S: 'a' }, sk: { S: 'b' }, n: { N: '1' } },
                ConditionExpression: 'attribute_not_exists(pk)',
                ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
              },
            },
            { Put: { TableName: 'state-tx', Item: { pk: { S: 'a' }, sk: { S: 'c' } } } },
          ],
        }),
      );
    try {
      await put();
      const error = await put().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TransactionCanceledException);
      const reasons = (error as TransactionCanceledException).CancellationReasons ?? [];
      expect(reasons[0]?.Code).toBe('ConditionalCheckFailed');
      expect(reasons[0]?.Item?.n).toEqual({ N: '1' });
      expect(reasons[1]?.Code).toBe('None');
    } finally {
      client.destroy();
    }
  });

  it('a second instance starts on its own free port and stops, dropping its clients', async () => {
    const dynamo = await startLocalDynamo();
    expect(dynamo.endpoint).not.toBe(dynamoEndpoint());
    await ensureStateTable(dynamo.endpoint, 'state');
    const doc = localDocumentClient(dynamo.endpoint);
    await doc.send(new PutCommand({ TableName: 'state', Item: { pk: 'a', sk: 'b' } }));
    await dynamo.close();
    await expect(doc.send(new PutCommand({ TableName: 'state', Item: { pk: 'a', sk: 'c' } }))).rejects.toThrow();
    doc.destroy();
  });
});
