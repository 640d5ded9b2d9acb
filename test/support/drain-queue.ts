import { DeleteMessageBatchCommand, type Message, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';

export interface DrainedMessage {
  body: string;
  /** FIFO queues only: the MessageGroupId and MessageDeduplicationId system attributes. */
  groupId: string | undefined;
  dedupId: string | undefined;
  /** String message attributes (the dead-letter reason: error_code, error_message, event_id, idempotency_key). */
  attributes: Record<string, string>;
}

/**
 * Takes (receives and deletes) every message now in a local queue, oldest first: the event queue or the dead-letter
 * queue. fauxqs hands out at most one message per group per receive (and locks the group until it is deleted), so
 * this receives and deletes until a receive comes back empty.
 */
export async function drainQueue(sqs: SQSClient, queueUrl: string): Promise<DrainedMessage[]> {
  const all: DrainedMessage[] = [];
  for (;;) {
    const out = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
        VisibilityTimeout: 30,
        MessageAttributeNames: ['All'],
        MessageSystemAttributeNames: ['MessageGroupId', 'MessageDeduplicationId'],
      }),
    );
    const messages: Message[] = out.Messages ?? [];
    if (messages.length === 0) return all;
    for (const m of messages) {
      const attributes: Record<string, string> = {};
      for (const [k, v] of Object.entries(m.MessageAttributes ?? {})) attributes[k] = v.StringValue ?? '';
      all.push({
        body: m.Body ?? '',
        groupId: m.Attributes?.MessageGroupId,
        dedupId: m.Attributes?.MessageDeduplicationId,
        attributes,
      });
    }
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: messages.map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle })),
      }),
    );
  }
}
