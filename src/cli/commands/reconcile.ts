import { createLogger } from '../../observability/logger';
import { createReconcileDeps, reconcileMode } from '../../reconcile/create-reconcile-deps';
import type { DriftRecord, ReconcileResult } from '../../reconcile/reconcile-result';
import { runReconcile } from '../../reconcile/run-reconcile';
import { deadlineIn } from '../../runtime/deadline';
import { resolveTarget, TARGET_HELP, TARGET_OPTIONS } from '../bridge-target';
import { usageError } from '../cli-error';
import { defineCommand } from '../command';

const help = `Usage: vox-admin-bridge reconcile [--dry-run] [--json] (--local | --table <name> --secret-id <id> ...)

Runs the drift check the reconcile function runs on its schedule, once, from here: for every account
the bridge has state for, compares each managed admin's live active, name and display name with the
value the bridge last applied, and repairs each difference through the apply path (as the change that
set it, so nothing newer is undone; protected admins are never touched). Prints every drift and what
was done.

Options:
  --dry-run             only report: what would be repaired, with nothing written (also when the
                        deployment runs RECONCILE_MODE=report or DRY_RUN=true)
  --json                print the whole run as JSON
${TARGET_HELP}
  -h, --help            show this help

A repair against a deployed stack needs the stage's protected admins (--protected or
$PROTECTED_ADMIN_USERS, "" for none), so that this machine refuses them as the functions do.

Exit status: 0 when no drift was found, 1 when drift was found (repaired or not), 3 when the run
could not check everything (the reasons are printed), 2 for a usage error.`;

/** Stops a CLI run well inside the time an operator waits, as the Lambda's timeout bounds the scheduled one. */
const RUN_TIME_MS = 5 * 60_000;

export const reconcileCommand = defineCommand({
  name: 'reconcile',
  summary: 'find admins changed outside the bridge and repair (or with --dry-run, list) the drift',
  help,
  options: { ...TARGET_OPTIONS, 'dry-run': { type: 'boolean' }, json: { type: 'boolean' } },
  positionals: [],
  async run({ values }, io) {
    const dryRun = values['dry-run'] === true;
    const target = await resolveTarget(values, io, { table: true, voximplant: true });
    try {
      if (!dryRun && !target.protectedKnown) {
        throw usageError(
          'a repair needs the stage protected admins: pass --protected "<protectedAdminUsers>" (or "" for none), or --dry-run',
        );
      }
      const deps = createReconcileDeps(target.config, createLogger('cli', 'silent'), { doc: target.doc });
      const mode = reconcileMode(target.config, dryRun);
      const result = await runReconcile(deps, { mode }, deadlineIn(RUN_TIME_MS));
      if (values.json === true) io.out(JSON.stringify(result, null, 2));
      else for (const line of formatReconcile(result)) io.out(line);
      if (result.drift_found > 0) return 1;
      return result.complete ? 0 : 3;
    } finally {
      target.close();
    }
  },
});

function value(v: boolean | string): string {
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}

function driftLine(d: DriftRecord): string {
  const attrs = d.attributes.map((a) => `${a.attribute} is ${value(a.live)}, should be ${value(a.desired)}`).join('; ');
  const error = d.error_code === undefined ? '' : ` (${d.error_code})`;
  return `drift  ${d.account}/${d.admin_user_id} ${d.admin_user_name}: ${attrs} [set by ${d.source} ${d.event_id}] -> ${d.action}${error}`;
}

/** The run as an operator reads it: one line per drift, the failures, then the counts. */
export function formatReconcile(result: ReconcileResult): string[] {
  const lines = result.drift.map(driftLine);
  for (const f of result.failures) {
    const who = f.admin_user_id === undefined ? f.account : `${f.account}/${f.admin_user_id}`;
    lines.push(`failed ${who}: ${f.error_code}: ${f.message}`);
  }
  lines.push(
    `${result.mode === 'repair' ? 'repair' : 'report only'}: ${result.drift_found} drift found, ${result.drift_repaired} repaired; ` +
      `${result.checked} of ${result.managed} managed admins checked in ${result.accounts} account(s), ` +
      `${result.unmanaged} unmanaged, ${result.protected} protected, ${result.missing} missing` +
      (result.complete ? '' : '; INCOMPLETE, run again'),
  );
  return lines;
}
