import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { createApplyDeps } from '../src/apply/create-apply-deps';
import { dynamoAuditSink } from '../src/audit/audit-sink';
import { loadConfig, required } from '../src/config';
import { createLogger } from '../src/observability/logger';
import { METRIC } from '../src/observability/metric-names';
import { count, createMetrics, publishCounted } from '../src/observability/metrics';
import { sqsDeadLetterSender } from '../src/queue/dead-letter';
import { sqsRetryDelayer } from '../src/queue/retry-delay';
import { sqsClient } from '../src/queue/sqs-client';
import { deadlineFrom } from '../src/runtime/deadline';
import { dynamoDocumentClient } from '../src/state/dynamo';
import { voximplantCodeOf } from '../src/voximplant/error-codes';
import { processBatch, type WorkerDeps } from '../src/worker/process-batch';

/** Time kept back from the Lambda timeout to record outcomes and return the batch response. */
const SAFETY_MARGIN_MS = 3_000;

const logger = createLogger('worker');
const metrics = createMetrics('worker');
let deps: WorkerDeps | undefined;

function workerDeps(): WorkerDeps {
  if (deps === undefined) {
    const config = loadConfig();
    deps = {
      apply: createApplyDeps(config, logger, {
        // Each Voximplant attempt that is followed by another: how hard the API is pushing back, as a metric.
        onAttempt: (info) => {
          if (info.delayMs !== undefined) count(metrics, METRIC.VoximplantRetries);
          const code = voximplantCodeOf(info.outcome);
          // 340 (rate limit) and 416 (repeat after a wait): src/voximplant/errors.ts classifies both as throttling.
          if (code === 340 || code === 416) count(metrics, METRIC.VoximplantThrottled);
        },
      }),
      deadLetter: sqsDeadLetterSender(sqsClient(), required(config, 'DEAD_LETTER_QUEUE_URL')),
      // The queue this worker reads (QUEUE_URL): handed-back records get a short, growing retry delay there.
      ...(config.QUEUE_URL !== undefined && { delayRetries: sqsRetryDelayer(sqsClient(), config.QUEUE_URL) }),
      metrics,
      concurrency: config.WORKER_CONCURRENCY,
      audit: dynamoAuditSink({
        doc: dynamoDocumentClient(),
        table: required(config, 'STATE_TABLE'),
        retentionDays: config.AUDIT_RETENTION_DAYS,
        logger,
        metrics,
      }),
    };
  }
  return deps;
}

/** SQS FIFO → apply each CloudEvent (docs/CONTRACT.md#applying-a-change). Reports batch item failures; never loses a record. */
export const handler = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
  logger.addContext(context);
  try {
    const deadline = deadlineFrom(() => context.getRemainingTimeInMillis(), SAFETY_MARGIN_MS);
    return await processBatch(event.Records, workerDeps(), deadline);
  } catch (error) {
    // Configuration errors and the like: every record goes back to SQS (and, after maxReceiveCount, to the DLQ).
    logger.error('batch failed before processing', { error: error instanceof Error ? error.message : 'unknown' });
    return { batchItemFailures: event.Records.map((r) => ({ itemIdentifier: r.messageId })) };
  } finally {
    publishCounted(metrics);
  }
};
