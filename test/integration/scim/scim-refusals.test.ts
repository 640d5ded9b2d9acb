import { beforeEach, describe, expect, it } from 'vitest';
import { CORE, entraCreate, oktaCreate, patchOp } from './idp-bodies';
import { OTHER_TOKEN, useScimWorld } from './scim-world';

/** What SCIM refuses, and that a refused request changes nothing: no Voximplant write, no record. */
describe('SCIM refusals and temporary failures', () => {
  const { world, scim, fresh } = useScimWorld({ protectedList: ['owner', 'ops-bot'] });
  beforeEach(async () => {
    await fresh();
    world.remainingMs = undefined;
  });

  const writes = () =>
    world.sim.calls().filter((c) => ['AddAdminUser', 'SetAdminUserInfo', 'DelAdminUser'].includes(c.method));

  async function create(body: Record<string, unknown>): Promise<string> {
    const res = await scim('POST', '/Users', body);
    expect(res.status, res.text).toBe(201);
    return String(res.json().id);
  }

  it('401 without a valid bearer token; any active token works', async () => {
    for (const authorization of ['', 'Bearer nope', 'non-token', `Basic ${Buffer.from('a:b').toString('base64')}`]) {
      const res = await scim('GET', '/Users', undefined, { authorization });
      expect(res.status).toBe(401);
      expect(res.json()).toMatchObject({
        schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
        status: '401',
        detail: expect.any(String),
      });
    }
    const denied = await scim('POST', '/Users', entraCreate('nobody'), { authorization: 'Bearer nope' });
    expect(denied.status).toBe(401);
    expect((await scim('GET', '/Users', undefined, { authorization: `Bearer ${OTHER_TOKEN}` })).status).toBe(200);
    expect(writes()).toEqual([]);
  });

  it('403 with a clear detail for protected admins: no link, no create, no change, no delete', async () => {
    for (const userName of ['owner', 'OWNER', 'ops-bot']) {
      const res = await scim('POST', '/Users', entraCreate(userName));
      expect(res.status, userName).toBe(403);
      expect(res.json()).toMatchObject({ status: '403', detail: expect.stringContaining('protected') });
    }
    // A SCIM user whose admin became protected later (PROTECTED_ADMIN_USERS changed after the link).
    const bot = world.sim.addAdmin({ admin_user_name: 'ops-bot', admin_user_display_name: 'Ops bot' });
    await world.deps.records.create({
      adminUserId: bot.admin_user_id,
      attributes: { userName: 'ops-bot' },
      created: new Date().toISOString(),
      lastModified: new Date().toISOString(),
    });
    const id = String(bot.admin_user_id);
    expect((await scim('GET', `/Users/${id}`)).status).toBe(200);
    for (const [method, body] of [
      ['PATCH', patchOp({ op: 'replace', value: { active: false } })],
      ['PATCH', patchOp({ op: 'replace', path: 'emails', value: [{ value: 'x@y' }] })],
      ['PUT', { schemas: [CORE], userName: 'ops-bot', active: false }],
      ['DELETE', undefined],
    ] as const) {
      const res = await scim(method, `/Users/${id}`, body);
      expect(res.status, method).toBe(403);
      expect(res.json().detail).toContain('PROTECTED_ADMIN_USERS');
    }
    expect(writes()).toEqual([]);
    expect(world.sim.admins().find((a) => a.admin_user_name === 'ops-bot')?.admin_user_active).toBe(true);
  });

  it('403 protected_name for a create onto a look-alike of a protected name: no admin is created', async () => {
    for (const userName of [
      'owner ',
      ' owner',
      '\u043Ewner',
      'owner\u200B',
      '\uFF4F\uFF57\uFF4E\uFF45\uFF52',
      'Ops-Bot',
    ]) {
      for (const body of [entraCreate(userName), oktaCreate(userName, 'Secret-123')]) {
        const res = await scim('POST', '/Users', body);
        expect(res.status, JSON.stringify(userName)).toBe(403);
        expect(res.json()).toMatchObject({ status: '403', detail: expect.stringContaining('PROTECTED_ADMIN_USERS') });
        expect(res.json().detail).toContain("matches a protected admin's name");
      }
    }
    expect(writes()).toEqual([]);
    expect(world.sim.admins().map((a) => a.admin_user_name)).toEqual(['owner']);
  });

  it('403 protected_name for PATCH and PUT of a userName onto a protected name: the admin keeps its name', async () => {
    const id = await create(entraCreate('rename.me'));
    const before = writes().length;
    for (const [method, body] of [
      ['PATCH', patchOp({ op: 'replace', path: 'userName', value: 'Owner' })],
      ['PATCH', patchOp({ op: 'Replace', value: { userName: '\u043Ewner' } })],
      ['PATCH', patchOp({ op: 'add', path: 'userName', value: 'OPS-BOT\u200B' })],
      ['PUT', { schemas: [CORE], userName: ' owner', active: true }],
    ] as const) {
      const res = await scim(method, `/Users/${id}`, body);
      expect(res.status, `${method} ${JSON.stringify(body)}`).toBe(403);
      expect(res.json().detail).toContain("matches a protected admin's name");
    }
    expect(writes()).toHaveLength(before);
    expect(world.sim.admins().find((a) => String(a.admin_user_id) === id)?.admin_user_name).toBe('rename.me');
    expect((await scim('GET', `/Users/${id}`)).json().userName).toBe('rename.me');
  });

  it('404 for unknown ids, 409 for a taken userName on create and on rename', async () => {
    expect((await scim('GET', '/Users/424242')).status).toBe(404);
    expect((await scim('PATCH', '/Users/424242', patchOp({ op: 'replace', value: { active: false } }))).status).toBe(
      404,
    );
    const a = await create(entraCreate('taken.a'));
    await create(entraCreate('taken.b'));
    const dup = await scim('POST', '/Users', entraCreate('TAKEN.A'));
    expect(dup.status).toBe(409);
    expect(dup.json()).toMatchObject({ status: '409', scimType: 'uniqueness' });
    const rename = await scim('PATCH', `/Users/${a}`, patchOp({ op: 'replace', path: 'userName', value: 'Taken.B' }));
    expect(rename.status).toBe(409);
    expect(rename.json()).toMatchObject({ scimType: 'uniqueness' });
    // An admin that is not a SCIM user holds the name: still taken.
    world.sim.addAdmin({ admin_user_name: 'console.made' });
    const onto = await scim('PUT', `/Users/${a}`, { schemas: [CORE], userName: 'console.made' });
    expect(onto.status).toBe(409);
    expect(writes().filter((c) => c.method === 'SetAdminUserInfo')).toEqual([]);
    // A rename that changes only the case of its own name is not a clash.
    expect(
      (await scim('PATCH', `/Users/${a}`, patchOp({ op: 'replace', path: 'userName', value: 'TAKEN.A' }))).status,
    ).toBe(204);
  });

  it('bad bodies are 400 and nothing is half-applied: the whole request is checked before the first write', async () => {
    const id = await create(entraCreate('careful'));
    const before = writes().length;
    const refused: [string, string, unknown, string][] = [
      ['POST', '/Users', { schemas: [CORE], active: true }, 'invalidValue'],
      ['POST', '/Users', '{"acve": tre,', 'invalidSyntax'],
      ['POST', '/Users', entraCreate('x'.repeat(50)), 'invalidValue'],
      ['POST', '/Users', { ...oktaCreate('short.pw', 'abc'), password: 'abc' }, 'invalidValue'],
      ['POST', '/Users', { ...entraCreate('bad.active'), active: 'maybe' }, 'invalidValue'],
      ['PUT', `/Users/${id}`, { schemas: [CORE], userame: 'careful', active: false }, 'invalidValue'],
      ['PATCH', `/Users/${id}`, { schemas: [] }, 'invalidSyntax'],
      [
        'PATCH',
        `/Users/${id}`,
        patchOp({ op: 'replace', path: 'active', value: false }, { op: 'replace', path: 'id', value: '1' }),
        'mutability',
      ],
      [
        'PATCH',
        `/Users/${id}`,
        patchOp({ op: 'replace', path: 'active', value: false }, { op: 'replace', path: 'userName', value: '' }),
        'mutability', // unassigning the required userName (RFC 7644 §3.5.2.2)
      ],
      [
        'PATCH',
        `/Users/${id}`,
        patchOp(
          { op: 'replace', path: 'displayName', value: 'd'.repeat(256) },
          { op: 'replace', value: { active: false } },
        ),
        'invalidValue',
      ],
      ['PATCH', `/Users/${id}`, patchOp({ op: 'remove' }), 'noTarget'],
    ];
    for (const [method, path, body, scimType] of refused) {
      const res = await scim(method, path, body);
      expect(res.status, `${method} ${JSON.stringify(body).slice(0, 80)}`).toBe(400);
      expect(res.json()).toMatchObject({ status: '400', scimType, detail: expect.any(String) });
    }
    expect(writes()).toHaveLength(before);
    const user = (await scim('GET', `/Users/${id}`)).json();
    expect(user).toMatchObject({ userName: 'careful', active: true, displayName: 'Test User' });
    expect((await scim('POST', '/Users', entraCreate('ok'), { 'content-type': 'text/xml' })).status).toBe(415);
  });

  it('a transient Voximplant failure is retried within the deadline and applied', async () => {
    const id = await create(entraCreate('blip'));
    world.sim.queueFault({ method: 'SetAdminUserInfo', error: { code: 1 }, times: 2 });
    const res = await scim('PATCH', `/Users/${id}`, patchOp({ op: 'Replace', path: 'active', value: 'False' }));
    expect(res.status).toBe(204);
    const attempts = world.sim.calls().filter((c) => c.method === 'SetAdminUserInfo');
    expect(attempts.map((c) => c.error_code)).toEqual([1, 1, undefined]);
    expect(new Set(attempts.map((c) => c.idempotency_key)).size).toBe(1);
    expect(world.sim.admins().find((a) => a.admin_user_id === Number(id))?.admin_user_active).toBe(false);
  });

  it('a Voximplant failure that outlasts the deadline answers 503 with Retry-After, and nothing is recorded', async () => {
    const id = await create(entraCreate('transient'));
    // ~2 s left: too little for another attempt (the client never starts one it could not finish), so it gives up.
    world.remainingMs = 4_000;
    world.sim.queueFault({ method: 'SetAdminUserInfo', error: { code: 1 }, times: 1000 });
    const res = await scim('PATCH', `/Users/${id}`, patchOp({ op: 'Replace', path: 'displayName', value: 'Changed' }));
    expect(res.status).toBe(503);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(res.json()).toMatchObject({ status: '503', detail: expect.any(String) });
    // The record was not written: the user reads as before.
    world.sim.reset(); // drops the queued faults (and the admins: the record alone is checked below)
    const record = await world.deps.records.get(Number(id));
    expect(record?.attributes.displayName).toBe('Test User');
    expect(record?.version).toBe(1);
  });

  it('Voximplant throttling (340) answers 429 with Retry-After', async () => {
    const id = await create(entraCreate('throttled'));
    world.remainingMs = 4_000;
    world.sim.queueFault({ method: 'SetAdminUserInfo', error: { code: 340 }, times: 1000 });
    const res = await scim('PATCH', `/Users/${id}`, patchOp({ op: 'replace', value: { active: false } }));
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });

  it('Voximplant unreachable while reading answers 503, not 500', async () => {
    const id = await create(entraCreate('unreachable'));
    world.remainingMs = 4_000;
    world.sim.queueFault({ method: 'GetAdminUsers', drop: 'before', times: 1000 });
    const res = await scim('GET', `/Users/${id}`);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).not.toBeNull();
  });
});
