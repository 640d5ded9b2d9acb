import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedHeaders, webhookSigner } from '../../src/cli/signed-request';
import { cloudEvent } from '../support/cloud-event';
import { waitUntil } from '../support/wait-until';
import { requireBuiltCli, spawnCli } from './built-cli';

/**
 * The ordering rule, the no-trace rule and the re-activation policy against `vox-admin-bridge dev` (what `npm start`
 * runs), attacked the way a sender can: a future `time`, a refused change, a link by another source.
 */

interface Admin {
  admin_user_id: number;
  admin_user_name: string;
  admin_user_active: boolean;
}
interface Letter {
  error_code?: string;
  event_id?: string;
}

const HR = 'urn:hr:workday';

describe('npm start: ordering and re-activation rules, end to end', () => {
  let dev: ChildProcess;
  let stdout = '';
  let exited: Promise<number | null>;
  let simUrl = '';
  let url = '';
  let secret = '';
  let okta = '';
  let scimToken = '';

  beforeAll(async () => {
    requireBuiltCli();
    dev = spawnCli(['dev'], { ...process.env, PORT: '0', SIM_PORT: '0', DEV_WEBHOOK_SECRET: '', LOG_LEVEL: 'warn' });
    exited = new Promise((done) => dev.on('exit', (code) => done(code)));
    dev.stdout?.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    await waitUntil('the banner', async () => (stdout.includes('curl -s') ? true : undefined), {
      timeoutMs: 20_000,
      intervalMs: 100,
      ignoreErrors: true,
    });
    simUrl = /simulator\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1] ?? '';
    url = /bridge\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1] ?? '';
    secret = /webhook secret\s+(\S+)/.exec(stdout)?.[1] ?? '';
    okta = /Okta auth\s+(\S+)/.exec(stdout)?.[1] ?? '';
    scimToken = /SCIM token\s+(\S+)/.exec(stdout)?.[1] ?? '';
  }, 30_000);

  afterAll(async () => {
    if (dev.exitCode === null && dev.signalCode === null) {
      dev.kill('SIGKILL');
      await exited;
    }
  });

  const admin = async (name: string): Promise<Admin | undefined> =>
    ((await (await fetch(`${simUrl}/__sim/admins`)).json()) as Admin[]).find((a) => a.admin_user_name === name);
  const letters = async (): Promise<Letter[]> => (await (await fetch(`${url}/__dev/dead-letters`)).json()) as Letter[];
  const calls = async (): Promise<{ method: string; params: Record<string, string> }[]> =>
    (await (await fetch(`${simUrl}/__sim/calls`)).json()) as { method: string; params: Record<string, string> }[];

  async function send(event: Record<string, unknown>): Promise<number> {
    const body = JSON.stringify(cloudEvent({ id: `evt-${randomUUID()}`, source: HR, ...event }));
    const res = await fetch(`${url}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/cloudevents+json', ...signedHeaders(webhookSigner(secret), body) },
      body,
    });
    await res.arrayBuffer();
    return res.status;
  }
  const at = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString();
  const until = <T>(what: string, probe: () => Promise<T | undefined>) =>
    waitUntil(what, probe, { timeoutMs: 20_000, intervalMs: 100, ignoreErrors: true });

  it('an activation stamped 4m59s ahead freezes nobody: the deactivation sent after it applies', async () => {
    const id = `future-${randomUUID()}`;
    expect(await send({ id, type: 'admin.activated', time: at(299_000), data: { admin_user_name: 'jdoe' } })).toBe(202);
    await until('the future activation to be applied', async () =>
      (await calls()).some((c) => c.method === 'SetAdminUserInfo' && c.params.admin_user_active === 'true')
        ? true
        : undefined,
    );
    expect(await send({ type: 'admin.deactivated', time: at(0), data: { admin_user_name: 'jdoe' } })).toBe(202);
    const jdoe = await until('jdoe to be inactive', async () => {
      const a = await admin('jdoe');
      return a?.admin_user_active === false ? a : undefined;
    });
    expect(jdoe.admin_user_active).toBe(false);
  }, 45_000);

  it('a change Voximplant refused leaves no trace: the deactivation sent right after still applies', async () => {
    const refused = `taken-${randomUUID()}`;
    // bwong renamed onto jdoe2, a name another admin holds: Voximplant refuses it (290).
    expect(
      await send({
        id: refused,
        type: 'admin.updated',
        time: at(0),
        data: { admin_user_name: 'bwong', new_admin_user_name: 'jdoe2', admin_user_active: true },
      }),
    ).toBe(202);
    await until('the refused rename in the dead-letter queue', async () =>
      (await letters()).find((l) => l.event_id === refused),
    );
    // The sender's clock is a second behind: its deactivation is older than the refused change's time.
    expect(await send({ type: 'admin.deactivated', time: at(-1_000), data: { admin_user_name: 'bwong' } })).toBe(202);
    await until('bwong to be inactive', async () => {
      const a = await admin('bwong');
      return a?.admin_user_active === false ? a : undefined;
    });
  }, 45_000);

  it('only the deactivating source gives access back: SCIM link and Okta are refused, HR itself is not', async () => {
    expect(await send({ type: 'admin.deactivated', time: at(0), data: { admin_user_name: 'asmith' } })).toBe(202);
    await until('asmith to be inactive', async () =>
      (await admin('asmith'))?.admin_user_active === false ? 1 : undefined,
    );

    // SCIM POST links the existing admin by name in another case and asks for active:true and a password.
    const link = await fetch(`${url}/scim/v2/Users`, {
      method: 'POST',
      headers: { authorization: `Bearer ${scimToken}`, 'content-type': 'application/scim+json' },
      body: JSON.stringify({
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
        userName: 'ASMITH',
        active: true,
        password: 'Idp-Chosen-Passw0rd!',
      }),
    });
    expect(link.status).toBe(403);
    expect(await link.json()).toMatchObject({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      status: '403',
    });
    expect((await admin('asmith'))?.admin_user_active).toBe(false);

    // An Okta activation of the same admin: dead-lettered with the policy's code.
    const uuid = randomUUID();
    const hook = await fetch(`${url}/hooks/okta`, {
      method: 'POST',
      headers: { authorization: okta, 'content-type': 'application/json' },
      body: JSON.stringify({
        eventType: 'com.okta.event_hook',
        source: 'https://example.okta.com/api/v1/eventHooks/who1',
        data: {
          events: [
            {
              uuid,
              published: at(0),
              eventType: 'user.lifecycle.activate',
              outcome: { result: 'SUCCESS' },
              target: [{ id: '00u1', type: 'User', alternateId: 'asmith@example.com' }],
            },
          ],
        },
      }),
    });
    expect(hook.status).toBe(204);
    const letter = await until('the Okta activation in the dead-letter queue', async () =>
      (await letters()).find((l) => l.event_id === uuid),
    );
    expect(letter.error_code).toBe('reactivation_not_allowed');
    expect((await admin('asmith'))?.admin_user_active).toBe(false);

    // HR may undo its own deactivation.
    expect(await send({ type: 'admin.activated', time: at(0), data: { admin_user_name: 'asmith' } })).toBe(202);
    await until('asmith to be active again', async () => ((await admin('asmith'))?.admin_user_active ? 1 : undefined));
  }, 60_000);

  it('SCIM understands attributes keyed by their schema URN: the 204 is true in Voximplant and in GET', async () => {
    const scim = (method: string, path: string, body?: unknown) =>
      fetch(`${url}/scim/v2${path}`, {
        method,
        headers: { authorization: `Bearer ${scimToken}`, 'content-type': 'application/scim+json' },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
    const link = await scim('POST', '/Users', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: 'jdoe2',
      active: true,
    });
    expect(link.status).toBe(201);
    const { id } = (await link.json()) as { id: string };
    const patch = await scim('PATCH', `/Users/${id}`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'replace', value: { 'urn:ietf:params:scim:schemas:core:2.0:User': { active: false } } }],
    });
    expect(patch.status).toBe(204);
    expect((await admin('jdoe2'))?.admin_user_active).toBe(false);
    expect(await (await scim('GET', `/Users/${id}`)).json()).toMatchObject({ active: false });
  }, 45_000);

  it('the same source and id with another change is not swallowed by SQS: it is dead-lettered payload_mismatch', async () => {
    const id = `same-${randomUUID()}`;
    const time = at(0);
    expect(await send({ id, type: 'admin.deactivated', time, data: { admin_user_name: 'jdoe2' } })).toBe(202);
    expect(await send({ id, type: 'admin.activated', time, data: { admin_user_name: 'jdoe2' } })).toBe(202);
    const letter = await until('the second payload in the dead-letter queue', async () =>
      (await letters()).find((l) => l.event_id === id),
    );
    expect(letter.error_code).toBe('payload_mismatch');
    expect((await admin('jdoe2'))?.admin_user_active).toBe(false);
  }, 45_000);
});
