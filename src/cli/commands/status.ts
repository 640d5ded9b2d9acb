import type { AuditEntry } from '../../audit/audit-entry';
import { auditHistory } from '../../audit/audit-history';
import { auditTime } from '../../audit/audit-keys';
import { timeToOffboard } from '../../audit/time-to-offboard';
import { createLogger } from '../../observability/logger';
import { createReconcileDeps } from '../../reconcile/create-reconcile-deps';
import { findDrift, RECONCILED_ATTRIBUTES } from '../../reconcile/find-drift';
import { deadlineIn } from '../../runtime/deadline';
import { accountSegment } from '../../state/keys';
import type { AttributeVersions } from '../../state/ordering-store';
import { type AdminUser, findAdminByExactName, getAdminById } from '../../voximplant/admin-users';
import { parsePositiveInt } from '../args-numbers';
import { resolveTarget, TARGET_HELP, TARGET_OPTIONS } from '../bridge-target';
import { CliError } from '../cli-error';
import { defineCommand } from '../command';

const help = `Usage: vox-admin-bridge status <admin name or id> [--account <id>] [--json] (--local | --table ...)

Shows one admin: the live state in Voximplant, the desired state (the value the bridge last applied
per attribute, with the change that set it), any drift between them, and the admin's audit history
(every outcome, drift and repair, oldest first). Changes nothing.

Options:
  --account <id>        a child account's id (default: the main account)
  --json                print everything as JSON
${TARGET_HELP}
  -h, --help            show this help

Exit status: 0 when the admin was found and shows no drift, 1 when it drifted or is not found.`;

const READ_TIME_MS = 60_000;

export const statusCommand = defineCommand({
  name: 'status',
  summary: "one admin's live state, desired state, drift and audit history",
  help,
  options: { ...TARGET_OPTIONS, account: { type: 'string' }, json: { type: 'boolean' } },
  positionals: ['admin'],
  async run({ values, positionals }, io) {
    const [who] = positionals;
    const accountId = values.account === undefined ? undefined : parsePositiveInt('--account', values.account);
    const target = await resolveTarget(values, io, { table: true, voximplant: true });
    try {
      const deps = createReconcileDeps(target.config, createLogger('cli', 'silent'), { doc: target.doc });
      const opts = { deadline: deadlineIn(READ_TIME_MS), ...(accountId !== undefined && { accountId }) };
      const live: AdminUser | undefined = /^\d+$/.test(who)
        ? await getAdminById(deps.apply.voximplant, Number(who), opts)
        : await findAdminByExactName(deps.apply.voximplant, who, opts);
      const main = await deps.apply.mainAccountId?.();
      const account = accountId === main ? undefined : accountId;
      const adminUserId = live?.admin_user_id ?? (/^\d+$/.test(who) ? Number(who) : undefined);
      const desired: AttributeVersions =
        adminUserId === undefined ? {} : await deps.apply.ordering.versions({ accountId: account, adminUserId });
      const segment = accountSegment(account);
      const byId =
        adminUserId === undefined
          ? []
          : (await auditHistory(target.doc, deps.table, segment, String(adminUserId))).entries;
      const names = new Set(
        [who, live?.admin_user_name].filter((n): n is string => n !== undefined && !/^\d+$/.test(n)),
      );
      const byName = (
        await Promise.all([...names].map((n) => auditHistory(target.doc, deps.table, segment, `name:${n}`)))
      ).flatMap((r) => r.entries);
      const history = [...byId, ...byName].sort((a, b) => auditTime(a).localeCompare(auditTime(b)));
      const drift = live === undefined ? [] : findDrift(live, desired).drift;
      if (values.json === true) {
        io.out(
          JSON.stringify(
            {
              account: segment,
              admin_user_id: adminUserId,
              live: live ?? null,
              desired,
              drift: drift.map(({ attribute, desired: d, live: l }) => ({ attribute, desired: d, live: l })),
              history,
            },
            null,
            2,
          ),
        );
      } else {
        for (const line of formatStatus(who, segment, live, desired, drift, history)) io.out(line);
      }
      if (live === undefined && adminUserId === undefined && history.length === 0) {
        throw new CliError('admin_not_found', `no admin is named exactly "${who}" in account ${segment}`);
      }
      return live !== undefined && drift.length === 0 ? 0 : 1;
    } finally {
      target.close();
    }
  },
});

function show(v: boolean | string | undefined): string {
  return v === undefined ? '?' : typeof v === 'string' ? JSON.stringify(v) : String(v);
}

function seconds(ms: number | undefined): string {
  return ms === undefined ? '' : `${(ms / 1000).toFixed(1)} s`;
}

export function formatStatus(
  who: string,
  account: string,
  live: AdminUser | undefined,
  desired: AttributeVersions,
  drift: readonly { attribute: string; desired: boolean | string; live: boolean | string }[],
  history: readonly AuditEntry[],
): string[] {
  const lines = [`admin    ${account}/${live?.admin_user_id ?? who}`];
  lines.push(
    live === undefined
      ? 'live     not found in Voximplant'
      : `live     active=${live.admin_user_active} name=${show(live.admin_user_name)} display name=${show(live.admin_user_display_name)}`,
  );
  const managed = RECONCILED_ATTRIBUTES.filter((a) => desired[a] !== undefined);
  if (managed.length === 0) lines.push('desired  none: the bridge never changed this admin (unmanaged)');
  for (const a of managed) {
    const v = desired[a]!;
    lines.push(
      `desired  ${a}=${show(v.value)} set by ${v.source ?? 'unknown'} ${v.eventId} (ordered at ${new Date(v.timeMs).toISOString()})`,
    );
  }
  if (desired.password !== undefined)
    lines.push(`desired  password changed by ${desired.password.source ?? 'unknown'}`);
  lines.push(
    drift.length === 0
      ? 'drift    none'
      : `drift    ${drift.map((d) => `${d.attribute} is ${show(d.live)}, should be ${show(d.desired)}`).join('; ')}`,
  );
  lines.push(`history  ${history.length} record(s), oldest first`);
  for (const e of history) {
    const offboard = timeToOffboard(e);
    lines.push(
      `  ${auditTime(e)}  ${e.status.padEnd(8)} ${e.source} ${e.event_id} ${e.type} [${e.attributes.join(',')}]` +
        (e.accepted_at === undefined ? '' : ` accepted ${e.accepted_at}`) +
        (offboard?.acceptedMs === undefined ? '' : ` offboarded in ${seconds(offboard.acceptedMs)}`) +
        (e.error_code === undefined ? '' : ` error ${e.error_code}`) +
        (e.attempts > 0 ? ` attempts ${e.attempts}` : ''),
    );
  }
  return lines;
}
