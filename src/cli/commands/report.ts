import { auditByPeriod } from '../../audit/audit-history';
import { parseDateFlag } from '../args-numbers';
import { resolveTarget, TARGET_HELP, TARGET_OPTIONS } from '../bridge-target';
import { usageError } from '../cli-error';
import { defineCommand } from '../command';
import { reportCsv, reportFigures, reportTable } from '../report/report-figures';

const help = `Usage: vox-admin-bridge report [--since <date>] [--until <date>] [--format table|csv|json] (--local | --table <name>)

Every deactivation in the period, from the audit history: admin, source, event id, event time, when
the bridge accepted it, when Voximplant applied it, the time to offboard (accepted -> applied) and
the outcome; then the p50, p95 and maximum time to offboard and the drift found. Changes nothing.

Options:
  --since <date>        start, inclusive: 2026-11-01 (00:00 UTC) or an RFC 3339 time
                        (default: 30 days before --until)
  --until <date>        end, exclusive (default: now)
  --format <f>          table (default), csv (a header row, one row per change; the summary goes to
                        stderr) or json
${TARGET_HELP}
  -h, --help            show this help

Only --table (or --local) is needed: the report reads the state table alone.`;

const DAY_MS = 86_400_000;
/** The audit retention's upper bound (AUDIT_RETENTION_DAYS): a longer period only reads empty days. */
const MAX_PERIOD_DAYS = 3650;

export const reportCommand = defineCommand({
  name: 'report',
  summary: 'every deactivation in a period with its time to offboard, p50/p95/max, and the drift found',
  help,
  options: { ...TARGET_OPTIONS, since: { type: 'string' }, until: { type: 'string' }, format: { type: 'string' } },
  positionals: [],
  async run({ values }, io) {
    const format = values.format ?? 'table';
    if (format !== 'table' && format !== 'csv' && format !== 'json') {
      throw usageError(`--format must be table, csv or json, got "${format}"`);
    }
    const untilMs = values.until === undefined ? Date.now() : parseDateFlag('--until', values.until);
    const sinceMs = values.since === undefined ? untilMs - 30 * DAY_MS : parseDateFlag('--since', values.since);
    if (sinceMs >= untilMs) throw usageError('--since must be before --until');
    if (untilMs - sinceMs > MAX_PERIOD_DAYS * DAY_MS)
      throw usageError(`the period may span at most ${MAX_PERIOD_DAYS} days`);
    const target = await resolveTarget(values, io, { table: true });
    try {
      const read = await auditByPeriod(target.doc, target.config.STATE_TABLE!, sinceMs, untilMs);
      const figures = reportFigures(read.entries);
      const period = { since: new Date(sinceMs).toISOString(), until: new Date(untilMs).toISOString() };
      if (format === 'json') io.out(JSON.stringify({ ...period, ...figures, unreadable: read.unreadable }, null, 2));
      else if (format === 'csv') {
        for (const line of reportCsv(figures)) io.out(line);
        io.err(reportTable(figures, period).slice(-2).join('\n'));
      } else for (const line of reportTable(figures, period)) io.out(line);
      if (read.unreadable > 0)
        io.err(`warning: ${read.unreadable} audit record(s) could not be read and are not shown`);
      return 0;
    } finally {
      target.close();
    }
  },
});
