import { randomUUID } from 'node:crypto';
import type { SQSEvent, SQSRecord } from 'aws-lambda';

/** An SQS FIFO event as Lambda delivers it, from message bodies (objects are JSON-encoded) and their groups. */
export function sqsFifoEvent(
  messages: { body: unknown; groupId: string; messageId?: string; receiveCount?: number; receiptHandle?: string }[],
): SQSEvent {
  return {
    Records: messages.map(
      (m): SQSRecord => ({
        messageId: m.messageId ?? randomUUID(),
        receiptHandle: m.receiptHandle ?? `rh-${randomUUID()}`,
        body: typeof m.body === 'string' ? m.body : JSON.stringify(m.body),
        attributes: {
          ApproximateReceiveCount: String(m.receiveCount ?? 1),
          SentTimestamp: String(Date.now()),
          SenderId: 'AIDATEST',
          ApproximateFirstReceiveTimestamp: String(Date.now()),
          MessageGroupId: m.groupId,
          MessageDeduplicationId: randomUUID(),
          SequenceNumber: '1',
        },
        messageAttributes: {},
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:vox-admin-bridge-test.fifo',
        awsRegion: 'us-east-1',
      }),
    ),
  };
}
