import { describe, expect, it } from 'vitest';
import type { ApplyDeps } from '../../../src/apply/apply-change';
import { protectedAdmins } from '../../../src/events/protected-admins';
import type { HttpRequest } from '../../../src/http/http-message';
import { createLogger } from '../../../src/observability/logger';
import { deadlineIn } from '../../../src/runtime/deadline';
import { loadScimConfig } from '../../../src/scim/scim-config';
import type { ScimDeps } from '../../../src/scim/scim-deps';
import { handleScimRequest } from '../../../src/scim/scim-request';
import { SecretError } from '../../../src/secrets/json-secret';
import type { ScimRecordStore } from '../../../src/state/scim-records';

const TOKEN = 'unit-token-abcdefghijklmnop';

/** Deps whose Voximplant and state parts fail loudly: these requests must never reach them. */
function deps(tokens: () => Promise<{ tokens: string[] }> = async () => ({ tokens: [TOKEN] })): ScimDeps {
  const untouchable = new Proxy(
    {},
    {
      get: (_t, name) => {
        throw new Error(`unexpected use of ${String(name)}`);
      },
    },
  );
  const counted: string[] = [];
  return {
    tokens: { get: tokens },
    records: untouchable as ScimRecordStore,
    apply: { logger: createLogger('scim-unit', 'silent'), voximplant: untouchable } as unknown as ApplyDeps,
    protectedAdmins: protectedAdmins(['owner']),
    config: loadScimConfig({}),
    count: (name) => counted.push(name),
  };
}

function request(method: string, path: string, headers: Record<string, string> = {}, body = ''): HttpRequest {
  return {
    method,
    path,
    headers: { host: 'abc.execute-api.eu-west-1.amazonaws.com', authorization: `Bearer ${TOKEN}`, ...headers },
    rawBody: Buffer.from(body),
    query: {},
  };
}

async function send(req: HttpRequest, d = deps()) {
  const response = await handleScimRequest(req, d, { deadline: deadlineIn(5_000) });
  return { ...response, json: () => JSON.parse(response.body) as Record<string, unknown> };
}

