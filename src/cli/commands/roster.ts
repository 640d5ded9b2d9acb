import { createHash, randomUUID } from 'node:crypto';
import { createApplyDeps } from '../../apply/create-apply-deps';
import { protectedAdmins } from '../../events/protected-admins';
import { createLogger } from '../../observability/logger';
import { deadlineIn } from '../../runtime/deadline';
import type { AdminUser } from '../../voximplant/admin-users';
import { adminUserPages } from '../../voximplant/get-admin-users';
import { parsePositiveInt } from '../args-numbers';
import { resolveTarget, TARGET_HELP, TARGET_OPTIONS } from '../bridge-target';
import { usageError } from '../cli-error';
import { defineCommand } from '../command';
import { fetchOrExplain, formatBody, parseUrl } from '../http-call';
import { readInputFile } from '../read-input-file';
import { readRoster } from '../roster/read-roster';
import { type RosterPlan, rosterPlan } from '../roster/roster-plan';
import { BATCH_TYPE, signedHeaders, webhookSigner } from '../signed-request';

const help = `Usage: vox-admin-bridge roster plan <file> [--account <id>] (--local | --secret-id <id> ...)
       vox-admin-bridge roster apply <file> --url <events URL> --secret <whsec_...> [options]

For HR systems that can export but not reliably notify: <file> lists the people who should hold
admin access, as JSON (["jdoe", ...] or [{"admin_user_name": "jdoe"}, ...]) or CSV with a header row
holding an admin_user_name column. Names match exactly, as events do. An empty roster is refused.

  plan   lists the non-protected admins that are active but absent from the roster (to deactivate),
         those on it but inactive, and names on it that match no admin. Changes nothing.
  apply  sends the deactivations of the plan as signed admin.deactivated CloudEvents (Standard
         Webhooks) to /events, so every safety rule of the bridge applies to them; prints the answers.

Options:
  --account <id>        a child account's id (default: the main account)
  --url <url>           (apply) the events URL: stack output EventsUrl (default:
                        http://127.0.0.1:$PORT/events)
  --secret <whsec_...>  (apply) a webhook secret (default: $DEV_WEBHOOK_SECRET)
  --source <urn>        (apply) the events' source (default: urn:hr:roster); only this source, or one
                        in REACTIVATION_SOURCES, may re-activate the admins it deactivates
${TARGET_HELP}
  -h, --help            show this help

Exit status: 0 when plan finds nothing to deactivate or apply had every event accepted; 1 when plan
lists deactivations or apply had a refusal; 2 for a usage error.`;

/** The events endpoint takes at most 100 events per batch (docs/CONTRACT.md#post-events). */
const BATCH_SIZE = 100;
const READ_TIME_MS = 60_000;

export const rosterCommand = defineCommand({
  name: 'roster',
  summary: 'compare an HR export of who should be an admin with Voximplant; send the deactivations',
  help,
  options: {
    ...TARGET_OPTIONS,
    account: { type: 'string' },
    url: { type: 'string' },
    secret: { type: 'string' },
    source: { type: 'string' },
  },
  positionals: ['action', 'file'],
  async run({ values, positionals }, io) {
    const [action, file] = positionals;
    if (action !== 'plan' && action !== 'apply') throw usageError(`roster takes plan or apply, got "${action}"`);
    const roster = readRoster(file, await readInputFile(io.cwd, file));
    const accountId = values.account === undefined ? undefined : parsePositiveInt('--account', values.account);
    const secret = values.secret ?? io.env.DEV_WEBHOOK_SECRET;
    if (action === 'apply' && (secret === undefined || secret === '')) {
      throw usageError('--secret is required (or set DEV_WEBHOOK_SECRET); npm start prints the dev secret');
    }
    const signer = action === 'apply' ? webhookSigner(secret ?? '') : undefined;
    const target = await resolveTarget(values, io, { voximplant: true });
    let plan: RosterPlan;
    try {
      const apply = createApplyDeps(target.config, createLogger('cli', 'silent'), {}, target.doc);
      const live: AdminUser[] = [];
      const opts = { deadline: deadlineIn(READ_TIME_MS), ...(accountId !== undefined && { accountId }) };
      for await (const page of adminUserPages(apply.voximplant, {}, opts)) live.push(...page);
      plan = rosterPlan(roster, live, protectedAdmins(target.config.PROTECTED_ADMIN_USERS));
    } finally {
      target.close();
    }
    for (const line of formatPlan(plan, roster.length)) io.out(line);
    if (action === 'plan' || signer === undefined) return plan.deactivate.length > 0 ? 1 : 0;
    if (plan.deactivate.length === 0) return 0;

    const url = parseUrl('--url', values.url ?? `http://127.0.0.1:${io.env.PORT || '8787'}/events`);
    const source = values.source ?? 'urn:hr:roster';
    const run = randomUUID();
    const now = new Date().toISOString();
    let ok = true;
    for (let i = 0; i < plan.deactivate.length; i += BATCH_SIZE) {
      const events = plan.deactivate.slice(i, i + BATCH_SIZE).map((a) => ({
        specversion: '1.0',
        id: `roster-${createHash('sha256')
          .update(`${run}:${accountId ?? 'main'}:${a.admin_user_id}`)
          .digest('hex')
          .slice(0, 32)}`,
        source,
        type: 'admin.deactivated',
        time: now,
        data: { admin_user_id: a.admin_user_id, ...(accountId !== undefined && { account_id: accountId }) },
      }));
      const body = JSON.stringify(events);
      const response = await fetchOrExplain(
        io.fetch,
        url.href,
        { method: 'POST', headers: { 'content-type': BATCH_TYPE, ...signedHeaders(signer, body) }, body },
        url.hostname === '127.0.0.1' || url.hostname === 'localhost' ? 'is `npm start` running?' : undefined,
      );
      io.out(`HTTP ${response.status} ${response.statusText}`.trimEnd());
      io.out(formatBody(await response.text()));
      ok &&= response.ok;
    }
    return ok ? 0 : 1;
  },
});

export function formatPlan(plan: RosterPlan, rosterSize: number): string[] {
  const who = (a: AdminUser) => `${a.admin_user_id} ${a.admin_user_name}`;
  return [
    ...plan.deactivate.map((a) => `deactivate  ${who(a)} (active, not on the roster)`),
    ...plan.inactive.map((a) => `inactive    ${who(a)} (on the roster, inactive in Voximplant)`),
    ...plan.unknown.map((n) => `unknown     ${n} (on the roster, no admin of that exact name)`),
    `${rosterSize} on the roster; ${plan.deactivate.length} to deactivate, ${plan.inactive.length} inactive, ` +
      `${plan.unknown.length} unknown, ${plan.protected.length} protected (never touched)`,
  ];
}
