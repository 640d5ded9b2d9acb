import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cloudEvent } from '../support/cloud-event';
import { waitUntil } from '../support/wait-until';
import { requireBuiltCli, runCli, spawnCli } from './built-cli';

/**
 * The local bridge as a user runs it: `vox-admin-bridge dev` (what `npm start` runs) in a child process, then the
 * command its banner prints, then the simulator's admin list. Needs the built CLI: `npm test` builds first.
 */

interface Admin {
  admin_user_id: number;
  admin_user_name: string;
  admin_user_active: boolean;
}

describe('npm start / vox-admin-bridge dev, end to end', () => {
  let dev: ChildProcess;
  let stdout = '';
  let stderr = '';
  let exited: Promise<number | null>;
  let simPort = 0;

  beforeAll(async () => {
    requireBuiltCli();
    // Port 0: the bridge and the simulator bind free ports themselves and the banner names them (choosing ports here
    // and handing them over would race with other tests binding random ports).
    dev = spawnCli(['dev'], {
      ...process.env,
      PORT: '0',
      SIM_PORT: '0',
      DEV_WEBHOOK_SECRET: '',
      LOG_LEVEL: 'warn',
      PROTECTED_ADMIN_USERS: 'breakglass',
      RECONCILE_INTERVAL_SECONDS: '1',
    });
    exited = new Promise((done) => dev.on('exit', (code) => done(code)));
    dev.stdout?.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    dev.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    await waitUntil('the banner', async () => (stdout.includes('curl -s') ? true : undefined), {
      timeoutMs: 20_000,
      intervalMs: 100,
      ignoreErrors: true,
    }).catch((error) => {
      throw new Error(`${(error as Error).message}\nstdout:\n${stdout}\nstderr:\n${stderr}`);
    });
    simPort = Number(/simulator\s+http:\/\/127\.0\.0\.1:(\d+)/.exec(stdout)?.[1]);
  }, 30_000);

  afterAll(async () => {
    if (dev.exitCode === null && dev.signalCode === null) {
      dev.kill('SIGKILL');
      await exited;
    }
  });

  const admins = async (): Promise<Admin[]> =>
    (await (await fetch(`http://127.0.0.1:${simPort}/__sim/admins`)).json()) as Admin[];

  it('the command the banner prints deactivates the demo admin jdoe', async () => {
    const line = stdout.split('\n').find((l) => l.trim().startsWith('npx vox-admin-bridge send '));
    expect(line, stdout).toBeDefined();
    const args = (line ?? '').trim().split(/\s+/).slice(2); // drop "npx vox-admin-bridge"
    expect(args).toContain('examples/admin.deactivated.json');

    expect((await admins()).find((a) => a.admin_user_name === 'jdoe')?.admin_user_active).toBe(true);
    const sent = await runCli(args);
    expect(sent.code, sent.stderr).toBe(0);
    expect(sent.stdout).toContain('HTTP 202');

    const jdoe = await waitUntil(
      'jdoe to be inactive in the simulator',
      async () => (await admins()).find((a) => a.admin_user_name === 'jdoe' && !a.admin_user_active),
      { timeoutMs: 20_000, intervalMs: 100, ignoreErrors: true },
    );
    expect(jdoe.admin_user_active).toBe(false);
    // Nothing else changed, and nothing was dead-lettered.
    expect((await admins()).filter((a) => !a.admin_user_active).map((a) => a.admin_user_name)).toEqual(['jdoe']);
    const letters = await (
      await fetch(`http://127.0.0.1:${new URL(args[args.indexOf('--url') + 1] ?? '').port}/__dev/dead-letters`)
    ).json();
    expect(letters).toEqual([]);
  }, 40_000);

  it('prints the reconcile interval, and the schedule repairs jdoe re-enabled by hand in the simulator', async () => {
    expect(stdout).toContain('reconcile     every 1 s');
    const jdoe = (await admins()).find((a) => a.admin_user_name === 'jdoe');
    expect(jdoe?.admin_user_active).toBe(false);
    const edit = await fetch(`http://127.0.0.1:${simPort}/__sim/admins/${jdoe?.admin_user_id}`, {
      method: 'POST',
      body: JSON.stringify({ admin_user_active: true }),
    });
    expect(edit.status).toBe(200);
    await waitUntil(
      'the reconcile schedule to deactivate jdoe again',
      async () => (await admins()).find((a) => a.admin_user_name === 'jdoe' && !a.admin_user_active),
      { timeoutMs: 20_000, intervalMs: 100 },
    );
    expect((await admins()).filter((a) => !a.admin_user_active).map((a) => a.admin_user_name)).toEqual(['jdoe']);
  }, 30_000);

  it('refuses a validly signed binary-mode request (415) and a reused webhook-id with another body (409)', async () => {
    const secret = /webhook secret\s+(\S+)/.exec(stdout)?.[1] ?? '';
    const url = /bridge\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1];
    const post = (webhookId: string, body: string, headers: Record<string, string>) => {
      const at = new Date();
      return fetch(`${url}/events`, {
        method: 'POST',
        headers: {
          'webhook-id': webhookId,
          'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
          'webhook-signature': new Webhook(secret).sign(webhookId, at, body),
          ...headers,
        },
        body,
      });
    };
    // Binary mode: the attributes are ce-* headers, outside what the signature covers.
    const binary = await post('msg_e2e_bin', JSON.stringify({ admin_user_name: 'jdoe2' }), {
      'content-type': 'application/json',
      'ce-specversion': '1.0',
      'ce-id': 'evt-e2e-bin',
      'ce-source': 'urn:hr:workday',
      'ce-type': 'admin.deactivated',
      'ce-time': new Date().toISOString(),
    });
    expect(binary.status).toBe(415);
    expect(((await binary.json()) as { detail: string }).detail).toMatch(/binary mode/);

    const time = new Date(Date.now() - 60_000).toISOString();
    const event = (type: string) =>
      JSON.stringify(
        cloudEvent({ id: 'evt-e2e-wid', source: 'urn:hr:workday', type, time, data: { admin_user_name: 'jdoe2' } }),
      );
    const structured = { 'content-type': 'application/cloudevents+json' };
    // A refused request leaves no trace: the same webhook-id is then free for the corrected body.
    expect((await post('msg_e2e_wid', event('admin.unknown'), structured)).status).toBe(400);
    expect((await post('msg_e2e_wid', event('admin.activated'), structured)).status).toBe(202);
    expect((await post('msg_e2e_wid', event('admin.deactivated'), structured)).status).toBe(409);
    expect((await post('msg_e2e_wid', event('admin.activated'), structured)).status).toBe(202);
    expect((await admins()).find((a) => a.admin_user_name === 'jdoe2')?.admin_user_active).toBe(true);
  }, 40_000);

  it('the Okta example hook, sent with the printed Okta auth value, deactivates bwong', async () => {
    const okta = /Okta auth\s+(\S+)/.exec(stdout)?.[1];
    const url = /bridge\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1];
    expect(okta).toBeDefined();
    const sent = await runCli([
      'send',
      'examples/okta-event-hook.json',
      '--url',
      `${url}/hooks/okta`,
      '--authorization',
      okta ?? '',
    ]);
    expect(sent.code, sent.stdout + sent.stderr).toBe(0);
    await waitUntil(
      'bwong to be inactive',
      async () => (await admins()).find((a) => a.admin_user_name === 'bwong' && !a.admin_user_active),
      { timeoutMs: 20_000, intervalMs: 100, ignoreErrors: true },
    );
  }, 40_000);

  it('serves SCIM on /scim/v2 with the printed SCIM token, and refuses without it', async () => {
    const token = /SCIM token\s+(\S+)/.exec(stdout)?.[1];
    const url = /bridge\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1];
    const config = await fetch(`${url}/scim/v2/ServiceProviderConfig`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(config.status).toBe(200);
    expect(config.headers.get('content-type')).toContain('application/scim+json');
    expect((await fetch(`${url}/scim/v2/Users`)).status).toBe(401);
  });

  it('refuses renames onto a protected name (422) and SCIM users named like one (403): nothing changes', async () => {
    const line = stdout.split('\n').find((l) => l.trim().startsWith('npx vox-admin-bridge send '));
    const args = (line ?? '').trim().split(/\s+/).slice(2);
    const fileAt = args.indexOf('examples/admin.deactivated.json');
    expect(fileAt, stdout).toBeGreaterThan(0);
    const dir = mkdtempSync(join(tmpdir(), 'vab-dev-protected-'));
    try {
      for (const [i, newName] of ['Owner', 'BreakGlass', '\u043Ewner\u200B'].entries()) {
        const file = join(dir, `rename-${i}.json`);
        writeFileSync(
          file,
          JSON.stringify(
            cloudEvent({
              id: `rename-onto-protected-${i}`,
              source: 'urn:test:e2e',
              type: 'admin.renamed',
              time: new Date().toISOString(),
              data: { admin_user_name: 'asmith', new_admin_user_name: newName },
            }),
          ),
        );
        const sent = await runCli(args.map((a, at) => (at === fileAt ? file : a)));
        expect(sent.stdout, JSON.stringify(newName)).toContain('HTTP 422');
        expect(sent.stdout).toContain('/data/new_admin_user_name');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }

    const token = /SCIM token\s+(\S+)/.exec(stdout)?.[1];
    const url = /bridge\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1];
    for (const userName of ['owner ', ' owner', '\u043Ewner', 'owner\u200B']) {
      const res = await fetch(`${url}/scim/v2/Users`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json' },
        body: JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName, active: true }),
      });
      expect(res.status, JSON.stringify(userName)).toBe(403);
      expect(((await res.json()) as { detail: string }).detail).toContain("matches a protected admin's name");
    }
    const names = (await admins()).map((a) => a.admin_user_name);
    expect(names).toContain('asmith');
    expect(names.filter((n) => n.toLowerCase().includes('wner') || n.toLowerCase().includes('glass'))).toEqual([
      'owner',
    ]);
  }, 40_000);

  it('stops cleanly on Ctrl-C (SIGINT) with exit code 0', async () => {
    dev.kill('SIGINT');
    const code = await Promise.race([exited, new Promise<'hung'>((r) => setTimeout(() => r('hung'), 15_000))]);
    expect(code, stderr).toBe(0);
    expect(stderr).toContain('[dev] stopped');
    // Every port is released.
    await expect(fetch(`http://127.0.0.1:${simPort}/__sim/admins`)).rejects.toThrow();
  }, 20_000);
});

describe('npm start with a configuration error', () => {
  it('refuses to start when WEBHOOK_TOLERANCE_SECONDS is above its limit, naming the limit', async () => {
    requireBuiltCli();
    const child = spawnCli(['dev'], { ...process.env, PORT: '0', SIM_PORT: '0', WEBHOOK_TOLERANCE_SECONDS: '86401' });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const code = await new Promise<number | null>((done) => child.on('close', done));
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/WEBHOOK_TOLERANCE_SECONDS: must be at most 86400 seconds/);
  }, 30_000);
});
