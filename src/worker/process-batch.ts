import { createHash } from 'node:crypto';
import type { SQSBatchResponse, SQSRecord } from 'aws-lambda';
import { type ApplyDeps, applyChange } from '../apply/apply-change';
import { type ApplyResult, OUR_ERROR_CODES, outcomeAuditFields, type RecordedOutcome } from '../apply/outcome';
import type { AuditSink } from '../audit/audit-sink';
import { changeAuditEntry } from '../audit/change-audit-entry';
import { classifyError } from '../errors/classify-error';
import { type AdminChange, adminChangeFromEvent } from '../events/admin-change';
import { messageGroupId } from '../events/message-group';
import { parseAdminChangeEventJson } from '../events/parse-admin-change-event';
import { METRIC } from '../observability/metric-names';
import { count, type Metrics } from '../observability/metrics';
import type { DeadLetter, SendDeadLetter } from '../queue/dead-letter';
import { type DelayRetries, type RetryDelay, retryDelaySeconds } from '../queue/retry-delay';
import type { Deadline } from '../runtime/deadline';
import { acceptanceBounds } from './acceptance-bounds';
import { groupRecords, mapWithConcurrency } from './group-records';

export interface WorkerDeps {
  apply: ApplyDeps;
  deadLetter: SendDeadLetter;
  /** Shortens how long SQS hides a handed-back record (src/queue/retry-delay.ts); without it SQS's timeout applies. */
  delayRetries?: DelayRetries;
  metrics?: Metrics;
  concurrency: number;
  /** The audit history (src/audit/): one record per outcome; a failed write never fails the change. */
  audit?: AuditSink;
}

/** Below this much time left a record is not started: it is handed back to SQS instead of racing the timeout. */
export const MIN_TIME_TO_START_MS = 2_000;
/** A record that was never started is offered again almost at once. */
const NOT_STARTED_DELAY_SECONDS = 1;

type RecordResult = 'ok' | { retryAfterMs?: number };

/**
 * One SQS FIFO batch (docs/CONTRACT.md#applying-a-change): groups run concurrently (up to WORKER_CONCURRENCY), records
 * of a group one after another. A transient failure makes that record and every later record of its group batch item
 * failures, so SQS redelivers them in order, after a short delay of their own. Permanent failures and invalid messages
 * go to the dead-letter queue and are not failures.
 *
 * Powertools' SqsFifoPartialProcessor keeps FIFO order but processes the whole batch sequentially; running groups in
 * parallel is why this loop is ours.
 */
export async function processBatch(
  records: readonly SQSRecord[],
  deps: WorkerDeps,
  deadline: Deadline,
): Promise<SQSBatchResponse> {
  const failures: string[] = [];
  const retries: RetryDelay[] = [];
  await mapWithConcurrency(groupRecords(records), deps.concurrency, async (group) => {
    // Once a record of the group is handed back, so is every later one, with the same delay, so order holds.
    let delaySeconds: number | undefined;
    let reason: 'no_time_to_start' | 'behind_a_retried_record' | undefined;
    for (const record of group) {
      if (delaySeconds === undefined && deadline.remainingMs() < MIN_TIME_TO_START_MS) {
        delaySeconds = NOT_STARTED_DELAY_SECONDS;
        reason = 'no_time_to_start';
      }
      if (delaySeconds === undefined) {
        const result = await processRecord(record, deps, deadline);
        if (result === 'ok') continue;
        delaySeconds = retryDelaySeconds(receiveCount(record), result.retryAfterMs);
        reason = 'behind_a_retried_record';
      } else {
        // Handed back without being started: logged and counted, never silent.
        deps.apply.logger.warn('record handed back unstarted', {
          message_id: record.messageId,
          group_id: record.attributes?.MessageGroupId,
          reason,
          remaining_ms: Math.max(0, Math.round(deadline.remainingMs())),
          delay_seconds: delaySeconds,
        });
        if (deps.metrics) count(deps.metrics, METRIC.RecordsNotStarted);
      }
      failures.push(record.messageId);
      retries.push({ receiptHandle: record.receiptHandle, delaySeconds });
    }
  });
  if (retries.length > 0 && deps.delayRetries !== undefined) {
    // Best effort: if it fails, SQS redelivers after the queue's own visibility timeout, later but safely.
    await deps.delayRetries(retries).catch((error: unknown) => {
      deps.apply.logger.warn('could not shorten the retry delay of handed-back records', {
        error: error instanceof Error ? error.name : 'unknown',
      });
    });
  }
  // SQS FIFO stops at the first failure of a group; reporting in input order keeps the report easy to read.
  const order = new Map(records.map((r, i) => [r.messageId, i]));
  failures.sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
  return { batchItemFailures: failures.map((itemIdentifier) => ({ itemIdentifier })) };
}

