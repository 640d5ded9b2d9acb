import { beforeEach, describe, expect, it } from 'vitest';
import { CORE, ENTERPRISE, entraCreate, patchOp } from './idp-bodies';
import { useScimWorld } from './scim-world';

/**
 * A 2xx SCIM answer means Voximplant now holds what it says: after every 2xx, a GET agrees with the answer and the
 * simulator's admin agrees with the GET. Anything else is a 4xx with RFC 7644's scimType, and no write at all.
 */
describe('SCIM answers only 2xx for changes it made', () => {
  const { world, scim, fresh } = useScimWorld();
  beforeEach(fresh);

  const writes = () =>
    world.sim.calls().filter((c) => ['AddAdminUser', 'SetAdminUserInfo', 'DelAdminUser'].includes(c.method));

  async function create(userName: string): Promise<string> {
    const res = await scim('POST', '/Users', entraCreate(userName));
    expect(res.status, res.text).toBe(201);
    return String(res.json().id);
  }

  /** GET the user and check it against the simulator's admin; returns the GET. */
  async function agreed(id: string): Promise<Record<string, unknown>> {
    const res = await scim('GET', `/Users/${id}`);
    expect(res.status).toBe(200);
    const user = res.json();
    const admin = world.sim.admins().find((a) => a.admin_user_id === Number(id));
    expect(admin).toBeDefined();
    expect(user.userName).toBe(admin?.admin_user_name);
    expect(user.active).toBe(admin?.admin_user_active);
    expect(user.displayName ?? '').toBe(admin?.admin_user_display_name);
    // The core schema URN is never an attribute, and is listed once.
    expect(Object.keys(user).filter((k) => k.toLowerCase() === CORE.toLowerCase())).toEqual([]);
    expect((user.schemas as string[]).filter((s) => s === CORE)).toHaveLength(1);
    return user;
  }

  it('PATCH with a value keyed by the core schema URN deactivates (Voximplant and GET agree)', async () => {
    const id = await create('wrapped.patch');
    const res = await scim('PATCH', `/Users/${id}`, patchOp({ op: 'replace', value: { [CORE]: { active: false } } }));
    expect(res.status, res.text).toBe(204);
    expect(
      world.sim
        .calls()
        .filter((c) => c.method === 'SetAdminUserInfo')
        .map((c) => c.params),
    ).toEqual([{ required_admin_user_id: id, admin_user_active: 'false' }]);
    expect((await agreed(id)).active).toBe(false);
  });

  it('PATCH with a core-qualified path, and with the core URN as the path, is applied', async () => {
    const id = await create('qualified.path');
    const a = await scim('PATCH', `/Users/${id}`, patchOp({ op: 'replace', path: `${CORE}:active`, value: 'False' }));
    expect(a.status, a.text).toBe(204);
    expect((await agreed(id)).active).toBe(false);
    const b = await scim(
      'PATCH',
      `/Users/${id}`,
      patchOp({ op: 'replace', path: CORE, value: { displayName: 'Via Core' } }),
    );
    expect(b.status, b.text).toBe(204);
    expect((await agreed(id)).displayName).toBe('Via Core');
  });

  it('PUT with the core attributes keyed by the core schema URN deactivates; the answer is what GET shows', async () => {
    const id = await create('wrapped.put');
    const res = await scim('PUT', `/Users/${id}`, {
      schemas: [CORE],
      userName: 'wrapped.put',
      [CORE]: { active: false, displayName: 'Wrapped Put' },
    });
    expect(res.status, res.text).toBe(200);
    const user = await agreed(id);
    expect(user).toMatchObject({ active: false, displayName: 'Wrapped Put' });
    const { meta: _a, ...answered } = res.json();
    const { meta: _b, ...shown } = user;
    expect(answered).toEqual(shown);
  });

  it('remove or null of active and userName are 400 mutability, with no Voximplant write', async () => {
    const id = await create('keeps.state');
    const before = await agreed(id);
    const written = writes().length;
    for (const op of [
      { op: 'remove', path: 'active' },
      { op: 'replace', path: 'active', value: null },
      { op: 'replace', value: { [CORE]: { active: null } } },
      { op: 'remove', path: 'userName' },
      { op: 'replace', path: `${CORE}:userName`, value: null },
    ]) {
      const res = await scim('PATCH', `/Users/${id}`, patchOp({ op: 'replace', path: 'title', value: 'T' }, op));
      expect(res.status, JSON.stringify(op)).toBe(400);
      expect(res.json()).toMatchObject({ status: '400', scimType: 'mutability', detail: expect.any(String) });
    }
    expect(writes()).toHaveLength(written);
    expect(await agreed(id)).toEqual(before);
  });

  it('conflicting duplicates in a PUT or a PATCH value are 400 invalidValue, with no write', async () => {
    const id = await create('no.guessing');
    const before = await agreed(id);
    const written = writes().length;
    const put = await scim('PUT', `/Users/${id}`, { userName: 'no.guessing', active: true, [CORE]: { active: false } });
    expect(put.status).toBe(400);
    expect(put.json()).toMatchObject({ scimType: 'invalidValue' });
    const patch = await scim(
      'PATCH',
      `/Users/${id}`,
      patchOp({ op: 'replace', value: { active: false, [CORE]: { active: true } } }),
    );
    expect(patch.status).toBe(400);
    expect(patch.json()).toMatchObject({ scimType: 'invalidValue' });
    expect(writes()).toHaveLength(written);
    expect(await agreed(id)).toEqual(before);
  });

  it('a custom extension nested 5,000 deep is 400 invalidSyntax for POST, PUT and PATCH (was 500)', async () => {
    const id = await create('deep.ext');
    const before = await agreed(id);
    const written = writes().length;
    const deep = `${'{"a":'.repeat(5_000)}"x"${'}'.repeat(5_000)}`;
    const custom = 'urn:example:params:scim:schemas:extension:Custom:2.0:User';
    for (const [method, path, body] of [
      ['POST', '/Users', `{"schemas":["${CORE}"],"userName":"deep.new","${custom}":${deep}}`],
      ['PUT', `/Users/${id}`, `{"schemas":["${CORE}"],"userName":"deep.ext","${custom}":${deep}}`],
      [
        'PATCH',
        `/Users/${id}`,
        `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"add","path":"${custom}:a","value":${deep}}]}`,
      ],
    ] as const) {
      const res = await scim(method, path, body);
      expect(res.status, method).toBe(400);
      expect(res.json()).toMatchObject({ status: '400', scimType: 'invalidSyntax' });
    }
    expect(writes()).toHaveLength(written);
    expect(await agreed(id)).toEqual(before);
    expect(world.logs.some((l) => l.includes('RangeError'))).toBe(false);
  });

  it('/Schemas gives manager.$ref and groups.$ref their referenceTypes', async () => {
    const res = await scim('GET', '/Schemas');
    const docs = res.json().Resources as {
      id: string;
      attributes: { name: string; subAttributes?: { name: string; referenceTypes?: string[] }[] }[];
    }[];
    const sub = (schema: string, attr: string, name: string) =>
      docs
        .find((d) => d.id === schema)
        ?.attributes.find((a) => a.name === attr)
        ?.subAttributes?.find((s) => s.name === name);
    expect(sub(ENTERPRISE, 'manager', '$ref')?.referenceTypes).toEqual(['User']);
    expect(sub(CORE, 'groups', '$ref')?.referenceTypes).toEqual(['User', 'Group']);
  });
});
