import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { DevLog } from './dev-log';
import { localLambdaContext } from './lambda-context';
import { sqsRecordFromMessage } from './sqs-record';

// biome-ignore lint/suspicious/noConfusingVoidType: as aws-lambda's SQSHandler: a handler may return nothing (all
// succeeded).
export type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | undefined | void>;

export interface EventSourceMappingOptions {
  sqs: SQSClient;
  queueUrl: string;
  queueArn: string;
  handler: SqsHandler;
  log: DevLog;
  functionName?: string;
  /** Lambda's BatchSize; SQS returns at most 10 per receive. */
  batchSize?: number;
  /** The function timeout: the context's remaining time starts here, and messages stay invisible that long. */
  timeoutMs?: number;
  /** How long a batch item failure stays invisible before SQS redelivers it. */
  retryDelaySec?: number;
  /** Batches in flight at once. The queue never hands out two batches of one message group at once. */
  pollers?: number;
  region?: string;
  /** Seconds a ReceiveMessage waits for a message (long polling); lower makes stop() quicker on a busy loop. */
  waitTimeSec?: number;
  /** Called after each invocation with what happened (logging, tests). */
  onBatch?: (result: BatchResult) => void;
}

export interface BatchResult {
  received: number;
  deleted: number;
  retried: number;
}

export interface EventSourceMapping {
  /**
   * Stops receiving and waits (bounded) for batches in flight. A receive in flight is abandoned: messages it still
   * takes stay invisible until their visibility timeout, which is fine when the queue is about to close with it.
   */
  stop(): Promise<void>;
}

/** How long stop() waits for a batch in flight; its messages simply reappear later (or never, as the queue dies). */
const STOP_GRACE_MS = 5_000;

/**
 * Plays Lambda's SQS event source mapping with ReportBatchItemFailures
 * (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html): receive up
 * to `batchSize`, invoke the handler with an SQSEvent, delete what succeeded, and make the reported failures visible
 * again after `retryDelaySec` so SQS redelivers them (up to the queue's maxReceiveCount, then the dead-letter queue).
 * As in Lambda, a handler that throws, or a response naming an unknown message, fails the whole batch.
 */
export function startEventSourceMapping(opts: EventSourceMappingOptions): EventSourceMapping {
  const functionName = opts.functionName ?? 'worker';
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const retryDelaySec = opts.retryDelaySec ?? 3;
  const region = opts.region ?? 'us-east-1';
  const stopping = new AbortController();
  const inFlight = new Set<Promise<void>>();

  const receive = async (): Promise<Message[]> => {
    const out = await opts.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: opts.queueUrl,
        MaxNumberOfMessages: Math.min(10, Math.max(1, opts.batchSize ?? 10)),
        WaitTimeSeconds: opts.waitTimeSec ?? 20,
        VisibilityTimeout: Math.ceil(timeoutMs / 1000) + 5,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
      { abortSignal: stopping.signal },
    );
    return out.Messages ?? [];
  };

  const invoke = async (messages: Message[]): Promise<BatchResult> => {
    const records = messages.map((m) => sqsRecordFromMessage(m, opts.queueArn, region));
    const ids = new Set(records.map((r) => r.messageId));
    let failed: Set<string>;
    try {
      const response = await opts.handler({ Records: records }, localLambdaContext(functionName, timeoutMs));
      const reported = (response?.batchItemFailures ?? []).map((f) => f.itemIdentifier);
      // Lambda: an empty or unknown itemIdentifier means the response cannot be trusted; the whole batch fails.
      failed = reported.every((id) => ids.has(id)) ? new Set(reported) : new Set(ids);
    } catch (error) {
      opts.log.warn(`${functionName} threw; all ${records.length} message(s) will be retried: ${describe(error)}`);
      failed = new Set(ids);
    }
    const succeeded = messages.filter((m) => !failed.has(m.MessageId ?? ''));
    const retried = messages.filter((m) => failed.has(m.MessageId ?? ''));
    if (succeeded.length > 0) {
      await opts.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: opts.queueUrl,
          Entries: succeeded.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? '' })),
        }),
      );
    }
    if (retried.length > 0) {
      await opts.sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: opts.queueUrl,
          Entries: retried.map((m, i) => ({
            Id: String(i),
            ReceiptHandle: m.ReceiptHandle ?? '',
            VisibilityTimeout: retryDelaySec,
          })),
        }),
      );
      opts.log.info(`${retried.length} message(s) will be redelivered in ${retryDelaySec}s`);
    }
    return { received: messages.length, deleted: succeeded.length, retried: retried.length };
  };

  const poll = async () => {
    while (!stopping.signal.aborted) {
      let messages: Message[];
      try {
        messages = await receive();
      } catch (error) {
        if (stopping.signal.aborted) return;
        opts.log.warn(`receiving from the local queue failed: ${describe(error)}`);
        await pause(1_000, stopping.signal);
        continue;
      }
      if (messages.length === 0) continue;
      const batch = invoke(messages).then(
        (result) => opts.onBatch?.(result),
        (error) => opts.log.warn(`settling a batch failed: ${describe(error)}`),
      );
      inFlight.add(batch);
      await batch;
      inFlight.delete(batch);
    }
  };

  const loops = Array.from({ length: Math.max(1, opts.pollers ?? 2) }, poll);
  return {
    stop: async () => {
      stopping.abort();
      const grace = new Promise<void>((resolve) => setTimeout(resolve, STOP_GRACE_MS).unref());
      await Promise.race([Promise.all([...loops, ...inFlight]), grace]);
    },
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message.split('\n')[0]}` : String(error);
}

/** Waits `ms`, or less when `signal` aborts (a poll loop's back-off that must not hold up stop()). */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}