/**
 * The dead letter's MessageDeduplicationId: unique to this receive of this message. SQS remembers a deduplication id
 * for 5 minutes even after the message is deleted, and reports a repeat as sent without delivering it; a letter
 * keyed by the change would vanish when the change fails again within 5 minutes of its first letter (a redrive
 * before the cause is fixed). The message id, its send time and the receive count change with every redrive and
 * every redelivery, while a retried SendMessage within one receive keeps the same id and is sent once.
 */
export function deadLetterDeduplicationId(record: SQSRecord): string {
  const a = record.attributes ?? {};
  const parts = [
    record.messageId,
    a.SentTimestamp ?? '',
    a.ApproximateFirstReceiveTimestamp ?? '',
    String(receiveCount(record)),
  ];
  return createHash('sha256').update(JSON.stringify(parts), 'utf8').digest('hex');
}

function receiveCount(record: SQSRecord): number {
  const count = Number(record.attributes?.ApproximateReceiveCount);
  return Number.isFinite(count) && count > 0 ? count : 1;
}

async function processRecord(record: SQSRecord, deps: WorkerDeps, deadline: Deadline): Promise<RecordResult> {
  const { logger } = deps.apply;
  const started = deps.apply.now();
  const parsed = parseAdminChangeEventJson(record.body, started);
  if (!parsed.ok) {
    const reason = parsed.errors.map((e) => `${e.path || '(body)'}: ${e.message}`).join('; ');
    logger.warn('invalid message dead-lettered', { message_id: record.messageId, reason });
    if (deps.metrics) count(deps.metrics, METRIC.InvalidEvents);
    return deadLetter(deps, {
      body: record.body,
      groupId: record.attributes?.MessageGroupId ?? 'invalid',
      dedupId: deadLetterDeduplicationId(record),
      errorCode: OUR_ERROR_CODES.invalidEvent,
      errorMessage: reason,
    });
  }

  const bounds = acceptanceBounds(record);
  if (!bounds.ok) {
    logger.warn('invalid message dead-lettered', { message_id: record.messageId, reason: bounds.reason });
    if (deps.metrics) count(deps.metrics, METRIC.InvalidEvents);
    return deadLetter(deps, {
      body: record.body,
      groupId: record.attributes?.MessageGroupId ?? 'invalid',
      dedupId: createHash('sha256').update(record.body).digest('hex'),
      errorCode: OUR_ERROR_CODES.invalidEvent,
      errorMessage: bounds.reason,
    });
  }
  // Ordered by the event's time capped by its acceptance (src/ordering/ordering-rule.ts).
  const change = adminChangeFromEvent(parsed.event, bounds.acceptedAtMs, bounds.sentAtMs);
  let result: ApplyResult;
  try {
    result = await applyChange(change, deps.apply, deadline, {
      // Rejected and failed changes reach the dead-letter queue before their outcome is recorded (see ApplyHooks).
      beforeRecord: async (outcome) => {
        if (outcome.status !== 'rejected' && outcome.status !== 'failed') return;
        await sendDeadLetter(deps, {
          body: record.body,
          groupId: messageGroupId(change.target),
          dedupId: deadLetterDeduplicationId(record),
          errorCode: outcome.error_code ?? 'unknown',
          errorMessage: outcome.error_message ?? outcome.status,
          eventId: change.eventId,
          idempotencyKey: change.idempotencyKey,
        });
      },
    });
  } catch (error) {
    // The state table failed under the change (its idempotency record, or recording the outcome). Decided by the
    // classification: anything that may pass goes back to SQS, and the change is safe to repeat because
    // SetAdminUserInfo sets absolute values and the recorded version of the same change is never stale against it.
    // A permanent failure (an item of the wrong shape) would fail every redelivery the same way until SQS gave up
    // without a reason, so it is dead-lettered now, with its code, for an operator to fix and redrive.
    const failure = classifyError(error);
    if (failure.retry === 'permanent') {
      logger.error('change dead-lettered: the state table failed permanently', {
        ...auditFields(change),
        outcome: 'dead_lettered',
        error_code: failure.code,
        error_message: failure.message,
      });
      return deadLetter(deps, {
        body: record.body,
        groupId: messageGroupId(change.target),
        dedupId: deadLetterDeduplicationId(record),
        errorCode: failure.code,
        errorMessage: failure.message,
        eventId: change.eventId,
        idempotencyKey: change.idempotencyKey,
      });
    }
    result = {
      kind: 'retry',
      code: failure.code,
      message: failure.message,
      ...(failure.retryAfterMs !== undefined && { retryAfterMs: failure.retryAfterMs }),
    };
  }
  const durationMs = deps.apply.now() - started;
  await auditOutcome(deps, change, result, bounds.acceptedAtMs ?? bounds.sentAtMs);
  if (result.kind === 'retry') {
    logger.warn('change will be retried', {
      ...auditFields(change),
      outcome: 'retry',
      error_code: result.code,
      error_message: result.message,
      duration_ms: durationMs,
    });
    if (deps.metrics) count(deps.metrics, METRIC.ChangesRetried);
    return result.retryAfterMs === undefined ? {} : { retryAfterMs: result.retryAfterMs };
  }
  const { outcome, duplicate } = result;
  if (outcome.status === 'held') {
    // Stored durably by the guard (src/guard/held-store.ts), so SQS may delete the message: an operator releases it.
    logger.warn('change held: the message is deleted, the change waits in the held list for an operator', {
      ...auditFields(change),
      reason_code: outcome.error_code,
      reason: outcome.error_message,
    });
  }
  logger.info('audit', { ...auditFields(change), ...outcomeAuditFields(outcome, duplicate), duration_ms: durationMs });
  if (deps.metrics) count(deps.metrics, metricFor(outcome, duplicate));
  return 'ok';
}

