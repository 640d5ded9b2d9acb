import type { DevRuntime } from './dev-runtime';

/** The demo admin the banner's command deactivates (seeded by the simulator; examples/admin.deactivated.json). */
export const DEMO_TARGET = 'jdoe';

/**
 * What `npm start` prints once everything is up: where things are, the dev secrets, and one command to paste.
 * Short on purpose; docs/LOCAL.md has the rest.
 */
export function devBanner(runtime: DevRuntime, opts: { simSeed: 'demo' | 'empty' }): string {
  const { url, simUrl, secrets } = runtime;
  const lines = [
    '',
    'vox-admin-bridge is running locally (Ctrl-C stops it)',
    '',
    `  bridge        ${url}   POST /events   GET|POST /hooks/okta${runtime.routes.some((r) => r.includes('/scim/')) ? '   /scim/v2/...' : ''}`,
    `  simulator     ${simUrl}   admins: ${simUrl}/__sim/admins`,
    `  dead letters  ${url}/__dev/dead-letters`,
    `  reconcile     every ${runtime.reconcileIntervalSec} s (RECONCILE_INTERVAL_SECONDS; deployed: every 15 minutes)`,
    '',
    'Dev secrets (fix them with DEV_WEBHOOK_SECRET, DEV_OKTA_AUTH, DEV_SCIM_TOKEN):',
    `  webhook secret   ${secrets.webhookSecret}`,
    `  Okta auth        ${secrets.oktaAuthorization}`,
    `  SCIM token       ${secrets.scimToken}`,
    '',
  ];
  if (opts.simSeed === 'demo') {
    lines.push(
      `Deactivate the demo admin ${DEMO_TARGET}:`,
      `  npx vox-admin-bridge send examples/admin.deactivated.json --url ${url}/events --secret ${secrets.webhookSecret}`,
      `then see admin_user_active turn false: curl -s ${simUrl}/__sim/admins`,
      `Re-enable ${DEMO_TARGET} by hand, as in the control panel, and watch the next reconcile run repair it:`,
      `  curl -s -X POST ${simUrl}/__sim/admins/<id> -d '{"admin_user_active":true}'`,
      `  npx vox-admin-bridge status ${DEMO_TARGET} --local`,
    );
  } else {
    lines.push('SIM_SEED=empty: the simulator holds only the protected owner; create admins through SCIM.');
  }
  lines.push('');
  return lines.join('\n');
}
