import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DevHttpServer, startDevHttpServer } from '../../../tooling/local/dev-http-server';
import { silentDevLog } from '../../../tooling/local/dev-log';

/** The API Gateway HTTP API (payload v2) adapter of `npm start`, with handlers that record what they were given. */
describe('local HTTP adapter (API Gateway v2)', () => {
  let server: DevHttpServer;
  const seen: APIGatewayProxyEventV2[] = [];

  beforeAll(async () => {
    server = await startDevHttpServer({
      port: 0,
      log: silentDevLog,
      routes: [
        {
          routeKey: 'POST /events',
          functionName: 'events',
          handler: async (event) => {
            seen.push(event);
            return { statusCode: 202, headers: { 'content-type': 'application/json' }, body: '{"ok":true}' };
          },
        },
        {
          routeKey: 'ANY /scim/v2/{proxy+}',
          functionName: 'scim',
          handler: async (event) => {
            seen.push(event);
            return {
              statusCode: 200,
              headers: { 'content-type': 'application/octet-stream' },
              body: Buffer.from([0, 1, 2, 255]).toString('base64'),
              isBase64Encoded: true,
            };
          },
        },
        {
          routeKey: 'GET /boom',
          functionName: 'boom',
          handler: async () => {
            throw new Error('boom');
          },
        },
      ],
      devRoutes: [{ path: '/__dev/dead-letters', answer: () => [{ event_id: 'e1' }] }],
    });
  });
  afterAll(() => server.close());

  const last = () => seen[seen.length - 1] as APIGatewayProxyEventV2;

  it('binds to 127.0.0.1', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('passes a JSON body as text, byte for byte, with lower-case headers and the payload v2 shape', async () => {
    const body = '{ "b": 1,\n  "a": "é" }';
    const res = await fetch(`${server.url}/events?x=1&x=2`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/cloudevents+json', 'Webhook-Id': 'msg_1', Cookie: 'a=1; b=2' },
      body,
    });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ ok: true });
    const event = last();
    expect(event.version).toBe('2.0');
    expect(event.routeKey).toBe('POST /events');
    expect(event.rawPath).toBe('/events');
    expect(event.rawQueryString).toBe('x=1&x=2');
    expect(event.queryStringParameters).toEqual({ x: '1,2' });
    expect(event.requestContext.http.method).toBe('POST');
    expect(event.headers['webhook-id']).toBe('msg_1');
    expect(event.cookies).toEqual(['a=1', 'b=2']);
    expect(event.isBase64Encoded).toBe(false);
    expect(event.body).toBe(body);
  });

  it('base64-encodes a binary body (isBase64Encoded) so no byte is lost', async () => {
    const bytes = Buffer.from([0x7b, 0xff, 0xfe, 0x00, 0x7d]);
    await fetch(`${server.url}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' }, // claims JSON, but is not UTF-8
      body: bytes,
    });
    expect(last().isBase64Encoded).toBe(true);
    expect(Buffer.from(last().body ?? '', 'base64').equals(bytes)).toBe(true);
    await fetch(`${server.url}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: 'abc',
    });
    expect(last().isBase64Encoded).toBe(true);
  });

  it('routes a {proxy+} route with its path parameter and decodes a base64 answer', async () => {
    const res = await fetch(`${server.url}/scim/v2/Users/42`, { method: 'DELETE' });
    expect(last().pathParameters).toEqual({ proxy: 'Users/42' });
    expect(last().body).toBeUndefined();
    expect(Buffer.from(await res.arrayBuffer()).equals(Buffer.from([0, 1, 2, 255]))).toBe(true);
  });

  it('answers unknown routes and methods as API Gateway does: 404 Not Found', async () => {
    const res = await fetch(`${server.url}/nope`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ message: 'Not Found' });
    expect((await fetch(`${server.url}/events`)).status).toBe(404);
  });

  it('a function that throws becomes 500 Internal Server Error', async () => {
    const res = await fetch(`${server.url}/boom`);
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ message: 'Internal Server Error' });
  });

  it('serves the dev routes as JSON', async () => {
    const res = await fetch(`${server.url}/__dev/dead-letters`);
    expect(await res.json()).toEqual([{ event_id: 'e1' }]);
  });
});