describe('SCIM routing, authentication and discovery', () => {
  it('answers 401 with a SCIM error and WWW-Authenticate without a valid token, for every endpoint', async () => {
    for (const [path, auth] of [
      ['/scim/v2/Users', undefined],
      ['/scim/v2/ServiceProviderConfig', 'Bearer wrong'],
      ['/scim/v2/Schemas', 'non-token'],
    ] as const) {
      const headers: Record<string, string> = auth === undefined ? {} : { authorization: auth };
      const req = request('GET', path, headers);
      if (auth === undefined) delete req.headers.authorization;
      const res = await send(req);
      expect(res.statusCode).toBe(401);
      expect(res.headers['content-type']).toBe('application/scim+json');
      expect(res.headers['www-authenticate']).toBe('Bearer realm="scim"');
      expect(res.json()).toEqual({
        schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
        status: '401',
        detail: expect.stringContaining('bearer token'),
      });
    }
  });

  it('answers 503 with Retry-After when the token secret cannot be read, 500 when it is malformed', async () => {
    const unavailable = await send(
      request('GET', '/scim/v2/Users'),
      deps(async () => {
        throw new SecretError('secret_unavailable', 'could not read');
      }),
    );
    expect(unavailable.statusCode).toBe(503);
    expect(unavailable.headers['retry-after']).toBe('5');
    const malformed = await send(
      request('GET', '/scim/v2/Users'),
      deps(async () => {
        throw new SecretError('secret_malformed', 'bad shape');
      }),
    );
    expect(malformed.statusCode).toBe(500);
  });

  it('serves ServiceProviderConfig (also at /serviceConfiguration), ResourceTypes and Schemas', async () => {
    const spc = await send(request('GET', '/scim/v2/serviceConfiguration'));
    expect(spc.statusCode).toBe(200);
    expect(spc.json()).toMatchObject({
      patch: { supported: true },
      bulk: { supported: false },
      filter: { supported: true, maxResults: 200 },
      changePassword: { supported: true },
      sort: { supported: false },
      etag: { supported: false },
      authenticationSchemes: [{ type: 'oauthbearertoken' }],
      meta: { location: 'https://abc.execute-api.eu-west-1.amazonaws.com/scim/v2/ServiceProviderConfig' },
    });
    expect((await send(request('GET', '/scim/v2/ServiceProviderConfig/'))).statusCode).toBe(200);

    const types = (await send(request('GET', '/scim/v2/resourcetypes'))).json();
    expect(types).toMatchObject({ totalResults: 1, Resources: [{ endpoint: '/Users', name: 'User' }] });
    expect((await send(request('GET', '/scim/v2/ResourceTypes/User'))).json()).toMatchObject({ id: 'User' });

    const schemas = await send(request('GET', '/scim/v2/Schemas'));
    expect(schemas.body).toContain('User Account');
    const ids = (schemas.json().Resources as { id: string }[]).map((s) => s.id);
    expect(ids).toEqual([
      'urn:ietf:params:scim:schemas:core:2.0:User',
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
    ]);
    const core = (await send(request('GET', '/scim/v2/Schemas/urn:ietf:params:scim:schemas:core:2.0:User'))).json();
    const password = (core.attributes as { name: string; returned: string; mutability: string }[]).find(
      (a) => a.name === 'password',
    );
    expect(password).toMatchObject({ returned: 'never', mutability: 'writeOnly' });
  });

  it('keeps a stage prefix in locations, and http for a loopback host', async () => {
    const staged = await send(request('GET', '/prod/scim/v2/ServiceProviderConfig'));
    expect(staged.json()).toMatchObject({
      meta: { location: 'https://abc.execute-api.eu-west-1.amazonaws.com/prod/scim/v2/ServiceProviderConfig' },
    });
    const local = await send(request('GET', '/scim/v2/ServiceProviderConfig', { host: '127.0.0.1:8787' }));
    expect(local.json()).toMatchObject({ meta: { location: 'http://127.0.0.1:8787/scim/v2/ServiceProviderConfig' } });
  });

  it('serves an empty /Groups and refuses group writes with 501', async () => {
    const groups = await send(request('GET', '/scim/v2/Groups'));
    expect(groups.statusCode).toBe(200);
    expect(groups.json()).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
      totalResults: 0,
      startIndex: 1,
      itemsPerPage: 0,
      Resources: [],
    });
    expect((await send(request('GET', '/scim/v2/Groups/abc'))).statusCode).toBe(404);
    expect((await send(request('POST', '/scim/v2/Groups', {}, '{}'))).statusCode).toBe(501);
    expect((await send(request('POST', '/scim/v2/Bulk', {}, '{}'))).statusCode).toBe(501);
  });

  it('answers 405 with Allow, and 404 for unknown endpoints and ids', async () => {
    const post = await send(request('POST', '/scim/v2/ServiceProviderConfig', {}, '{}'));
    expect(post.statusCode).toBe(405);
    expect(post.headers.allow).toBe('GET');
    expect(post.json()).toMatchObject({ status: '405' });
    const del = await send(request('DELETE', '/scim/v2/Users'));
    expect(del.statusCode).toBe(405);
    expect(del.headers.allow).toBe('GET, POST');
    for (const path of ['/scim/v2/Nothing', '/scim/v2/Users/1/extra', '/scim/v2/Users/abc', '/scim/v2/Users/0']) {
      const res = await send(request('GET', path));
      expect(res.statusCode, path).toBe(404);
      expect(res.json()).toMatchObject({ status: '404', detail: expect.any(String) });
    }
  });

  it('refuses unreadable bodies before any work: 400 invalidSyntax, 413, 415', async () => {
    const junk = await send(request('POST', '/scim/v2/Users', { 'content-type': 'application/json' }, '{ "acve": tre'));
    expect(junk.statusCode).toBe(400);
    expect(junk.json()).toMatchObject({ scimType: 'invalidSyntax', detail: 'the body is not valid JSON' });
    const array = await send(request('POST', '/scim/v2/Users', { 'content-type': 'application/scim+json' }, '[]'));
    expect(array.json()).toMatchObject({ status: '400', scimType: 'invalidSyntax' });
    const empty = await send(request('PATCH', '/scim/v2/Users/5', {}, ''));
    expect(empty.json()).toMatchObject({ status: '400', scimType: 'invalidSyntax' });
    const xml = await send(request('POST', '/scim/v2/Users', { 'content-type': 'application/xml' }, '<user/>'));
    expect(xml.statusCode).toBe(415);
    const big = await send(request('POST', '/scim/v2/Users', {}, JSON.stringify({ userName: 'x'.repeat(200_000) })));
    expect(big.statusCode).toBe(413);
  });
});
