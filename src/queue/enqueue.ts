import {
  SendMessageBatchCommand,
  type SendMessageBatchCommandOutput,
  type SendMessageBatchRequestEntry,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { BridgeError } from '../errors/bridge-error';

/** One message for the FIFO queue: the CloudEvent JSON, its admin's group, and its idempotency key. */
export interface QueueEntry {
  body: string;
  groupId: string;
  dedupId: string;
  /** Epoch ms at which the ingress accepted the request; sent as the `accepted_at` message attribute. */
  acceptedAtMs: number;
}

/** What ingress needs from a queue; the Lambda binds SQS, the local runtime an in-memory queue, tests either. */
export type Enqueue = (entries: readonly QueueEntry[]) => Promise<void>;

/**
 * The queue did not take every message. Some earlier chunks may already be on the queue, and the caller answers
 * 503 so the sender retries the whole request. That retry is safe: every message carries
 * a `MessageDeduplicationId` derived from the event's idempotency key and what the change does, and SQS FIFO drops
 * a message whose dedup id it has seen in the last 5 minutes, reporting it as sent
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/FIFO-key-terms.html); past that
 * window the worker's idempotency record (docs/CONTRACT.md#idempotency) makes the second copy a no-op.
 */
export class QueueUnavailableError extends BridgeError {
  declare readonly code: 'queue_unavailable';
  constructor(
    message: string,
    /** Messages SQS had accepted before the failure (they stay queued). */
    readonly enqueued: number,
    options?: { cause?: unknown },
  ) {
    super('queue_unavailable', message, { retry: 'transient', ...options });
    this.name = 'QueueUnavailableError';
  }
}

/** SendMessageBatch takes at most 10 entries (SQS quota). */
export const MAX_BATCH_ENTRIES = 10;
/**
 * And at most 256 KiB for the whole batch on queues created before SQS raised the message size to 1 MiB; keeping
 * each request under the older limit works on every queue. A single larger message goes alone.
 */
export const MAX_BATCH_BYTES = 256 * 1024;

export function chunkEntries(entries: readonly QueueEntry[]): QueueEntry[][] {
  const chunks: QueueEntry[][] = [];
  let current: QueueEntry[] = [];
  let bytes = 0;
  for (const entry of entries) {
    const size = Buffer.byteLength(entry.body, 'utf8');
    if (current.length > 0 && (current.length === MAX_BATCH_ENTRIES || bytes + size > MAX_BATCH_BYTES)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(entry);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/**
 * Sends every entry, in order, or throws QueueUnavailableError. Chunks go one after another, not in parallel:
 * SQS FIFO keeps the order of messages within one SendMessageBatch and across sequential calls, and two changes
 * to the same admin in one request must reach the worker in the order they were sent.
 */
export async function enqueueEvents(sqs: SQSClient, queueUrl: string, entries: readonly QueueEntry[]): Promise<void> {
  let enqueued = 0;
  for (const chunk of chunkEntries(entries)) {
    const batch: SendMessageBatchRequestEntry[] = chunk.map((entry, i) => ({
      Id: `m${i}`,
      MessageBody: entry.body,
      MessageGroupId: entry.groupId,
      MessageDeduplicationId: entry.dedupId,
      // The worker orders the change by its event time capped by this moment (src/ordering/ordering-rule.ts).
      MessageAttributes: { accepted_at: { DataType: 'Number', StringValue: String(entry.acceptedAtMs) } },
    }));
    let out: SendMessageBatchCommandOutput;
    try {
      out = await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: batch }));
    } catch (error) {
      const name = error instanceof Error ? error.name : 'Error';
      throw new QueueUnavailableError(`SendMessageBatch failed: ${name}`, enqueued, { cause: error });
    }
    enqueued += out.Successful?.length ?? 0;
    const failed = out.Failed ?? [];
    if (failed.length > 0) {
      // Codes only: SQS's per-entry message can quote parameter values.
      const codes = [...new Set(failed.map((f) => `${f.Code ?? 'unknown'}${f.SenderFault ? ' (sender fault)' : ''}`))];
      throw new QueueUnavailableError(
        `SQS refused ${failed.length} of ${chunk.length} messages: ${codes.join(', ')}`,
        enqueued,
      );
    }
  }
}

/** `enqueueEvents` bound to a client and queue, as the `Enqueue` collaborator. */
export function sqsEnqueue(sqs: SQSClient, queueUrl: string): Enqueue {
  return (entries) => enqueueEvents(sqs, queueUrl, entries);
}
