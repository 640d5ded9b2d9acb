import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createApplyDeps } from '../apply/create-apply-deps';
import { dynamoAuditSink } from '../audit/audit-sink';
import { type Config, required } from '../config';
import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import { dynamoDocumentClient } from '../state/dynamo';
import type { ReconcileDeps } from './run-reconcile';

/** The reconcile run's composition root: the apply core (as the worker's), the state table and the audit history. */
export function createReconcileDeps(
  config: Config,
  logger: Logger,
  opts: { metrics?: Metrics; doc?: DynamoDBDocumentClient } = {},
): ReconcileDeps {
  const doc = opts.doc ?? dynamoDocumentClient();
  const table = required(config, 'STATE_TABLE');
  return {
    apply: createApplyDeps(config, logger, {}, doc),
    doc,
    table,
    audit: dynamoAuditSink({
      doc,
      table,
      retentionDays: config.AUDIT_RETENTION_DAYS,
      logger,
      ...(opts.metrics !== undefined && { metrics: opts.metrics }),
    }),
    ...(opts.metrics !== undefined && { metrics: opts.metrics }),
  };
}

/**
 * What a run does: DRY_RUN (or the CLI's --dry-run) makes it report only, whatever RECONCILE_MODE says, since a dry
 * run writes nothing anywhere.
 */
export function reconcileMode(config: Pick<Config, 'RECONCILE_MODE' | 'DRY_RUN'>, dryRun = false): 'repair' | 'report' {
  return dryRun || config.DRY_RUN ? 'report' : config.RECONCILE_MODE;
}
