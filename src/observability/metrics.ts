import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

export type { Metrics } from '@aws-lambda-powertools/metrics';
export { MetricUnit } from '@aws-lambda-powertools/metrics';

export const METRICS_NAMESPACE = 'VoxAdminBridge';

/**
 * EMF metrics (Powertools Metrics); flushed by the handler after each invocation. STAGE (set by the template) becomes
 * a default dimension, so two stages in one account and region never share an alarm.
 */
export function createMetrics(serviceName: string, stage = process.env.STAGE): Metrics {
  return new Metrics({
    namespace: METRICS_NAMESPACE,
    serviceName,
    ...(stage !== undefined && stage !== '' && { defaultDimensions: { stage } }),
  });
}

/** Counts one occurrence; a tiny wrapper so call sites read as what they count. */
export function count(metrics: Metrics, name: string, value = 1): void {
  metrics.addMetric(name, MetricUnit.Count, value);
}

/** Flushes what was counted; an empty flush would make Powertools warn on every invocation that counted nothing. */
export function publishCounted(metrics: Metrics): void {
  if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
}
