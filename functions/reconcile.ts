import type { Context } from 'aws-lambda';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/observability/logger';
import { createMetrics, publishCounted } from '../src/observability/metrics';
import { createReconcileDeps, reconcileMode } from '../src/reconcile/create-reconcile-deps';
import type { ReconcileResult } from '../src/reconcile/reconcile-result';
import { type ReconcileDeps, runReconcile } from '../src/reconcile/run-reconcile';
import { deadlineFrom } from '../src/runtime/deadline';

/** Time kept back from the Lambda timeout to log the run's summary and flush its metrics. */
const SAFETY_MARGIN_MS = 5_000;

const logger = createLogger('reconcile');
const metrics = createMetrics('reconcile');
let deps: { run: ReconcileDeps; mode: 'repair' | 'report' } | undefined;

/**
 * The scheduled drift check (docs/OPERATIONS.md#reconcile). The schedule's event carries nothing the run reads: what
 * it does is RECONCILE_MODE alone, so no invocation payload can turn a report-only stage into one that writes.
 */
export const handler = async (_event: unknown, context: Context): Promise<ReconcileResult> => {
  logger.addContext(context);
  try {
    if (deps === undefined) {
      const config = loadConfig();
      deps = { run: createReconcileDeps(config, logger, { metrics }), mode: reconcileMode(config) };
    }
    const deadline = deadlineFrom(() => context.getRemainingTimeInMillis(), SAFETY_MARGIN_MS);
    return await runReconcile(deps.run, { mode: deps.mode }, deadline);
  } finally {
    publishCounted(metrics);
  }
};
