import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulator, type Simulator } from '../../tooling/sim/simulator';
import { type ApiGatewayHandler, apiGatewayEvent, type HandlerAnswer } from '../support/api-gateway';
import { useLocalAwsEnvironment } from '../support/aws-env';
import { useStateTable } from '../support/dynamo';
import { useSecretsManager } from '../support/secrets-manager';
import {
  anyBody,
  CONTENT_TYPES,
  damagedBytes,
  FUZZ_SEED,
  HTTP_METHODS,
  noiseHeaders,
  randomMutation,
} from './support/arbitraries';

/**
 * Fuzzing `/scim/v2/...` through the real Lambda handler (functions/scim.ts) over real parts: the
 * simulator, DynamoDB Local, the bearer tokens from the local Secrets Manager. Properties: never a throw and never a 5xx
 * (except RFC 7644's 501 for what a Users-only provider does not implement: Groups writes, /Bulk, /Me); without a
 * valid token no Voximplant call at all; every refusal a SCIM Error body (RFC 7644 §3.12) with the status and a
 * detail; and a refused request writes nothing to Voximplant.
 */
const TOKEN = 'scim-fuzz-token-0123456789abcdef';
const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';
const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';
const WRITES = new Set(['SetAdminUserInfo', 'AddAdminUser', 'DelAdminUser']);
const CREDENTIALS_SECRET = 'fuzz/scim-voximplant-credentials';

const table = useStateTable();
const secrets = useSecretsManager();
let sim: Simulator;
let handler: ApiGatewayHandler;
let restoreEnv: () => void = () => undefined;
const userIds: string[] = [];

beforeAll(async () => {
  sim = await createSimulator({ seed: 'demo' });
  const { apiUrl } = await sim.listen(0);
  secrets.server.putSecret(CREDENTIALS_SECRET, sim.credentials());
  secrets.server.putSecret('fuzz/scim-tokens', { tokens: [TOKEN] });
  restoreEnv = useLocalAwsEnvironment({ dynamodb: table.endpoint, secretsManager: secrets.endpoint });
  Object.assign(process.env, {
    VOXIMPLANT_API_URL: apiUrl,
    VOXIMPLANT_CREDENTIALS_SECRET_ID: CREDENTIALS_SECRET,
    SCIM_TOKEN_SECRET_ID: 'fuzz/scim-tokens',
    STATE_TABLE: table.tableName,
    PROTECTED_ADMIN_USERS: 'owner',
    LOG_LEVEL: 'silent',
  });
  handler = (await import('../../functions/scim')).handler as ApiGatewayHandler;
  console.log(
    `fuzz /scim/v2: seed ${FUZZ_SEED} (replay: FUZZ_SEED=${FUZZ_SEED} npx vitest run test/fuzz/scim.test.ts)`,
  );
});

afterAll(async () => {
  restoreEnv();
  await sim?.close();
});

async function send(r: {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Buffer;
  query?: string;
}) {
  const callsBefore = sim.calls().length;
  const answer = await handler(
    apiGatewayEvent({
      method: r.method,
      path: r.path,
      headers: r.headers,
      body: r.body,
      base64: false,
      ...(r.query !== undefined && { rawQueryString: r.query }),
    }),
  );
  return { answer, calls: sim.calls().slice(callsBefore) };
}

/** RFC 7644 §3.12: the Error schema, the status as a string, and a detail. */
function expectScimError(answer: HandlerAnswer, allowed: readonly number[]) {
  const status = answer.statusCode ?? 0;
  expect(allowed, `status ${status}: ${answer.body}`).toContain(status);
  expect(String(answer.headers?.['content-type'])).toMatch(/^application\/scim\+json/);
  const body = JSON.parse(answer.body ?? '') as { schemas: string[]; status: string; detail: string };
  expect(body.schemas).toContain(ERROR_SCHEMA);
  expect(body.status).toBe(String(status));
  expect(body.detail.trim().length).toBeGreaterThan(0);
}

let userCounter = 0;
const userName = fc.stringMatching(/^[a-z][a-z0-9.]{2,14}$/).map((n) => `${n}.${++userCounter}`);

/**
 * A create as Entra or Okta sends it
 * (https://learn.microsoft.com/en-us/entra/identity/app-provisioning/use-scim-to-provision-users-and-groups,
 * https://developer.okta.com/docs/reference/scim/scim-20/).
 */
