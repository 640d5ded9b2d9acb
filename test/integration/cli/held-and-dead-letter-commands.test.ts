import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deadlineIn } from '../../../src/runtime/deadline';
import { addAdminUser } from '../../../src/voximplant/add-admin-user';
import { VoximplantClient } from '../../../src/voximplant/client';
import { credentialsFromFile } from '../../../src/voximplant/credentials';
import type { DevLog } from '../../../tooling/local/dev-log';
import { type DevRuntime, startDevRuntime } from '../../../tooling/local/dev-runtime';
import { cli } from '../../support/cli-io';
import { cloudEvent, uniqueEventId } from '../../support/cloud-event';
import { waitUntil } from '../../support/wait-until';

const SECRET = `whsec_${Buffer.from('fixed-dev-secret-for-operators!').toString('base64')}`;

interface AdminView {
  admin_user_id: number;
  admin_user_name: string;
  admin_user_active: boolean;
}

/**
 * The operator commands against `npm start`'s runtime in-process (the real handlers, dynalite, fauxqs, the
 * simulator), through `--local`: the guard holds a burst, `held` lists it, `release` applies it; a dead letter is
 * listed, its cause fixed, and `redrive` applies it once.
 */
describe('held changes and dead letters from the CLI against the local bridge', () => {
  let runtime: DevRuntime;
  const lines: string[] = [];
  const log: DevLog = { info: (m) => lines.push(m), warn: (m) => lines.push(`warning: ${m}`) };
  const saved = process.env.GUARD_MAX_ACTIVATIONS;

  beforeAll(async () => {
    // One activation per window, so the third of a burst of three is held too.
    process.env.GUARD_MAX_ACTIVATIONS = '1';
    runtime = await startDevRuntime({
      port: 0,
      simPort: 0,
      simSeed: 'demo',
      env: { DEV_WEBHOOK_SECRET: SECRET, LOG_LEVEL: 'silent' },
      log,
      retryDelaySec: 1,
    });
  }, 30_000);
  afterAll(async () => {
    await runtime?.close();
    if (saved === undefined) delete process.env.GUARD_MAX_ACTIVATIONS;
    else process.env.GUARD_MAX_ACTIVATIONS = saved;
  });

  const local = (args: string[]) => cli([...args, '--local', '--url', runtime.url]);
  const admins = async () => (await (await fetch(`${runtime.simUrl}/__sim/admins`)).json()) as AdminView[];
  const post = (event: unknown) => {
    const body = JSON.stringify(event);
    const id = `msg_${Math.random().toString(16).slice(2)}`;
    const now = new Date();
    return fetch(`${runtime.url}/events`, {
      method: 'POST',
      headers: {
        'content-type': 'application/cloudevents+json',
        'webhook-id': id,
        'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
        'webhook-signature': new Webhook(SECRET).sign(id, now, body),
      },
      body,
    });
  };
  const event = (type: string, name: string, secondsAgo: number) =>
    cloudEvent({
      id: uniqueEventId(),
      type,
      time: new Date(Date.now() - secondsAgo * 1000).toISOString(),
      data: { admin_user_name: name },
    });

  it('held lists a held burst, release --all applies it in order, and then nothing is held', async () => {
    const burst = [
      event('admin.activated', 'jdoe', 30),
      event('admin.activated', 'asmith', 20),
      event('admin.activated', 'bwong', 10),
    ];
    // One at a time: each message has its own group, and the worker would otherwise take them in any order.
    const heldList = async () =>
      JSON.parse((await local(['held', '--json'])).stdout) as { event_id: string; reason_code: string }[];
    const setCount = async () =>
      ((await (await fetch(`${runtime.simUrl}/__sim/calls`)).json()) as { method: string }[]).filter(
        (c) => c.method === 'SetAdminUserInfo',
      ).length;
    const before = await setCount();
    expect((await post(burst[0])).status).toBe(202);
    await waitUntil('the first activation applied', async () => ((await setCount()) > before ? true : undefined));
    for (const [i, e] of burst.slice(1).entries()) {
      expect((await post(e)).status).toBe(202);
      await waitUntil(`held change ${i + 1}`, async () => ((await heldList()).length === i + 1 ? true : undefined));
    }
    const listed = await heldList();
    expect(listed.map((h) => h.event_id)).toEqual([burst[1]?.id, burst[2]?.id]);
    expect(listed.every((h) => h.reason_code === 'guard_activations')).toBe(true);
    const text = await local(['held']);
    expect(text.stdout).toContain('2 held change(s), in release order');

    const released = await local(['release', '--all']);
    expect(released.code).toBe(0);
    expect(released.stdout.split('\n').map((l) => l.split(/\s+/)[0])).toEqual(['applied', 'applied']);
    expect((await local(['held'])).stdout).toBe('no held changes');
    const calls = (await (await fetch(`${runtime.simUrl}/__sim/calls`)).json()) as {
      method: string;
      params: Record<string, string>;
    }[];
    const ids = new Map((await admins()).map((a) => [a.admin_user_name, String(a.admin_user_id)]));
    const order = calls.filter((c) => c.method === 'SetAdminUserInfo').map((c) => c.params.required_admin_user_id);
    expect(order).toEqual([ids.get('jdoe'), ids.get('asmith'), ids.get('bwong')]);
  });

  it('release of an unknown id and a usage error are one line each and change nothing', async () => {
    const unknown = await local(['release', 'evt-none']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/no held change has the id "evt-none"/);
    const both = await cli(['release', 'x', '--all', '--local']);
    expect(both.code).toBe(2);
  });

  it('discard drops a held change with an audit line; it is never applied', async () => {
    // The window still holds jdoe's activation: the next one is held.
    const dropped = event('admin.activated', 'jdoe2', 5);
    expect((await post(dropped)).status).toBe(202);
    await waitUntil('the held change', async () => {
      const list = JSON.parse((await local(['held', '--json'])).stdout) as { event_id: string }[];
      return list.find((h) => h.event_id === dropped.id);
    });
    const out = await local(['discard', dropped.id]);
    expect(out.code).toBe(0);
    expect(JSON.parse(out.stdout)).toMatchObject({
      audit: 'held change discarded',
      event_id: dropped.id,
      outcome: 'discarded',
    });
    expect((await local(['held'])).stdout).toBe('no held changes');
    expect((await local(['discard', dropped.id])).code).toBe(1);
  });

  it('a dead letter is listed with its reason; after the cause is fixed, redrive applies it exactly once', async () => {
    const ghost = event('admin.deactivated', 'newhire', 1);
    expect((await post(ghost)).status).toBe(202);
    await waitUntil('the dead letter', async () => {
      const out = await local(['dead-letters', '--json']);
      return (JSON.parse(out.stdout) as { event_id?: string }[]).find((l) => l.event_id === ghost.id);
    });
    expect((await local(['dead-letters'])).stdout).toMatch(/admin_not_found/);
    const dry = await local(['redrive', '--dry-run']);
    expect(dry.stdout).toMatch(/dry run: would redrive 1/);
    expect((await local(['dead-letters', '--json'])).stdout).toContain(ghost.id);

    // The cause: no such admin. The fix: an operator creates it in Voximplant (outside the bridge, so no ordering
    // version is written that would make the older deactivation stale).
    const client = new VoximplantClient({
      apiUrl: runtime.simApiUrl,
      credentials: credentialsFromFile(runtime.credentialsFile),
    });
    await addAdminUser(
      client,
      { name: 'newhire', displayName: 'New Hire', password: 'Str0ng-passw0rd', active: true },
      { deadline: deadlineIn(10_000) },
    );

    const redrive = await local(['redrive']);
    expect(redrive.stdout).toBe('redrove 1 dead letter(s) to the queue');
    const newhire = await waitUntil('newhire deactivated', async () =>
      (await admins()).find((a) => a.admin_user_name === 'newhire' && !a.admin_user_active),
    );
    expect((await local(['dead-letters', '--json'])).stdout.trim()).toBe('[]');
    expect((await local(['redrive'])).stdout).toBe('redrove 0 dead letter(s) to the queue');
    const calls = (await (await fetch(`${runtime.simUrl}/__sim/calls`)).json()) as {
      method: string;
      params: Record<string, string>;
    }[];
    const writes = calls.filter(
      (c) => c.method === 'SetAdminUserInfo' && c.params.required_admin_user_id === String(newhire.admin_user_id),
    );
    expect(writes.map((c) => c.params.admin_user_active)).toEqual(['false']);
  });
});
