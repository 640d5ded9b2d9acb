import type { Logger } from '../../src/observability/logger';
import type { RotationStep } from '../../src/rotation/rotation-event';
import type { RotationMetrics, StepResult } from '../../src/rotation/rotation-metrics';

/** Every log call's arguments, to search for secrets, and a logger that records them (the protocol's logs). */
export function recordingLogger() {
  const lines: { level: string; message: string; fields: Record<string, unknown> }[] = [];
  const record =
    (level: string) =>
    (message: string, ...rest: unknown[]) => {
      lines.push({ level, message, fields: Object.assign({}, ...rest.filter((r) => typeof r === 'object')) });
    };
  const logger = {
    debug: record('debug'),
    info: record('info'),
    warn: record('warn'),
    error: record('error'),
    addContext: () => undefined,
  } as unknown as Logger;
  return { logger, lines, text: () => JSON.stringify(lines) };
}

export function recordingMetrics() {
  const records: { result: StepResult; step: RotationStep | 'unknown' }[] = [];
  const metrics: RotationMetrics = { record: (result, step) => records.push({ result, step }) };
  return { metrics, records };
}
