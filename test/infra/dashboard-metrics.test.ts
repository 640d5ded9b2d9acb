import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { METRIC, METRIC_NAMES } from '../../src/observability/metric-names';

/** Metrics named in the list but emitted by code that lives elsewhere in the repository's history (not in src/ yet). */
const EMITTED_ELSEWHERE = new Set<string>([
  METRIC.TimeToOffboardAccepted,
  METRIC.TimeToOffboardEvent,
  METRIC.DriftFound,
  METRIC.DriftRepaired,
]);

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return path.endsWith('.ts') && !path.endsWith('metric-names.ts') ? [path] : [];
  });
}

const code = [...sources('src'), ...sources('functions')].map((p) => readFileSync(p, 'utf8')).join('\n');

/** A metric the code emits: `METRIC.<name>` used, or the name as a string literal passed to count/addMetric. */
function emitted(name: string): boolean {
  return (
    code.includes(`METRIC.${name}`) ||
    new RegExp(`(count\\??\\.?\\(\\s*(?:[\\w.]+,\\s*)?|addMetric\\(\\s*|=\\s*)'${name}'`).test(code)
  );
}

/** Every [namespace, metricName, ...] of the dashboard body in the VoxAdminBridge namespace. */
function dashboardMetrics(): string[] {
  const body = readFileSync('infra/dashboard.yml', 'utf8');
  return [...body.matchAll(/\[\s*"VoxAdminBridge",\s*"(\w+)"/g)].map((m) => m[1] as string);
}

describe('the dashboard shows only metrics the code emits', () => {
  it('names at least one metric per widget subject', () => {
    const names = new Set(dashboardMetrics());
    for (const n of ['ChangesApplied', 'ChangesHeld', 'TimeToOffboardAccepted', 'DriftFound', 'VoximplantThrottled']) {
      expect(names).toContain(n);
    }
  });

  it('every VoxAdminBridge metric of the dashboard is in the one list of metric names', () => {
    const unknown = dashboardMetrics().filter((n) => !(METRIC_NAMES as readonly string[]).includes(n));
    expect(unknown).toEqual([]);
  });

  it('every name in the list (so every dashboard metric) is emitted by the code', () => {
    const silent = METRIC_NAMES.filter((n) => !EMITTED_ELSEWHERE.has(n) && !emitted(n));
    expect(silent).toEqual([]);
  });

  it('the check itself can fail: a name nobody emits is caught', () => {
    expect(emitted('NoSuchMetricAnywhere')).toBe(false);
    expect(emitted('ChangesHeld')).toBe(true);
  });
});
