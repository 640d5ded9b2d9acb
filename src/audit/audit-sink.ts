import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { classifyError } from '../errors/classify-error';
import type { Logger } from '../observability/logger';
import { count, type Metrics, MetricUnit } from '../observability/metrics';
import { appendAudit } from './append-audit';
import type { AuditEntry } from './audit-entry';
import { timeToOffboard } from './time-to-offboard';

/** Where the worker, SCIM and the reconcile run leave their audit records. */
export interface AuditSink {
  /** Writes the record and its time-to-offboard metrics; never throws (see dynamoAuditSink). */
  record(entry: AuditEntry): Promise<void>;
}

export interface DynamoAuditSinkOptions {
  doc: DynamoDBDocumentClient;
  table: string;
  retentionDays: number;
  logger: Logger;
  metrics?: Metrics;
}

/**
 * The audit history in the state table. A failed write is logged (`audit record not written`, with the outcome's
 * identifying fields, so the log still holds the evidence) and counted (`AuditWriteFailed`), and the change goes on:
 * by the time an outcome is audited, Voximplant already holds it, and retrying the change to get the record written
 * would repeat a write that already happened, delay every later change of the admin and, for SCIM, answer a 5xx
 * for a change that is true. The `audit` log line of every change stays the complete record either way
 * (docs/OPERATIONS.md#audit-history).
 */
export function dynamoAuditSink(opts: DynamoAuditSinkOptions): AuditSink {
  return {
    async record(entry) {
      const offboard = timeToOffboard(entry);
      if (offboard !== undefined && opts.metrics !== undefined) {
        if (offboard.acceptedMs !== undefined) {
          opts.metrics.addMetric('TimeToOffboardAccepted', MetricUnit.Milliseconds, offboard.acceptedMs);
        }
        if (offboard.eventMs !== undefined) {
          opts.metrics.addMetric('TimeToOffboardEvent', MetricUnit.Milliseconds, offboard.eventMs);
        }
      }
      try {
        await appendAudit(opts.doc, opts.table, entry, opts.retentionDays);
      } catch (error) {
        const failure = classifyError(error);
        opts.logger.error('audit record not written', {
          status: entry.status,
          account: entry.account,
          admin: entry.admin,
          event_id: entry.event_id,
          idempotency_key: entry.idempotency_key,
          error_code: failure.code,
        });
        if (opts.metrics !== undefined) count(opts.metrics, 'AuditWriteFailed');
      }
    },
  };
}
