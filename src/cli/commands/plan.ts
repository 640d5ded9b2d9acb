import { DEFAULT_API_URL, loadConfig } from '../../config';
import type { AdminChangeEvent } from '../../events/admin-change-event';
import { parseAdminChangeEvent } from '../../events/parse-admin-change-event';
import { protectedAdmins } from '../../events/protected-admins';
import { MAX_EVENTS_PER_REQUEST } from '../../ingress/ingress-limits';
import { mapOktaDelivery, oktaSource } from '../../ingress/okta-events';
import { CliError } from '../cli-error';
import { defineCommand } from '../command';
import { managementApiUrl } from '../http-call';
import { formatPlans } from '../plan/format-plan';
import { type EventPlan, type PlanSettings, planEvent } from '../plan/plan-event';
import { parseJsonFile, readInputFile } from '../read-input-file';

const help = `Usage: vox-admin-bridge plan <file> [--api-url <url>] [--json]

Prints the exact Voximplant Management API request(s) an event file becomes: method, URL,
headers and form fields of SetAdminUserInfo, and the GetAdminUsers lookup first when the
event names the admin by name (the id it finds is <resolved at run time>).
Validates the file with the same code as the endpoints. Makes no network call.

The file is one CloudEvent, a JSON array of them (a batch), or an Okta event hook delivery
(mapped as POST /hooks/okta maps it; OKTA_NAME_FROM is honoured).

Options:
  --api-url <url>  the Management API base (default: $VOXIMPLANT_API_URL or
                   ${DEFAULT_API_URL})
  --json           print the plan as JSON
  -h, --help       show this help

Environment: PROTECTED_ADMIN_USERS is honoured as the functions honour it.

Example:
  vox-admin-bridge plan examples/admin.renamed.json`;

function isOktaDelivery(json: unknown): boolean {
  return (
    typeof json === 'object' && json !== null && (json as { eventType?: unknown }).eventType === 'com.okta.event_hook'
  );
}

/** An Okta Event Hook delivery, mapped to CloudEvents by the same code as POST /hooks/okta. */
async function planOktaDelivery(
  file: string,
  json: unknown,
  settings: PlanSettings,
  nameFrom: 'login' | 'local-part',
): Promise<EventPlan[]> {
  const mapped = mapOktaDelivery(json, { nameFrom, now: Date.now() });
  if (!mapped.ok) {
    const problems = mapped.errors.map((e) => `${e.path || '/'}: ${e.message}`).join('; ');
    throw new CliError('invalid_event', `${file} is not a valid Okta event hook delivery: ${problems}`);
  }
  const source = oktaSource((json as { source?: string }).source);
  const plans: EventPlan[] = [];
  for (const outcome of mapped.outcomes) {
    if (outcome.kind === 'mapped') {
      plans.push(await planEvent(outcome.event, settings));
      continue;
    }
    plans.push({
      event_id: outcome.uuid ?? `/data/events/${outcome.index}`,
      type: outcome.oktaType ?? 'unknown',
      source,
      idempotency_key: '-',
      message_group_id: '-',
      ordering_time: '-',
      refused: `ignored by /hooks/okta: ${outcome.reason}`,
      requests: [],
    });
  }
  if (plans.length === 0) throw new CliError('invalid_event', `${file} holds no Okta events`);
  return plans;
}

export const planCommand = defineCommand({
  name: 'plan',
  summary: 'print the SetAdminUserInfo request(s) an event file becomes (no network)',
  help,
  options: {
    'api-url': { type: 'string' },
    json: { type: 'boolean' },
  },
  positionals: ['file'],
  async run({ values, positionals }, io) {
    const [file] = positionals;
    const apiUrl = managementApiUrl(values['api-url'], io.env);
    let protectedEntries: string[];
    try {
      protectedEntries = loadConfig({ PROTECTED_ADMIN_USERS: io.env.PROTECTED_ADMIN_USERS }).PROTECTED_ADMIN_USERS;
    } catch (error) {
      throw new CliError('config_invalid', (error as Error).message);
    }

    const json = parseJsonFile(file, await readInputFile(io.cwd, file));
    const settings = {
      apiUrl,
      protectedList: protectedAdmins(protectedEntries),
    };
    if (isOktaDelivery(json)) {
      const nameFrom = io.env.OKTA_NAME_FROM === 'login' ? 'login' : 'local-part';
      const plans = await planOktaDelivery(file, json, settings, nameFrom);
      io.out(values.json ? JSON.stringify(plans, null, 2) : formatPlans(plans));
      return 0;
    }
    const batch = Array.isArray(json);
    const items: unknown[] = batch ? json : [json];
    if (items.length === 0) throw new CliError('invalid_event', `${file} is an empty batch`);
    if (items.length > MAX_EVENTS_PER_REQUEST) {
      throw new CliError(
        'invalid_event',
        `${file} holds ${items.length} events; a batch holds at most ${MAX_EVENTS_PER_REQUEST}`,
      );
    }

    const now = Date.now();
    const events: AdminChangeEvent[] = [];
    const problems: string[] = [];
    items.forEach((item, i) => {
      const parsed = parseAdminChangeEvent(item, now, batch ? `/${i}` : '');
      if (parsed.ok) events.push(parsed.event);
      else problems.push(...parsed.errors.map((e) => `${e.path || '/'}: ${e.message}`));
    });
    if (problems.length > 0) {
      throw new CliError(
        'invalid_event',
        `${file} is not a valid ${batch ? 'batch' : 'event'}: ${problems.join('; ')}`,
      );
    }
    const plans: EventPlan[] = [];
    for (const event of events) plans.push(await planEvent(event, settings));
    io.out(values.json ? JSON.stringify(batch ? plans : plans[0], null, 2) : formatPlans(plans));
    return 0;
  },
});
