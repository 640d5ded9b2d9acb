import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DevLog } from '../../../tooling/local/dev-log';
import { type DevRuntime, DevStartError, startDevRuntime } from '../../../tooling/local/dev-runtime';
import { cloudEvent } from '../../support/cloud-event';
import { waitUntil } from '../../support/wait-until';

const SECRET = `whsec_${Buffer.from('fixed-dev-secret-for-the-test!!').toString('base64')}`;

const silent: DevLog = { info: () => undefined, warn: () => undefined };

// First: these fail before the functions are loaded, which happens once per process.
describe('local bridge runtime: refusals before anything runs', () => {
  let blocker: Server;
  let busyPort = 0;
  beforeAll(async () => {
    blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    busyPort = (blocker.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => blocker.close(() => r())));

  it('a simulator port in use names SIM_PORT', async () => {
    const starting = startDevRuntime({ port: 0, simPort: busyPort, simSeed: 'demo', env: {}, log: silent });
    await expect(starting).rejects.toThrowError(DevStartError);
    await expect(starting).rejects.toMatchObject({
      code: 'port_in_use',
      message: `the simulator port ${busyPort} on 127.0.0.1 is in use; set SIM_PORT to another port`,
    });
  });

  it('a malformed DEV_WEBHOOK_SECRET is refused without quoting it', async () => {
    const starting = startDevRuntime({
      port: 0,
      simPort: 0,
      simSeed: 'demo',
      env: { DEV_WEBHOOK_SECRET: 'not-a-real-secret-value' },
      log: silent,
    });
    await expect(starting).rejects.toThrowError('DEV_WEBHOOK_SECRET must be');
    await expect(starting).rejects.toMatchObject({ message: expect.not.stringContaining('not-a-real-secret-value') });
  });
});

/**
 * The dev runtime in-process: the real handlers, DynamoDB Local, the local Secrets Manager, fauxqs and the simulator.
 * One runtime per process (the functions wire themselves to process.env once), so one start serves every test here.
 */
describe('local bridge runtime', () => {
  const lines: string[] = [];
  const log: DevLog = { info: (m) => lines.push(m), warn: (m) => lines.push(`warning: ${m}`) };
  let runtime: DevRuntime;
  const envBefore = { ...process.env };

  beforeAll(async () => {
    runtime = await startDevRuntime({
      port: 0,
      simPort: 0,
      simSeed: 'empty',
      env: { DEV_WEBHOOK_SECRET: SECRET, DEV_OKTA_AUTH: 'okta-fixed', LOG_LEVEL: 'silent' },
      log,
    });
  }, 30_000);
  afterAll(async () => {
    await runtime?.close();
  });

  const post = (events: unknown) => {
    const body = JSON.stringify(events);
    const id = `msg_${Math.random().toString(16).slice(2)}`;
    const now = new Date();
    return fetch(`${runtime.url}/events`, {
      method: 'POST',
      headers: {
        'content-type': Array.isArray(events) ? 'application/cloudevents-batch+json' : 'application/cloudevents+json',
        'webhook-id': id,
        'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
        'webhook-signature': new Webhook(SECRET).sign(id, now, body),
      },
      body,
    });
  };

  it('uses the fixed dev secrets and honours SIM_SEED=empty (only the protected owner)', async () => {
    expect(runtime.secrets.webhookSecret).toBe(SECRET);
    expect(runtime.secrets.oktaAuthorization).toBe('okta-fixed');
    const admins = (await (await fetch(`${runtime.simUrl}/__sim/admins`)).json()) as { admin_user_name: string }[];
    expect(admins.map((a) => a.admin_user_name)).toEqual(['owner']);
    expect(runtime.functionEnv.PROTECTED_ADMIN_USERS).toBe('owner');
  });

  it('gives the functions local endpoints only (127.0.0.1) and the variables of the configuration contract', () => {
    for (const name of ['AWS_ENDPOINT_URL_DYNAMODB', 'AWS_ENDPOINT_URL_SECRETS_MANAGER', 'AWS_ENDPOINT_URL_SQS']) {
      expect(runtime.functionEnv[name]).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(process.env[name]).toBe(runtime.functionEnv[name]);
    }
    for (const name of [
      'STATE_TABLE',
      'QUEUE_URL',
      'DEAD_LETTER_QUEUE_URL',
      'WEBHOOK_SECRET_ID',
      'VOXIMPLANT_API_URL',
    ]) {
      expect(runtime.functionEnv[name]).toBeTruthy();
    }
    expect(runtime.functionEnv.VOXIMPLANT_CREDENTIALS_FILE).toBe(runtime.credentialsFile);
    // No secret value is passed in the environment: the functions read them from the local Secrets Manager.
    expect(JSON.stringify(runtime.functionEnv)).not.toContain(SECRET);
  });

  it('an event for an admin that does not exist ends as a visible dead letter', async () => {
    const res = await post(
      cloudEvent({
        id: 'evt-ghost',
        source: 'urn:test',
        type: 'admin.deactivated',
        time: new Date().toISOString(),
        data: { admin_user_name: 'ghost' },
      }),
    );
    expect(res.status).toBe(202);
    const letter = await waitUntil('the dead letter', async () => {
      const list = (await (await fetch(`${runtime.url}/__dev/dead-letters`)).json()) as { event_id?: string }[];
      return list.find((l) => l.event_id === 'evt-ghost');
    });
    expect(letter).toMatchObject({ error_code: 'admin_not_found', message_group_id: 'main/name:ghost' });
    expect(lines.some((l) => l.includes('dead letter for event evt-ghost'))).toBe(true);
  });

  it('a second runtime in the same process is refused', async () => {
    await expect(startDevRuntime({ port: 0, simPort: 0, simSeed: 'empty', env: {}, log })).rejects.toBeInstanceOf(
      DevStartError,
    );
  });

  it('close() stops every server and restores the environment', async () => {
    const { url, simUrl } = runtime;
    await runtime.close();
    await expect(fetch(`${url}/__dev/dead-letters`)).rejects.toThrow();
    await expect(fetch(`${simUrl}/__sim/admins`)).rejects.toThrow();
    expect(process.env.QUEUE_URL).toBe(envBefore.QUEUE_URL);
    expect(process.env.AWS_ENDPOINT_URL_SQS).toBe(envBefore.AWS_ENDPOINT_URL_SQS);
  });
});
