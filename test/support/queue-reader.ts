import { DeleteMessageBatchCommand, type Message, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';

export interface QueuedMessage {
  body: string;
  groupId: string | undefined;
  dedupId: string | undefined;
}

/**
 * Everything on a FIFO queue, oldest first. fauxqs hands out at most one message per group per receive (and locks
 * the group until it is deleted), so this receives and deletes until a receive comes back empty.
 */
export async function drainQueue(sqs: SQSClient, queueUrl: string): Promise<QueuedMessage[]> {
  const all: QueuedMessage[] = [];
  for (;;) {
    const out = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
        VisibilityTimeout: 30,
        MessageSystemAttributeNames: ['MessageGroupId', 'MessageDeduplicationId'],
      }),
    );
    const messages: Message[] = out.Messages ?? [];
    if (messages.length === 0) return all;
    for (const m of messages) {
      all.push({
        body: m.Body ?? '',
        groupId: m.Attributes?.MessageGroupId,
        dedupId: m.Attributes?.MessageDeduplicationId,
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
