import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { idempotencyKey } from '../../../src/events/idempotency-key';
import { idempotencyItemKey } from '../../../src/state/keys';
import { localAwsClientConfig } from '../../../tooling/local/state-table';
import { useWorkerWorld, workerEvent } from '../../support/worker-world';

/**
 * A state-table failure under a change, through the built worker bundle, decided by its classification: a permanent
 * one (an item of the wrong shape) is dead-lettered at once with its code, instead of being handed back until SQS
 * gives up on it without a reason.
 */
const { world, runWorker, drainDeadLetters, fresh } = useWorkerWorld();

describe('worker bundle: permanent state failures', () => {
  it('dead-letters a change whose idempotency record is malformed (state_record_malformed) and calls nothing', async () => {
    const tableName = await fresh();
    const event = workerEvent('admin.deactivated', { admin_user_name: 'asmith' });
    const key = idempotencyItemKey(idempotencyKey(event.source, event.id));
    const dynamo = new DynamoDBClient({ ...localAwsClientConfig, endpoint: world.env.AWS_ENDPOINT_URL_DYNAMODB });
    try {
      await dynamo.send(
        new PutItemCommand({
          TableName: tableName,
          Item: { pk: { S: key.pk }, sk: { S: key.sk }, status: { S: 'hand-edited' } },
        }),
      );
    } finally {
      dynamo.destroy();
    }

    const { results, stderr } = await runWorker([[{ body: event, groupId: 'main/name:asmith' }]]);

    expect(results[0]?.batchItemFailures).toEqual([]);
    expect(world.sim.calls().filter((c) => c.method === 'SetAdminUserInfo')).toEqual([]);
    expect(stderr).toContain('"error_code":"state_record_malformed"');
    const letters = await drainDeadLetters();
    expect(letters.map((l) => [l.attributes.error_code, l.attributes.event_id])).toEqual([
      ['state_record_malformed', event.id],
    ]);
  });
});
