import type { RunFigures } from './run-figures';

export interface BenchReport {
  eventsPerRun: number;
  /** The latency whose runs the JSON line reports (the realistic one). */
  headlineLatencyMs: number;
  runs: RunFigures[];
  coldInitMs: Record<string, number>;
  bundleBytes: Record<string, number>;
  machine: string;
}

const round = (n: number, digits = 3) => Number(n.toFixed(digits));

function perEvent(run: RunFigures) {
  return {
    eventsPerSecond: run.events / (run.wallMs / 1000),
    msPerEvent: run.wallMs / run.events,
    cpuMsPerEvent: run.cpuMs / run.events,
    voximplant: run.voximplantCalls / run.events,
    secrets: run.secretsCalls / run.events,
    dynamo: run.dynamoCalls / run.events,
    jwt: run.jwtSigns / run.events,
  };
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** The readable part: one row per run, then cold starts and bundle sizes. */
export function formatReport(report: BenchReport): string {
  const runs = table(
    [
      'run',
      'latency',
      'events/s',
      'ms/event',
      'CPU ms/event',
      'Voximplant/event',
      'Secrets/event',
      'DynamoDB/event',
      'JWT signs/event',
      'failed',
    ],
    report.runs.map((r) => {
      const p = perEvent(r);
      return [
        r.implementation === 'worker' ? 'worker (processBatch)' : 'naive baseline',
        `${r.latencyMs} ms`,
        p.eventsPerSecond.toFixed(1),
        p.msPerEvent.toFixed(2),
        p.cpuMsPerEvent.toFixed(2),
        p.voximplant.toFixed(3),
        p.secrets.toFixed(3),
        p.dynamo.toFixed(2),
        p.jwt.toFixed(3),
        String(r.failures),
      ];
    }),
  );
  const bundles = table(
    ['function', 'cold init (import, median of 5)', 'bundle'],
    Object.keys(report.bundleBytes).map((name) => [
      name,
      `${(report.coldInitMs[name] ?? Number.NaN).toFixed(1)} ms`,
      `${((report.bundleBytes[name] ?? 0) / 1024).toFixed(1)} KiB`,
    ]),
  );
  return [
    `vox-admin-bridge benchmark: ${report.eventsPerRun} events per run, each run one fresh container; ${report.machine}`,
    '',
    runs,
    '',
    bundles,
  ].join('\n');
}

/** docs/CONTRACT.md#benchmark: the last line of `npm run bench`, from the runs at the headline latency. */
export function contractLine(report: BenchReport): string {
  const at = (implementation: RunFigures['implementation']) => {
    const run = report.runs.find(
      (r) => r.implementation === implementation && r.latencyMs === report.headlineLatencyMs,
    );
    if (run === undefined) throw new Error(`no ${implementation} run at ${report.headlineLatencyMs} ms`);
    return perEvent(run);
  };
  const product = at('worker');
  const naive = at('naive');
  return JSON.stringify({
    events: report.eventsPerRun,
    product_ms_per_event: round(product.msPerEvent),
    naive_ms_per_event: round(naive.msPerEvent),
    ratio: round(naive.msPerEvent / product.msPerEvent),
    voximplant_calls_per_event: round(product.voximplant),
    secrets_calls_per_event: round(product.secrets),
    dynamodb_calls_per_event: round(product.dynamo),
    jwt_signs_per_event: round(product.jwt),
    cold_init_ms: Object.fromEntries(Object.entries(report.coldInitMs).map(([k, v]) => [k, round(v, 1)])),
    bundle_bytes: report.bundleBytes,
  });
}