/** One audit record per outcome (a duplicate has none); never throws, so it cannot change what the record does. */
async function auditOutcome(
  deps: WorkerDeps,
  change: AdminChange,
  result: ApplyResult,
  acceptedAtMs: number | undefined,
): Promise<void> {
  if (deps.audit === undefined) return;
  const mainAccountId = await deps.apply.mainAccountId?.().catch(() => undefined);
  const entry = changeAuditEntry(change, result, {
    ...(acceptedAtMs !== undefined && { acceptedAtMs }),
    ...(mainAccountId !== undefined && { mainAccountId }),
    now: deps.apply.now,
  });
  if (entry !== undefined) await deps.audit.record(entry);
}

async function sendDeadLetter(deps: WorkerDeps, letter: DeadLetter): Promise<void> {
  try {
    await deps.deadLetter(letter);
    if (deps.metrics) count(deps.metrics, METRIC.DeadLettered);
  } catch (error) {
    deps.apply.logger.error('could not send to the dead-letter queue; the message will be retried', {
      error: error instanceof Error ? error.name : 'unknown',
      error_code: letter.errorCode,
      event_id: letter.eventId,
    });
    throw error;
  }
}

/** An invalid message is never recorded (it has no trustworthy key), so a failed send simply retries it. */
async function deadLetter(deps: WorkerDeps, letter: DeadLetter): Promise<RecordResult> {
  try {
    await sendDeadLetter(deps, letter);
    return 'ok';
  } catch {
    return {};
  }
}

function auditFields(change: AdminChange) {
  return {
    event_id: change.eventId,
    source: change.source,
    type: change.type,
    idempotency_key: change.idempotencyKey,
    target: change.target,
    change_time: change.time,
    ordering_time: new Date(change.timeMs).toISOString(),
  };
}

function metricFor(outcome: RecordedOutcome, duplicate: boolean): string {
  if (duplicate) return METRIC.ChangesDuplicate;
  switch (outcome.status) {
    case 'applied':
      return METRIC.ChangesApplied;
    case 'stale':
      return METRIC.ChangesStale;
    case 'rejected':
      return METRIC.ChangesRejected;
    case 'failed':
      return METRIC.VoximplantPermanentFailures;
    case 'held':
      return METRIC.ChangesHeld;
  }
}