const createBody = fc
  .record({ userName, displayName: fc.string({ minLength: 1, maxLength: 40 }), active: fc.boolean() })
  .map(({ userName: name, displayName, active }) => ({
    schemas: [CORE],
    userName: name,
    displayName,
    active,
    name: { givenName: 'Fuzz', familyName: 'User' },
    emails: [{ primary: true, type: 'work', value: `${name}@fuzz.example` }],
    externalId: `ext-${name}`,
  }));

const patchBody = fc
  .record({
    op: fc.constantFrom('replace', 'add', 'remove', 'Replace'),
    path: fc.option(
      fc.constantFrom('active', 'displayName', 'userName', 'name.givenName', 'emails[type eq "work"].value'),
      {
        nil: undefined,
      },
    ),
    value: fc.oneof(
      fc.boolean(),
      fc.string({ maxLength: 30 }),
      fc.constant('False'),
      fc.dictionary(fc.string(), fc.jsonValue()),
    ),
  })
  .map((op) => ({ schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [op] }));

const paths = fc.oneof(
  fc.constantFrom(
    '/scim/v2/Users',
    '/scim/v2/users/',
    '/scim/v2/Users/.search',
    '/scim/v2/Groups',
    '/scim/v2/Groups/1',
    '/scim/v2/Schemas',
    `/scim/v2/Schemas/${CORE}`,
    '/scim/v2/ResourceTypes/User',
    '/scim/v2/ServiceProviderConfig',
    '/scim/v2/Bulk',
    '/scim/v2/Me',
    '/scim/v2',
    '/scim/v2/',
    '/events',
  ),
  fc.nat().map((i) => `/scim/v2/Users/${userIds[i % Math.max(1, userIds.length)] ?? '1'}`),
  fc.string({ maxLength: 30 }).map((s) => `/scim/v2/Users/${encodeURIComponent(s)}`),
  fc.string({ maxLength: 30 }).map((s) => `/scim/v2/${encodeURIComponent(s)}`),
  fc.constant('/scim/v2/Users/1/extra'),
);

const queries = fc.option(
  fc.oneof(
    fc.string({ maxLength: 60 }).map((f) => `filter=${encodeURIComponent(f)}`),
    fc.constantFrom(
      'filter=userName+eq+%22jdoe%22',
      'filter=userName eq "a" or (active eq true',
      'filter=emails[type eq "work" and value co "@"]',
      'startIndex=-5&count=100000',
      'count=abc',
      'attributes=password,userName&excludedAttributes=emails',
      'filter=meta.lastModified gt "2026-13-01T00:00:00Z"',
    ),
  ),
  { nil: undefined },
);

const bodies = fc.oneof(
  {
    weight: 2,
    arbitrary: createBody.chain((b) => randomMutation(b)).map((m) => Buffer.from(JSON.stringify(m.value) ?? '')),
  },
  {
    weight: 2,
    arbitrary: patchBody.chain((b) => randomMutation(b)).map((m) => Buffer.from(JSON.stringify(m.value) ?? '')),
  },
  { weight: 1, arbitrary: createBody.chain((b) => damagedBytes(JSON.stringify(b))).map((d) => d.bytes) },
  { weight: 1, arbitrary: patchBody.map((b) => Buffer.from(JSON.stringify(b))) },
  { weight: 2, arbitrary: anyBody.filter((b) => b.length < 200_000) },
);

/** RFC 7644 §3.7 and the contract's Users-only scope: these answer 501 Not Implemented on purpose. */
function notImplementedHere(method: string, path: string): boolean {
  const p = path.toLowerCase();
  return /\/scim\/v2\/(bulk|me)\/?$/.test(p) || (/\/scim\/v2\/groups(\/|$)/.test(p) && method.toUpperCase() !== 'GET');
}

const RUNS = { numRuns: 150, seed: FUZZ_SEED };

