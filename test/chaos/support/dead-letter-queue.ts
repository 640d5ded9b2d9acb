import { DeleteMessageCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { SeenDeadLetter } from './checks';

/** Takes every message now in a (fauxqs) dead-letter queue, with the reason the worker gave as attributes. */
export async function drainDeadLetters(sqs: SQSClient, queueUrl: string): Promise<SeenDeadLetter[]> {
  const seen: SeenDeadLetter[] = [];
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
      const attributes = m.MessageAttributes ?? {};
      const key = attributes.idempotency_key?.StringValue;
      seen.push({
        body: m.Body ?? '',
        errorCode: attributes.error_code?.StringValue ?? '(none)',
        ...(key !== undefined && { idempotencyKey: key }),
      });
      await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle }));
    }
  }
}
