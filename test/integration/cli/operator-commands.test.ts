import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DevLog } from '../../../tooling/local/dev-log';
import { type DevRuntime, startDevRuntime } from '../../../tooling/local/dev-runtime';
import { cli } from '../../support/cli-io';
import { waitUntil } from '../../support/wait-until';

const SECRET = `whsec_${Buffer.from('fixed-dev-secret-for-the-test!!').toString('base64')}`;
const silent: DevLog = { info: () => undefined, warn: () => undefined };

interface SimAdmin {
  admin_user_id: number;
  admin_user_name: string;
  admin_user_active: boolean;
}

/**
 * The operator commands in-process against `npm start`'s runtime (the real handlers, DynamoDB Local, the simulator), found
 * through --local-url as an operator's terminal would find it. The scheduled reconcile is slowed to an hour here so
 * that each command below is what acts; test/e2e/dev-bridge.test.ts watches the schedule itself.
 */
describe('reconcile, status, report and roster against npm start', () => {
  let runtime: DevRuntime;
  const local = () => ['--local-url', runtime.url];
  const admins = async (): Promise<SimAdmin[]> => (await fetch(`${runtime.simUrl}/__sim/admins`)).json() as never;
  const jdoe = async () => (await admins()).find((a) => a.admin_user_name === 'jdoe')!;

  beforeAll(async () => {
    runtime = await startDevRuntime({
      port: 0,
      simPort: 0,
      simSeed: 'demo',
      env: { DEV_WEBHOOK_SECRET: SECRET, LOG_LEVEL: 'silent' },
      log: silent,
      reconcileIntervalSec: 3600,
    });
  }, 30_000);
  afterAll(async () => {
    await runtime?.close();
  });

  it('deactivate jdoe; re-enable by hand; reconcile --dry-run lists it, reconcile repairs it; status shows it all', async () => {
    const sent = await cli([
      'send',
      'examples/admin.deactivated.json',
      '--fresh',
      '--url',
      `${runtime.url}/events`,
      '--secret',
      SECRET,
    ]);
    expect(sent.code).toBe(0);
    await waitUntil('jdoe deactivated', async () => ((await jdoe()).admin_user_active ? undefined : true));
    const { admin_user_id: id } = await jdoe();
    const edit = await fetch(`${runtime.simUrl}/__sim/admins/${id}`, {
      method: 'POST',
      body: JSON.stringify({ admin_user_active: true }),
    });
    expect(edit.status).toBe(200);

    const dry = await cli(['reconcile', '--dry-run', ...local()]);
    expect(dry).toMatchObject({ code: 1, stderr: '' });
    expect(dry.stdout).toContain(`drift  main/${id} jdoe: active is true, should be false [set by urn:hr:workday`);
    expect(dry.stdout).toContain('-> reported');
    expect((await jdoe()).admin_user_active).toBe(true);

    const drifted = await cli(['status', 'jdoe', ...local()]);
    expect(drifted.code).toBe(1);
    expect(drifted.stdout).toContain('live     active=true');
    expect(drifted.stdout).toContain('desired  active=false set by urn:hr:workday');
    expect(drifted.stdout).toContain('drift    active is true, should be false');

    const repaired = await cli(['reconcile', ...local()]);
    expect(repaired.code).toBe(1);
    expect(repaired.stdout).toContain('-> repaired');
    expect(repaired.stdout).toContain('repair: 1 drift found, 1 repaired');
    expect((await jdoe()).admin_user_active).toBe(false);

    const clean = await cli(['reconcile', ...local()]);
    expect(clean.code).toBe(0);

    const status = await cli(['status', String(id), '--json', ...local()]);
    expect(status.code).toBe(0);
    const shown = JSON.parse(status.stdout) as { live: SimAdmin; history: { status: string; source: string }[] };
    expect(shown.live.admin_user_active).toBe(false);
    expect(shown.history.map((h) => h.status)).toEqual(['applied', 'drift', 'drift', 'repaired']);
    expect(shown.history.at(-1)?.source).toBe('urn:vox-admin-bridge:reconcile');
  });

  it('report lists the deactivation with its time to offboard, as a table, CSV and JSON', async () => {
    const csv = await cli(['report', '--format', 'csv', ...local()]);
    expect(csv.code).toBe(0);
    const [header, ...rows] = csv.stdout.split('\n');
    expect(header).toBe(
      'account,admin,admin_user_name,source,event_id,event_time,accepted_at,applied_at,time_to_offboard_ms,outcome',
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatch(/^main,\d+,jdoe,urn:hr:workday,evt-[^,]+,[^,]+,[^,]+,[^,]+,\d+,applied$/);
    expect(csv.stderr).toContain('drift found 2, repaired 1');

    const json = JSON.parse((await cli(['report', '--format', 'json', ...local()])).stdout) as {
      offboarded: number;
      max_ms: number;
    };
    expect(json.offboarded).toBe(1);
    expect(json.max_ms).toBeGreaterThanOrEqual(0);
    const table = await cli([
      'report',
      '--since',
      new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10),
      ...local(),
    ]);
    expect(table.stdout).toContain('1 deactivation(s), 1 applied; time to offboard (accepted -> applied): p50');

    const bad = await cli(['report', '--since', 'yesterday', ...local()]);
    expect(bad).toMatchObject({ code: 2 });
    expect(bad.stderr).toContain('--since must be a date');
  });

  it('roster plan lists who would lose access; roster apply sends them as signed events, never the owner', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vab-roster-'));
    const file = join(dir, 'roster.csv');
    writeFileSync(
      file,
      'admin_user_name,email\njdoe,jdoe@example.com\nasmith,asmith@example.com\nnobody,x@example.com\n',
    );
    const before = await admins();
    const others = before.filter(
      (a) => !['owner', 'jdoe', 'asmith'].includes(a.admin_user_name) && a.admin_user_active,
    );

    const plan = await cli(['roster', 'plan', file, ...local()]);
    expect(plan.code).toBe(1);
    for (const a of others) expect(plan.stdout).toContain(`deactivate  ${a.admin_user_id} ${a.admin_user_name}`);
    expect(plan.stdout).toContain('inactive    ');
    expect(plan.stdout).toContain('unknown     nobody');
    expect(plan.stdout).not.toMatch(/deactivate {2}\d+ owner/);

    const applied = await cli([
      'roster',
      'apply',
      file,
      '--url',
      `${runtime.url}/events`,
      '--secret',
      SECRET,
      ...local(),
    ]);
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain('HTTP 202');
    await waitUntil('the absent admins deactivated', async () => {
      const now = await admins();
      return others.every((o) => now.find((a) => a.admin_user_id === o.admin_user_id)?.admin_user_active === false)
        ? true
        : undefined;
    });
    const after = await admins();
    expect(after.find((a) => a.admin_user_name === 'owner')?.admin_user_active).toBe(true);
    expect(after.find((a) => a.admin_user_name === 'asmith')?.admin_user_active).toBe(true);

    const empty = join(dir, 'empty.json');
    writeFileSync(empty, '[]');
    const refused = await cli(['roster', 'plan', empty, ...local()]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('the roster is empty');
  });

  it('says what to do when no local bridge answers, and what a deployed repair needs', async () => {
    const none = await cli(['reconcile', '--local-url', 'http://127.0.0.1:9']);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('is `npm start` running?');
    const noTable = await cli(['status', 'jdoe'], {});
    expect(noTable).toMatchObject({ code: 2 });
    expect(noTable.stderr).toContain('--table is required');
    const noProtected = await cli(['reconcile', '--table', 't', '--credentials', 'c.json'], {});
    expect(noProtected).toMatchObject({ code: 2 });
    expect(noProtected.stderr).toContain('a repair needs the stage protected admins');
  });
});
