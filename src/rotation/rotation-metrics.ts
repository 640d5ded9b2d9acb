import { type Metrics, MetricUnit } from '../observability/metrics';
import type { RotationStep } from './rotation-event';

export type StepResult = 'succeeded' | 'failed';

/** The rotation outcome as a metric: one count per step run, by step. */
export interface RotationMetrics {
  record(result: StepResult, step: RotationStep | 'unknown'): void;
}

const ROTATION_SUCCEEDED = 'RotationSucceeded';
const ROTATION_FAILED = 'RotationFailed';

/**
 * `RotationSucceeded` / `RotationFailed` (Count) with the dimension `step`, plus the service dimension Powertools
 * adds (rotate or rotate-key). A single metric is flushed at once, so a step that throws still reports; an alarm on
 * `RotationFailed` sees a stuck rotation before the next scheduled one refuses to start.
 */
export function powertoolsRotationMetrics(metrics: Metrics): RotationMetrics {
  return {
    record(result, step) {
      const single = metrics.singleMetric();
      single.addDimension('step', step);
      single.addMetric(result === 'succeeded' ? ROTATION_SUCCEEDED : ROTATION_FAILED, MetricUnit.Count, 1);
    },
  };
}
