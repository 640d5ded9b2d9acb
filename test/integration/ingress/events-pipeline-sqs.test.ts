import { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { protectedAdmins } from '../../../src/events/protected-admins';
import { handleEventsRequest } from '../../../src/ingress/events-request';
import { type Enqueue, sqsEnqueue } from '../../../src/queue/enqueue';
import { dynamoWebhookIdStore } from '../../../src/state/webhook-id-store';
import { localAwsClientConfig } from '../../../tooling/local/state-table';
import { cloudEvent } from '../../support/cloud-event';
import { drainQueue } from '../../support/drain-queue';
import { useStateTable } from '../../support/dynamo';
import { type FifoQueue, startFifoQueue } from '../../support/fauxqs-fifo';
import { constantSecret, NOW, newWebhookSecret, signedRequest, silentLogger } from '../../support/ingress-fixtures';

/** The `/events` pipeline against a real SQS FIFO API (fauxqs): chunking, order, and what an SQS failure answers. */
let queues: FifoQueue;
let sqs: SQSClient;
const secret = newWebhookSecret();
const state = useStateTable();
let webhookCounter = 0;

beforeAll(async () => {
  queues = await startFifoQueue('pipeline-test.fifo');
  sqs = queues.sqs;
});

afterAll(async () => {
  await queues?.close();
});

beforeEach(async () => {
  await drainQueue(sqs, queues.queueUrl);
});

const post = (events: unknown[], enqueue: Enqueue) =>
  handleEventsRequest({
    request: signedRequest({
      secrets: [secret],
      body: JSON.stringify(events),
      contentType: 'application/cloudevents-batch+json',
      webhookId: `msg_pipeline_${++webhookCounter}`,
    }),
    now: NOW,
    secrets: constantSecret({ secrets: [secret] }),
    toleranceSeconds: 300,
    webhookIds: dynamoWebhookIdStore(state.doc, state.tableName),
    enqueue,
    protected: protectedAdmins([]),
    logger: silentLogger,
  });

describe('events pipeline with SQS FIFO', () => {
  it('queues 100 events in SendMessageBatch chunks of 10, each admin group in request order', async () => {
    const events = Array.from({ length: 100 }, (_, i) =>
      cloudEvent({
        id: `e${String(i).padStart(3, '0')}`,
        type: i % 2 === 0 ? 'admin.deactivated' : 'admin.activated',
        data: { admin_user_id: (i % 7) + 10 },
      }),
    );
    const response = await post(events, sqsEnqueue(sqs, queues.queueUrl));
    expect(response.statusCode).toBe(202);
    const queued = await drainQueue(sqs, queues.queueUrl);
    expect(queued).toHaveLength(100);
    for (let admin = 10; admin < 17; admin++) {
      const ids = queued.filter((m) => m.groupId === `main/id:${admin}`).map((m) => JSON.parse(m.body).id);
      const sent = events.filter((e) => (e.data as { admin_user_id: number }).admin_user_id === admin).map((e) => e.id);
      expect(ids).toEqual(sent);
    }
  });

  it('answers 503, not 202, when the queue does not exist', async () => {
    const missing = `${queues.endpoint}/000000000000/no-such-queue.fifo`;
    const response = await post([cloudEvent()], sqsEnqueue(sqs, missing));
    expect(response.statusCode).toBe(503);
    expect(JSON.parse(response.body).type).toMatch(/queue-unavailable$/);
  });

  it('answers 503 when SQS cannot be reached at all', async () => {
    const unreachable = new SQSClient({ ...localAwsClientConfig, endpoint: 'http://127.0.0.1:9', maxAttempts: 1 });
    try {
      const response = await post([cloudEvent()], sqsEnqueue(unreachable, 'http://127.0.0.1:9/000000000000/q.fifo'));
      expect(response.statusCode).toBe(503);
    } finally {
      unreachable.destroy();
    }
    expect(await drainQueue(sqs, queues.queueUrl)).toEqual([]);
  });
});
