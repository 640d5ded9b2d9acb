import { DeleteMessageCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';

export interface DrainedMessage {
  body: string;
  /** String message attributes (the dead-letter reason: error_code, error_message, event_id, idempotency_key). */
  attributes: Record<string, string>;
}

/** Takes (receives and deletes) every message now in a local queue, such as the dead-letter queue. */
export async function drainQueue(sqs: SQSClient, queueUrl: string): Promise<DrainedMessage[]> {
  const seen: DrainedMessage[] = [];
  for (;;) {
    const out = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        MessageAttributeNames: ['All'],
        WaitTimeSeconds: 0,
      }),
    );
    const messages = out.Messages ?? [];
    if (messages.length === 0) return seen;
    for (const m of messages) {
      const attributes: Record<string, string> = {};
      for (const [k, v] of Object.entries(m.MessageAttributes ?? {})) attributes[k] = v.StringValue ?? '';
      seen.push({ body: m.Body ?? '', attributes });
      await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle }));
    }
  }
}
