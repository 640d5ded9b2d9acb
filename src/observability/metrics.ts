import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

export type { Metrics } from '@aws-lambda-powertools/metrics';
export { MetricUnit } from '@aws-lambda-powertools/metrics';

export const METRICS_NAMESPACE = 'VoxAdminBridge';

/** EMF metrics (Powertools Metrics); flushed by the handler after each invocation. */
export function createMetrics(serviceName: string): Metrics {
  return new Metrics({ namespace: METRICS_NAMESPACE, serviceName });
}

/** Counts one occurrence; a tiny wrapper so call sites read as what they count. */
export function count(metrics: Metrics, name: string, value = 1): void {
  metrics.addMetric(name, MetricUnit.Count, value);
}
