import {
  ChangeMessageVisibilityBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  type SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';

/** One dead letter as the CLI prints it (the attributes of docs/CONTRACT.md#dead-letters). */
export interface DeadLetterLine {
  message_id: string;
  message_group_id?: string;
  error_code?: string;
  error_message?: string;
  event_id?: string;
  body: string;
}

/** How long the listing hides what it read; made visible again right after. */
const PEEK_VISIBILITY_SECONDS = 30;

/**
 * Reads up to `max` dead letters without removing them: received with a short visibility timeout, then made visible
 * again at once (ChangeMessageVisibility 0). A FIFO queue hands out no later message of a group while an earlier one
 * is in flight (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/FIFO-queues-understanding-logic.html),
 * so the listing shows the oldest letter of each admin; `approximate` counts them all.
 */
export async function peekDeadLetters(
  sqs: SQSClient,
  queueUrl: string,
  max: number,
): Promise<{ approximate: number; letters: DeadLetterLine[] }> {
  const attrs = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }),
  );
  const approximate = Number(attrs.Attributes?.ApproximateNumberOfMessages ?? 0);
  const letters: DeadLetterLine[] = [];
  const handles: string[] = [];
  try {
    while (letters.length < max) {
      const out = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: Math.min(10, max - letters.length),
          VisibilityTimeout: PEEK_VISIBILITY_SECONDS,
          WaitTimeSeconds: 1,
          MessageSystemAttributeNames: ['MessageGroupId'],
          MessageAttributeNames: ['All'],
        }),
      );
      const messages = out.Messages ?? [];
      if (messages.length === 0) break;
      for (const m of messages) {
        if (m.ReceiptHandle !== undefined) handles.push(m.ReceiptHandle);
        const attr = (n: string) => m.MessageAttributes?.[n]?.StringValue;
        letters.push({
          message_id: m.MessageId ?? '',
          ...(m.Attributes?.MessageGroupId !== undefined && { message_group_id: m.Attributes.MessageGroupId }),
          ...(attr('error_code') !== undefined && { error_code: attr('error_code') }),
          ...(attr('error_message') !== undefined && { error_message: attr('error_message') }),
          ...(attr('event_id') !== undefined && { event_id: attr('event_id') }),
          body: m.Body ?? '',
        });
      }
    }
  } finally {
    for (let i = 0; i < handles.length; i += 10) {
      await sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: queueUrl,
          Entries: handles.slice(i, i + 10).map((h, j) => ({ Id: String(j), ReceiptHandle: h, VisibilityTimeout: 0 })),
        }),
      );
    }
  }
  return { approximate, letters };
}

export async function queueArn(sqs: SQSClient, queueUrl: string): Promise<string> {
  const out = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }));
  const arn = out.Attributes?.QueueArn;
  if (arn === undefined) throw new Error(`SQS returned no QueueArn for ${queueUrl}`);
  return arn;
}

/**
 * SQS's own redrive: an asynchronous message-move task from the dead-letter queue to the event queue
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_StartMessageMoveTask.html). SQS supports
 * it for a FIFO dead-letter queue whose destination is a FIFO queue too
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-configure-dead-letter-queue-redrive.html);
 * the destination is named, not left to "the original source", because the worker sends most letters itself
 * (SendMessage), and SQS knows no source for those.
 */
export async function startRedrive(sqs: SQSClient, sourceArn: string, destinationArn: string): Promise<string> {
  const out = await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: sourceArn, DestinationArn: destinationArn }));
  return out.TaskHandle ?? '';
}
