import type { SQSBatchResponse, SQSRecord } from 'aws-lambda';
import type { FifoQueueModel } from './fifo-queue-model';

/**
 * One Lambda container: runs one batch at a time and answers with the batch response, or with undefined when the
 * invocation died (a killed process): then, as in Lambda, nothing is deleted and every message of the batch comes
 * back after its visibility timeout.
 */
export type Invoke = (records: SQSRecord[]) => Promise<SQSBatchResponse | undefined>;

export interface PollOptions {
  batchSize: number;
  /** The whole drain fails after this long, naming what is left, instead of hanging the test. */
  timeoutMs: number;
  idleMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export interface PollFigures {
  invocations: number;
  crashed: number;
  batchItemFailures: number;
}

/**
 * Plays Lambda's event source mapping with ReportBatchItemFailures: each container polls, invokes, and settles,
 * concurrently with the others, until the queue is empty (every message deleted or redriven).
 */
export async function drainQueue(
  queue: FifoQueueModel,
  containers: readonly Invoke[],
  opts: PollOptions,
): Promise<PollFigures> {
  const figures: PollFigures = { invocations: 0, crashed: 0, batchItemFailures: 0 };
  const idleMs = opts.idleMs ?? 20;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const giveUpAt = Date.now() + opts.timeoutMs;

  const poll = async (invoke: Invoke) => {
    while (queue.remaining > 0) {
      if (Date.now() > giveUpAt) {
        throw new Error(`the queue did not drain within ${opts.timeoutMs} ms: ${queue.remaining} message(s) left`);
      }
      const records = queue.receive(opts.batchSize);
      if (records.length === 0) {
        await sleep(Math.min(idleMs, queue.nextVisibleInMs() ?? idleMs));
        continue;
      }
      figures.invocations += 1;
      let response: SQSBatchResponse | undefined;
      try {
        response = await invoke(records);
      } catch {
        response = undefined;
      }
      if (response === undefined) {
        figures.crashed += 1;
        continue; // nothing deleted: the batch reappears after the visibility timeout
      }
      const failed = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
      figures.batchItemFailures += failed.size;
      queue.settle(records, failed);
    }
  };
  await Promise.all(containers.map(poll));
  return figures;
}
