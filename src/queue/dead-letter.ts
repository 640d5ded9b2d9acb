import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';

export interface DeadLetter {
  /** The original message body: the CloudEvent as it arrived (docs/CONTRACT.md#dead-letters). */
  body: string;
  groupId: string;
  dedupId: string;
  errorCode: string;
  errorMessage: string;
  eventId?: string;
  idempotencyKey?: string;
}

export type SendDeadLetter = (letter: DeadLetter) => Promise<void>;

// SQS string attributes may not be empty and are capped with the whole message at 256 KiB; a reason is short.
const MAX_ATTRIBUTE_CHARS = 1024;

function attribute(value: string) {
  const text = value === '' ? '-' : value.slice(0, MAX_ATTRIBUTE_CHARS);
  return { DataType: 'String', StringValue: text };
}

/**
 * Permanent failures go to the FIFO dead-letter queue at once, with the reason as message attributes, so operators see
 * them without waiting for five SQS receives (docs/CONTRACT.md#dead-letters).
 */
export function sqsDeadLetterSender(sqs: SQSClient, queueUrl: string): SendDeadLetter {
  return async (letter) => {
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: letter.body,
        MessageGroupId: letter.groupId,
        MessageDeduplicationId: letter.dedupId,
        MessageAttributes: {
          error_code: attribute(letter.errorCode),
          error_message: attribute(letter.errorMessage),
          ...(letter.eventId !== undefined && { event_id: attribute(letter.eventId) }),
          ...(letter.idempotencyKey !== undefined && { idempotency_key: attribute(letter.idempotencyKey) }),
        },
      }),
    );
  };
}
