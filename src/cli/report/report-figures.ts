import type { AuditEntry } from '../../audit/audit-entry';
import { auditTime } from '../../audit/audit-keys';
import { timeToOffboard } from '../../audit/time-to-offboard';

/** One deactivation of the report: one row of the table and of the CSV. */
export interface DeactivationRow {
  account: string;
  admin: string;
  admin_user_name: string;
  source: string;
  event_id: string;
  event_time: string;
  accepted_at: string;
  applied_at: string;
  /** Accepted → applied, in milliseconds; empty when the deactivation did not apply. */
  time_to_offboard_ms: number | '';
  outcome: string;
}

export interface ReportFigures {
  rows: DeactivationRow[];
  /** Over the deactivations that applied: nearest-rank percentiles of accepted → applied, in ms. */
  offboarded: number;
  p50_ms: number | null;
  p95_ms: number | null;
  max_ms: number | null;
  /** Drifted versions the reconcile run found in the period, and how many of them it repaired. */
  drift_found: number;
  drift_repaired: number;
}

/**
 * The nearest-rank percentile (the smallest value with at least p% of the values at or below it), the definition
 * that never invents a value between two measured ones (https://en.wikipedia.org/wiki/Percentile#The_nearest-rank_method).
 */
export function nearestRank(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] ?? null;
}

/** The deactivation report of audit records read for a period (src/audit/audit-history.ts auditByPeriod). */
export function reportFigures(entries: readonly AuditEntry[]): ReportFigures {
  const rows: DeactivationRow[] = [];
  const spans: number[] = [];
  let driftFound = 0;
  let driftRepaired = 0;
  for (const e of [...entries].sort((a, b) => auditTime(a).localeCompare(auditTime(b)))) {
    if (e.status === 'drift') driftFound += 1;
    if (e.status === 'repaired') driftRepaired += 1;
    if (!e.deactivation) continue;
    const span = timeToOffboard(e)?.acceptedMs;
    if (span !== undefined) spans.push(span);
    rows.push({
      account: e.account,
      admin: e.admin,
      admin_user_name: e.admin_user_name ?? '',
      source: e.source,
      event_id: e.event_id,
      event_time: e.event_time,
      accepted_at: e.accepted_at ?? '',
      applied_at: e.applied_at ?? '',
      time_to_offboard_ms: span ?? '',
      outcome: e.error_code === undefined ? e.status : `${e.status} (${e.error_code})`,
    });
  }
  spans.sort((a, b) => a - b);
  return {
    rows,
    offboarded: spans.length,
    p50_ms: nearestRank(spans, 50),
    p95_ms: nearestRank(spans, 95),
    max_ms: spans.length === 0 ? null : (spans[spans.length - 1] ?? null),
    drift_found: driftFound,
    drift_repaired: driftRepaired,
  };
}

const COLUMNS: (keyof DeactivationRow)[] = [
  'account',
  'admin',
  'admin_user_name',
  'source',
  'event_id',
  'event_time',
  'accepted_at',
  'applied_at',
  'time_to_offboard_ms',
  'outcome',
];

/** RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled. */
function csvField(value: string | number): string {
  const s = String(value);
  // A leading =, +, - or @ makes spreadsheets run the cell as a formula (OWASP, "CSV Injection"); a quote stops it.
  const safe = /^[=+\-@]/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** A header row, then one row per deactivation. */
export function reportCsv(figures: ReportFigures): string[] {
  return [COLUMNS.join(','), ...figures.rows.map((r) => COLUMNS.map((c) => csvField(r[c])).join(','))];
}

function ms(v: number | null): string {
  return v === null ? '-' : `${(v / 1000).toFixed(1)} s`;
}

/** An aligned table and the summary lines. */
export function reportTable(figures: ReportFigures, period: { since: string; until: string }): string[] {
  const header = ['admin', 'source', 'event id', 'event time', 'accepted', 'applied', 'offboard', 'outcome'];
  const body = figures.rows.map((r) => [
    `${r.account}/${r.admin}${r.admin_user_name === '' ? '' : ` ${r.admin_user_name}`}`,
    r.source,
    r.event_id,
    r.event_time,
    r.accepted_at,
    r.applied_at,
    r.time_to_offboard_ms === '' ? '' : ms(r.time_to_offboard_ms),
    r.outcome,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [
    `deactivations from ${period.since} to ${period.until}`,
    line(header),
    ...body.map(line),
    `${figures.rows.length} deactivation(s), ${figures.offboarded} applied; time to offboard (accepted -> applied): ` +
      `p50 ${ms(figures.p50_ms)}, p95 ${ms(figures.p95_ms)}, max ${ms(figures.max_ms)}`,
    `drift found ${figures.drift_found}, repaired ${figures.drift_repaired}`,
  ];
}
