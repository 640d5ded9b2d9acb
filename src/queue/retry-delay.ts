import { ChangeMessageVisibilityBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';

/** A record handed back to SQS, and how long SQS should keep it hidden before the next delivery. */
export interface RetryDelay {
  receiptHandle: string;
  delaySeconds: number;
}

export type DelayRetries = (retries: readonly RetryDelay[]) => Promise<void>;

// A batch item failure is redelivered only when its visibility timeout runs out, and the queue's is six times the
// worker's timeout (6 minutes): far too slow for an offboarding held back by a short Voximplant blip. So each
// handed-back record gets its own, shorter delay, growing with the receive count: 5 s, 10 s, 20 s ... 5 minutes.
const BASE_SECONDS = 5;
const CAP_SECONDS = 300;

/** The delay before the next delivery: full jitter over the capped exponential, never shorter than a 416's wait. */
export function retryDelaySeconds(receiveCount: number, retryAfterMs?: number, random: () => number = Math.random) {
  const ceiling = Math.min(CAP_SECONDS, BASE_SECONDS * 2 ** Math.max(0, receiveCount - 1));
  const jittered = Math.max(1, Math.round(ceiling / 2 + (random() * ceiling) / 2));
  const asked = retryAfterMs === undefined ? 0 : Math.ceil(retryAfterMs / 1000);
  return Math.min(CAP_SECONDS, Math.max(jittered, asked));
}

/** ChangeMessageVisibilityBatch (10 entries per call) on the queue the worker reads. */
export function sqsRetryDelayer(sqs: SQSClient, queueUrl: string): DelayRetries {
  return async (retries) => {
    for (let i = 0; i < retries.length; i += 10) {
      const chunk = retries.slice(i, i + 10);
      await sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: queueUrl,
          Entries: chunk.map((r, j) => ({
            Id: String(i + j),
            ReceiptHandle: r.receiptHandle,
            VisibilityTimeout: r.delaySeconds,
          })),
        }),
      );
    }
  };
}