describe('fuzz: /scim/v2', () => {
  it('a genuine create is 201 and reaches Voximplant (the control: the harness sees writes)', async () => {
    await fc.assert(
      fc.asyncProperty(createBody, async (body) => {
        const { answer, calls } = await send({
          method: 'POST',
          path: '/scim/v2/Users',
          headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/scim+json' },
          body: Buffer.from(JSON.stringify(body)),
        });
        expect(answer.statusCode, answer.body).toBe(201);
        expect(calls.filter((c) => WRITES.has(c.method)).map((c) => c.method)).toEqual(['AddAdminUser']);
        userIds.push(String((JSON.parse(answer.body ?? '{}') as { id: unknown }).id));
      }),
      { ...RUNS, numRuns: 10 },
    );
  });

  it('without a valid bearer token: 401 with a SCIM error, and no Voximplant call at all', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...HTTP_METHODS),
        paths.filter((p) => p.startsWith('/scim/v2')),
        fc.option(
          fc.oneof(
            fc.string({ maxLength: 60 }),
            fc.string({ maxLength: 40 }).map((t) => `Bearer ${t}`),
            fc.constantFrom(`Bearer ${TOKEN.slice(0, -1)}`, `Bearer ${TOKEN}x`, `Basic ${TOKEN}`, `bearer  ${TOKEN} x`),
          ),
          { nil: undefined },
        ),
        noiseHeaders,
        bodies,
        async (method, path, authorization, noise, body) => {
          const headers = { ...noise, ...(authorization !== undefined && { authorization }) };
          const { answer, calls } = await send({ method, path, headers, body });
          expectScimError(answer, [401]);
          expect(answer.headers?.['www-authenticate']).toMatch(/^Bearer/);
          expect(calls).toEqual([]);
        },
      ),
      RUNS,
    );
  });

  it('with the token, any method, path, query and body: no 5xx, clear SCIM errors, and no write from a refusal', async () => {
    const existing = fc.nat().map((i) => `/scim/v2/Users/${userIds[i % Math.max(1, userIds.length)] ?? '1'}`);
    const contentType = fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom('application/scim+json', 'application/json') },
      { weight: 1, arbitrary: fc.option(fc.constantFrom(...CONTENT_TYPES), { nil: undefined }) },
    );
    // Mostly requests an IdP could send (so they get past routing to validation); a share of anything at all.
    const request = fc.oneof(
      {
        weight: 3,
        arbitrary: fc.record({
          method: fc.constant('POST'),
          path: fc.constant('/scim/v2/Users'),
          query: fc.constant(undefined),
          body: bodies,
        }),
      },
      {
        weight: 2,
        arbitrary: fc.record({
          method: fc.constantFrom('PUT', 'PATCH'),
          path: existing,
          query: fc.constant(undefined),
          body: bodies,
        }),
      },
      {
        weight: 1,
        arbitrary: fc.record({
          method: fc.constant('POST'),
          path: fc.constant('/scim/v2/Users/.search'),
          query: fc.constant(undefined),
          body: bodies,
        }),
      },
      {
        weight: 1,
        arbitrary: fc.record({
          method: fc.constant('GET'),
          path: fc.constantFrom('/scim/v2/Users', '/scim/v2/Groups'),
          query: queries,
          body: fc.constant(Buffer.alloc(0)),
        }),
      },
      {
        weight: 1,
        arbitrary: fc.record({
          method: fc.constantFrom('GET', 'DELETE'),
          path: paths,
          query: queries,
          body: fc.constant(Buffer.alloc(0)),
        }),
      },
      {
        weight: 1,
        arbitrary: fc.record({ method: fc.constantFrom(...HTTP_METHODS), path: paths, query: queries, body: bodies }),
      },
    );
    const tally: Record<string, number> = {};
    await fc.assert(
      fc.asyncProperty(request, contentType, noiseHeaders, async ({ method, path, query, body }, type, noise) => {
        const headers = {
          ...noise,
          authorization: `Bearer ${TOKEN}`,
          ...(type !== undefined && { 'content-type': type }),
        };
        const { answer, calls } = await send({ method, path, headers, body, ...(query !== undefined && { query }) });
        const status = answer.statusCode ?? 0;
        tally[String(status)] = (tally[String(status)] ?? 0) + 1;
        if (status >= 500) {
          expect(notImplementedHere(method, path), `${method} ${path} answered ${status}: ${answer.body}`).toBe(true);
          expectScimError(answer, [501]);
        }
        if (status >= 400) {
          if (status < 500) expectScimError(answer, [status]);
          expect(
            calls.filter((c) => WRITES.has(c.method)).map((c) => c.method),
            `${method} ${path} was refused (${status}) after writing`,
          ).toEqual([]);
        }
      }),
      { ...RUNS, numRuns: 300 },
    );
    console.log(`fuzz /scim/v2, authorised requests of any shape: answers by status ${JSON.stringify(tally)}`);
  });
});
