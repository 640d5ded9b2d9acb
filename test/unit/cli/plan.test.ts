import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RESOLVED_AT_RUN_TIME } from '../../../src/cli/plan/plan-event';
import { idempotencyKey } from '../../../src/events/idempotency-key';
import { cli } from '../../support/cli-io';
import { cloudEvent } from '../../support/cloud-event';

interface Plan {
  event_id: string;
  idempotency_key: string;
  message_group_id: string;
  refused?: string;
  requests: { method: string; url: string; headers: Record<string, string>; form: Record<string, string> }[];
}

const dir = mkdtempSync(join(tmpdir(), 'vab-plan-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, value: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value));
  return path;
}

async function planJson(path: string, env: Record<string, string> = {}): Promise<Plan | Plan[]> {
  const ran = await cli(['plan', path, '--json'], env);
  expect(ran.code, ran.stderr).toBe(0);
  return JSON.parse(ran.stdout) as Plan | Plan[];
}

describe('vox-admin-bridge plan', () => {
  it('plans every file in examples/ without error', async () => {
    for (const name of readdirSync('examples').filter((f) => f.endsWith('.json'))) {
      const ran = await cli(['plan', `examples/${name}`]);
      expect(ran.code, `${name}: ${ran.stderr}`).toBe(0);
      expect(ran.stdout).toContain('SetAdminUserInfo');
    }
  });

  it('an event by name: the GetAdminUsers lookup, then SetAdminUserInfo by the id it finds', async () => {
    const plan = (await planJson('examples/admin.deactivated.json')) as Plan;
    expect(plan.requests.map((r) => r.method)).toEqual(['GetAdminUsers', 'SetAdminUserInfo']);
    const [lookup, set] = plan.requests;
    expect(lookup?.url).toBe('https://api.voximplant.com/platform_api/GetAdminUsers');
    expect(lookup?.form).toMatchObject({ required_admin_user_name: 'jdoe' });
    expect(set?.url).toBe('https://api.voximplant.com/platform_api/SetAdminUserInfo');
    expect(set?.form).toEqual({ required_admin_user_id: RESOLVED_AT_RUN_TIME, admin_user_active: 'false' });
    expect(set?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    // docs/CONTRACT.md#idempotency: the Idempotency-Key header carries SHA-256 of source + "\n" + id.
    expect(set?.headers['idempotency-key']).toBe(idempotencyKey('urn:hr:workday', 'evt-0001'));
    expect(plan.message_group_id).toBe('main/name:jdoe');
  });

  it('an event by id: SetAdminUserInfo by that id, with exactly the fields of the change', async () => {
    const plan = (await planJson('examples/admin.updated.json')) as Plan;
    expect(plan.requests.map((r) => r.method)).toEqual(['SetAdminUserInfo']);
    expect(plan.requests[0]?.form).toEqual({
      required_admin_user_id: '5',
      admin_user_display_name: 'Bob Wong (Support)',
    });
  });

  it('renamed sends the new name and display name; booleans are true/false', async () => {
    const renamed = (await planJson('examples/admin.renamed.json')) as Plan;
    expect(renamed.requests.at(-1)?.form).toEqual({
      required_admin_user_id: RESOLVED_AT_RUN_TIME,
      new_admin_user_name: 'alice.jones',
      admin_user_display_name: 'Alice Jones',
    });
    const activated = (await planJson('examples/admin.activated.json')) as Plan;
    expect(activated.requests.at(-1)?.form.admin_user_active).toBe('true');
  });

  it('a batch plans each event in order', async () => {
    const plans = (await planJson('examples/batch.json')) as Plan[];
    expect(plans.map((p) => p.event_id)).toEqual(['evt-0101', 'evt-0102']);
  });

  it('uses --api-url (or VOXIMPLANT_API_URL) as the base', async () => {
    const ran = await cli([
      'plan',
      'examples/admin.updated.json',
      '--json',
      '--api-url',
      'http://127.0.0.1:9/platform_api/',
    ]);
    expect((JSON.parse(ran.stdout) as Plan).requests[0]?.url).toBe('http://127.0.0.1:9/platform_api/SetAdminUserInfo');
    const viaEnv = (await planJson('examples/admin.updated.json', {
      VOXIMPLANT_API_URL: 'http://sim:1/platform_api',
    })) as Plan;
    expect(viaEnv.requests[0]?.url).toBe('http://sim:1/platform_api/SetAdminUserInfo');
  });

  it('a protected target is refused with no request, as the endpoint would refuse it', async () => {
    const plan = (await planJson('examples/admin.deactivated.json', { PROTECTED_ADMIN_USERS: 'owner, JDOE' })) as Plan;
    expect(plan.refused).toMatch(/PROTECTED_ADMIN_USERS/);
    expect(plan.requests).toEqual([]);
  });

  it('an event by id with protected names first lists the admins (the guard needs their current names)', async () => {
    const plan = (await planJson('examples/admin.updated.json', { PROTECTED_ADMIN_USERS: 'owner' })) as Plan;
    expect(plan.requests.map((r) => r.method)).toEqual(['GetAdminUsers', 'SetAdminUserInfo']);
    expect(plan.requests[0]?.form).toMatchObject({ count: '100', offset: '0' });
    expect(plan.requests[0]?.form).not.toHaveProperty('required_admin_user_id');
  });

  it.each(['Owner', ' owner', '\u043ewner', 'owner\u200b', 'BreakGlass'])(
    'a rename onto the protected name %s is refused with no request',
    async (spelled) => {
      const newName = JSON.parse(`"${spelled}"`) as string;
      const path = file(
        'rename-onto-protected.json',
        cloudEvent({
          id: 'r-1',
          source: 'urn:test',
          type: 'admin.renamed',
          time: '2026-01-01T00:00:00Z',
          data: { admin_user_name: 'asmith', new_admin_user_name: newName },
        }),
      );
      const plan = (await planJson(path, { PROTECTED_ADMIN_USERS: 'owner,breakglass' })) as Plan;
      expect(plan.refused).toMatch(/protected_name/);
      expect(plan.requests).toEqual([]);
    },
  );

  it('a child account names its id as the JWT issuer', async () => {
    const path = file(
      'child.json',
      cloudEvent({
        id: 'c-1',
        source: 'urn:test',
        type: 'admin.activated',
        time: '2026-01-01T00:00:00Z',
        data: { admin_user_id: 7, account_id: 4242 },
      }),
    );
    const plan = (await planJson(path)) as Plan;
    expect(plan.requests[0]?.headers.authorization).toContain('iss=4242');
    expect(plan.message_group_id).toBe('4242/id:7');
  });

  it('maps an Okta event hook delivery as /hooks/okta does (OKTA_NAME_FROM honoured)', async () => {
    const plans = (await planJson('examples/okta-event-hook.json')) as Plan[];
    expect(plans[0]?.requests[0]?.form).toMatchObject({ required_admin_user_name: 'bwong' });
    const byLogin = (await planJson('examples/okta-event-hook.json', { OKTA_NAME_FROM: 'login' })) as Plan[];
    expect(byLogin[0]?.requests[0]?.form).toMatchObject({ required_admin_user_name: 'bwong@example.com' });
  });

  it('an invalid event is one line naming each field by JSON Pointer, exit 1', async () => {
    const path = file('bad.json', [
      cloudEvent({ id: 'x', source: 's', type: 'admin.deactivated', time: 'yesterday', data: { admin_user_id: 1 } }),
      cloudEvent({ id: 'y', source: 's', type: 'admin.deleted', time: '2026-01-01T00:00:00Z', data: {} }),
    ]);
    const ran = await cli(['plan', path]);
    expect(ran.code).toBe(1);
    expect(ran.stdout).toBe('');
    expect(ran.stderr.split('\n')).toHaveLength(1);
    expect(ran.stderr).toContain('/0/time');
    expect(ran.stderr).toContain('/1/type');
  });

  it('a file that is not JSON, or missing, is a readable error', async () => {
    const notJson = await cli(['plan', file('x.json', '{"specversion": ')]);
    expect(notJson.code).toBe(1);
    expect(notJson.stderr).toMatch(/^error: .*x\.json is not valid JSON/);
    const missing = await cli(['plan', 'examples/nope.json']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('error: cannot read examples/nope.json: no such file');
  });

  it('needs exactly one file', async () => {
    expect((await cli(['plan'])).code).toBe(2);
    expect((await cli(['plan', 'a.json', 'b.json'])).code).toBe(2);
  });
});
