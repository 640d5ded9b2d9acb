import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cli } from '../../support/cli-io';

const SECRET = `whsec_${Buffer.from('0123456789abcdef0123456789abcdef').toString('base64')}`;

interface Received {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** A receiver that records each request and answers what the test sets. */
describe('vox-admin-bridge send', () => {
  let server: Server;
  let url: string;
  let received: Received[] = [];
  let answer = { status: 202, body: '{"accepted":[]}', type: 'application/json' };

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({
          method: req.method ?? '',
          path: req.url ?? '',
          headers: req.headers,
          body: Buffer.concat(chunks),
        });
        res.writeHead(answer.status, { 'content-type': answer.type });
        res.end(answer.body);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`;
  });
  afterAll(async () => {
    await new Promise<void>((r) => {
      server.close(() => r());
      server.closeAllConnections();
    });
  });
  beforeEach(() => {
    received = [];
    answer = { status: 202, body: '{"accepted":[]}', type: 'application/json' };
  });

  it('posts the file byte for byte with a Standard Webhooks signature the official verifier accepts', async () => {
    const ran = await cli(['send', 'examples/admin.deactivated.json', '--url', url, '--secret', SECRET]);
    expect(ran.code, ran.stderr).toBe(0);
    const [request] = received;
    expect(request?.method).toBe('POST');
    expect(request?.body.equals(readFileSync('examples/admin.deactivated.json'))).toBe(true);
    expect(request?.headers['content-type']).toBe('application/cloudevents+json');
    expect(request?.headers['webhook-id']).toMatch(/^msg_/);
    const verified = new Webhook(SECRET).verify(request?.body.toString('utf8') ?? '', {
      'webhook-id': String(request?.headers['webhook-id']),
      'webhook-timestamp': String(request?.headers['webhook-timestamp']),
      'webhook-signature': String(request?.headers['webhook-signature']),
    });
    expect(verified).toMatchObject({ id: 'evt-0001', type: 'admin.deactivated' });
  });

  it('sends a JSON array as a batch (application/cloudevents-batch+json)', async () => {
    const ran = await cli(['send', 'examples/batch.json', '--url', url, '--secret', SECRET]);
    expect(ran.code).toBe(0);
    expect(received[0]?.headers['content-type']).toBe('application/cloudevents-batch+json');
  });

  it('prints the status line and the answer, pretty when JSON', async () => {
    answer = { status: 202, body: '{"accepted":[{"id":"evt-0001"}]}', type: 'application/json' };
    const ran = await cli(['send', 'examples/admin.deactivated.json', '--url', url, '--secret', SECRET]);
    expect(ran.stdout.split('\n')[0]).toBe('HTTP 202 Accepted');
    expect(ran.stdout).toContain('"id": "evt-0001"');
  });

  it('exits 1 on a non-2xx answer, still printing it', async () => {
    answer = { status: 401, body: '{"title":"bad signature"}', type: 'application/problem+json' };
    const ran = await cli(['send', 'examples/admin.deactivated.json', '--url', url, '--secret', SECRET]);
    expect(ran.code).toBe(1);
    expect(ran.stdout).toContain('HTTP 401');
    expect(ran.stdout).toContain('bad signature');
  });

  it('takes the secret from DEV_WEBHOOK_SECRET and the URL from PORT when not given', async () => {
    const port = new URL(url).port;
    const ran = await cli(['send', 'examples/admin.activated.json'], { DEV_WEBHOOK_SECRET: SECRET, PORT: port });
    expect(ran.code, ran.stderr).toBe(0);
    expect(received[0]?.path).toBe('/events');
  });

  it('--fresh gives each event a new id and the current time, and signs what it sends', async () => {
    const before = Date.now();
    const ran = await cli(['send', 'examples/batch.json', '--url', url, '--secret', SECRET, '--fresh']);
    expect(ran.code).toBe(0);
    const sent = JSON.parse(received[0]?.body.toString('utf8') ?? '[]') as { id: string; time: string }[];
    expect(sent.map((e) => e.id)).toEqual([expect.stringMatching(/^evt-0101-/), expect.stringMatching(/^evt-0102-/)]);
    for (const e of sent) expect(Date.parse(e.time)).toBeGreaterThanOrEqual(before - 1000);
    expect(() =>
      new Webhook(SECRET).verify(received[0]?.body.toString('utf8') ?? '', {
        'webhook-id': String(received[0]?.headers['webhook-id']),
        'webhook-timestamp': String(received[0]?.headers['webhook-timestamp']),
        'webhook-signature': String(received[0]?.headers['webhook-signature']),
      }),
    ).not.toThrow();
  });

  it('--authorization sends that header and no signature (Okta event hooks)', async () => {
    answer = { status: 204, body: '', type: 'text/plain' };
    const ran = await cli(['send', 'examples/okta-event-hook.json', '--url', url, '--authorization', 'okta-shared']);
    expect(ran.code).toBe(0);
    expect(ran.stdout).toBe('HTTP 204 No Content\n(empty body)');
    expect(received[0]?.headers.authorization).toBe('okta-shared');
    expect(received[0]?.headers['content-type']).toBe('application/json');
    expect(received[0]?.headers['webhook-signature']).toBeUndefined();
  });

  it('refuses a malformed secret without echoing it (exit 2), and a missing one', async () => {
    const ran = await cli([
      'send',
      'examples/admin.deactivated.json',
      '--url',
      url,
      '--secret',
      'hunter2-not-a-secret',
    ]);
    expect(ran.code).toBe(2);
    expect(ran.stderr).toContain('--secret must be a Standard Webhooks secret');
    expect(ran.stderr).not.toContain('hunter2');
    expect(received).toHaveLength(0);
    const missing = await cli(['send', 'examples/admin.deactivated.json', '--url', url]);
    expect(missing.code).toBe(2);
  });

  it('a server that is not there is one readable line, exit 1', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const target = `http://127.0.0.1:${port}/events`;
    const ran = await cli(['send', 'examples/admin.deactivated.json', '--url', target, '--secret', SECRET]);
    expect(ran.code).toBe(1);
    expect(ran.stderr).toBe(`error: could not reach ${target}: connection refused (is \`npm start\` running?)`);
  });

  it('a bad URL is a usage error', async () => {
    const ran = await cli(['send', 'examples/admin.deactivated.json', '--url', 'ftp://x', '--secret', SECRET]);
    expect(ran.code).toBe(2);
  });
});
