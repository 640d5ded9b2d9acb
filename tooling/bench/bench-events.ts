import { randomUUID } from 'node:crypto';
import type { SQSRecord } from 'aws-lambda';
import { messageGroupId } from '../../src/events/message-group';

/** The events both sides of the benchmark apply: the common lifecycle changes, each admin by id. */
export function benchEvents(count: number, adminIds: readonly number[], runId: string): Record<string, unknown>[] {
  const start = Date.now() - count * 1000;
  return Array.from({ length: count }, (_, i) => {
    const adminUserId = adminIds[i % adminIds.length] ?? 100;
    const kind = i % 3;
    return {
      specversion: '1.0',
      id: `${runId}-${i}`,
      source: 'urn:bench:hr',
      type: kind === 0 ? 'admin.deactivated' : kind === 1 ? 'admin.activated' : 'admin.updated',
      time: new Date(start + i * 1000).toISOString(),
      data:
        kind === 2
          ? { admin_user_id: adminUserId, admin_user_display_name: `Bench ${adminUserId} v${i}` }
          : { admin_user_id: adminUserId },
    };
  });
}

/** The events as the SQS FIFO event source hands them to a function: batches of `size`, in send order. */
export function sqsBatches(events: readonly Record<string, unknown>[], size = 10): SQSRecord[][] {
  const batches: SQSRecord[][] = [];
  for (let i = 0; i < events.length; i += size) {
    batches.push(events.slice(i, i + size).map((event) => sqsRecord(event)));
  }
  return batches;
}

function sqsRecord(event: Record<string, unknown>): SQSRecord {
  const data = event.data as { admin_user_id: number };
  return {
    messageId: randomUUID(),
    receiptHandle: 'bench',
    body: JSON.stringify(event),
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: String(Date.now()),
      SenderId: 'AIDABENCH',
      ApproximateFirstReceiveTimestamp: String(Date.now()),
      MessageGroupId: messageGroupId({ adminUserId: data.admin_user_id }),
      MessageDeduplicationId: String(event.id),
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:bench.fifo',
    awsRegion: 'us-east-1',
  };
}
