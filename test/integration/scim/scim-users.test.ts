import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { deadlineIn } from '../../../src/runtime/deadline';
import { setAdminUserInfo } from '../../../src/voximplant/admin-users';
import { ENTERPRISE, entraCreate, oktaCreate, oktaPut, patchOp } from './idp-bodies';
import { useScimWorld } from './scim-world';

/**
 * The SCIM function end to end over the simulator and DynamoDB Local: what Entra ID and Okta send, and what reaches
 * Voximplant (the simulator's call log).
 */
describe('SCIM /Users against the simulator', () => {
  const { world, scim, fresh } = useScimWorld();
  beforeEach(fresh);

  const calls = (method: string) => world.sim.calls().filter((c) => c.method === method);
  const simAdmin = (id: string | number) => world.sim.admins().find((a) => a.admin_user_id === Number(id));

  async function create(body: Record<string, unknown>): Promise<string> {
    const res = await scim('POST', '/Users', body);
    expect(res.status, res.text).toBe(201);
    return String(res.json().id);
  }

  /** Sets an admin directly in Voximplant, as an HR event or the control panel would. */
  async function outsideChange(id: string, set: { active?: boolean; displayName?: string }) {
    await setAdminUserInfo(
      world.deps.apply.voximplant,
      { adminUserId: Number(id), ...set },
      { deadline: deadlineIn(5_000) },
    );
  }

  it('Entra "Test connection": a filter on a random userName answers 200 with an empty ListResponse', async () => {
    const res = await scim('GET', `/Users?filter=${encodeURIComponent(`userName eq "${randomUUID()}"`)}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/scim+json');
    expect(res.json()).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
      totalResults: 0,
      startIndex: 1,
      itemsPerPage: 0,
      Resources: [],
    });
  });

  it('Entra: create, then the legacy {"op":"Replace","value":"False"} deprovision is one SetAdminUserInfo', async () => {
    const created = await scim('POST', '/Users', entraCreate('Test_User_1'));
    expect(created.status).toBe(201);
    const user = created.json();
    expect(user).toMatchObject({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE],
      userName: 'Test_User_1',
      active: true,
      externalId: '7f3e1a52-0b6c-4a9e-9c1e-2d7a8b1f4c11',
      name: { givenName: 'Test', familyName: 'User', formatted: 'Test User' },
      [ENTERPRISE]: { employeeNumber: '701984' },
      meta: { resourceType: 'User', location: `${world.base}/Users/${user.id}` },
    });
    expect(user).not.toHaveProperty('title');
    expect(created.headers.get('location')).toBe(`${world.base}/Users/${user.id}`);
    expect(simAdmin(String(user.id))).toMatchObject({ admin_user_name: 'Test_User_1', admin_user_active: true });
    expect(calls('AddAdminUser')).toHaveLength(1);

    const patched = await scim(
      'PATCH',
      `/Users/${user.id}`,
      patchOp({ op: 'Replace', path: 'active', value: 'False' }),
    );
    expect(patched.status).toBe(204);
    expect(patched.text).toBe('');
    expect(calls('SetAdminUserInfo').map((c) => c.params)).toEqual([
      { required_admin_user_id: String(user.id), admin_user_active: 'false' },
    ]);
    expect(simAdmin(String(user.id))?.admin_user_active).toBe(false);
    expect((await scim('GET', `/Users/${user.id}`)).json().active).toBe(false);

    // The same PATCH again: Voximplant already says inactive, nothing is sent.
    expect(
      (await scim('PATCH', `/Users/${user.id}`, patchOp({ op: 'Replace', path: 'active', value: 'False' }))).status,
    ).toBe(204);
    expect(calls('SetAdminUserInfo')).toHaveLength(1);
  });

  it('Entra ?aadOptscim062020: a filtered email path plus a path-less replace with dotted keys', async () => {
    const id = await create(entraCreate('flagged', { emails: null }));
    const res = await scim(
      'PATCH',
      `/Users/${id}?aadOptscim062020`,
      patchOp(
        { op: 'replace', path: 'emails[type eq "work"].value', value: 'flagged@contoso.example' },
        {
          op: 'replace',
          value: {
            displayName: 'Flagged Person',
            'name.givenName': 'Flagged',
            'name.familyName': 'Person',
            [`${ENTERPRISE}:employeeNumber`]: '42',
          },
        },
      ),
    );
    expect(res.status).toBe(204);
    const user = (await scim('GET', `/Users/${id}`)).json();
    expect(user).toMatchObject({
      displayName: 'Flagged Person',
      name: { givenName: 'Flagged', familyName: 'Person', formatted: 'Test User' },
      emails: [{ type: 'work', value: 'flagged@contoso.example' }],
      [ENTERPRISE]: { employeeNumber: '42' },
    });
    expect(calls('SetAdminUserInfo').map((c) => c.params)).toEqual([
      { required_admin_user_id: id, admin_user_display_name: 'Flagged Person' },
    ]);
  });

  it('Entra rename: Replace userName renames the admin by id; the id stays and filters follow', async () => {
    const id = await create(entraCreate('before.rename'));
    expect(
      (await scim('PATCH', `/Users/${id}`, patchOp({ op: 'Replace', path: 'userName', value: 'after.rename' }))).status,
    ).toBe(204);
    expect(calls('SetAdminUserInfo').map((c) => c.params)).toEqual([
      { required_admin_user_id: id, new_admin_user_name: 'after.rename' },
    ]);
    const found = await scim('GET', `/Users?filter=${encodeURIComponent('userName eq "AFTER.RENAME"')}`);
    expect(found.json()).toMatchObject({ totalResults: 1, Resources: [{ id, userName: 'after.rename' }] });
    expect(
      (await scim('GET', `/Users?filter=${encodeURIComponent('userName eq "before.rename"')}`)).json().totalResults,
    ).toBe(0);
  });

  it('Okta: path-less {active:false} is one SetAdminUserInfo, and is applied again after a re-activation elsewhere', async () => {
    const id = await create(oktaCreate('ann.lee@okta.example', 'Okta-Passw0rd'));
    const deactivate = patchOp({ op: 'replace', value: { active: false } });
    expect((await scim('PATCH', `/Users/${id}`, deactivate)).status).toBe(204);
    await outsideChange(id, { active: true });
    expect(simAdmin(id)?.admin_user_active).toBe(true);
    // The same body again must not be taken for a duplicate of the first (a per-request idempotency key).
    expect((await scim('PATCH', `/Users/${id}`, deactivate)).status).toBe(204);
    expect(simAdmin(id)?.admin_user_active).toBe(false);
    const deactivations = calls('SetAdminUserInfo').filter((c) => c.params.admin_user_active === 'false');
    expect(deactivations.map((c) => c.params)).toEqual([
      { required_admin_user_id: id, admin_user_active: 'false' },
      { required_admin_user_id: id, admin_user_active: 'false' },
    ]);
    expect(new Set(deactivations.map((c) => c.idempotency_key)).size).toBe(2);
  });

  it('Okta AIW: a full PUT with active:false is one SetAdminUserInfo; a PUT restating active:true undoes no outside deactivation', async () => {
    const id = await create(oktaCreate('aiw@okta.example', 'Okta-Passw0rd'));
    const put = await scim('PUT', `/Users/${id}`, oktaPut(id, 'aiw@okta.example', false));
    expect(put.status).toBe(200);
    expect(put.json()).toMatchObject({ id, userName: 'aiw@okta.example', active: false, name: { middleName: 'M' } });
    expect(calls('SetAdminUserInfo').map((c) => c.params)).toEqual([
      { required_admin_user_id: id, admin_user_active: 'false' },
    ]);

    const id2 = await create(oktaCreate('aiw2@okta.example', 'Okta-Passw0rd'));
    await outsideChange(id2, { active: false }); // an HR termination through the events path
    const restated = await scim('PUT', `/Users/${id2}`, oktaPut(id2, 'aiw2@okta.example', true, 'Ann B. Lee'));
    expect(restated.status).toBe(200);
    expect(restated.json()).toMatchObject({ active: false, displayName: 'Ann B. Lee' });
    expect(simAdmin(id2)).toMatchObject({ admin_user_active: false, admin_user_display_name: 'Ann B. Lee' });
  });

  it('userName is unique ignoring case: an uppercased filter finds the user, an uppercased POST is 409', async () => {
    const id = await create(oktaCreate('mixed.case@okta.example', 'Okta-Passw0rd'));
    const found = await scim(
      'GET',
      `/Users?filter=${encodeURIComponent('userName eq "MIXED.CASE@OKTA.EXAMPLE"')}&startIndex=1&count=100`,
    );
    expect(found.json()).toMatchObject({ totalResults: 1, Resources: [{ id }] });
    const again = await scim('POST', '/Users', oktaCreate('Mixed.Case@okta.example', 'Okta-Passw0rd'));
    expect(again.status).toBe(409);
    expect(again.json()).toMatchObject({ status: '409', scimType: 'uniqueness', detail: expect.stringContaining(id) });
    expect(calls('AddAdminUser')).toHaveLength(1);
  });

  it('POST links an existing, unlinked admin of that userName (ignoring case) instead of creating one', async () => {
    const existing = world.sim.addAdmin({
      admin_user_name: 'jdoe',
      admin_user_display_name: 'J. Doe',
      admin_user_active: false,
    });
    world.sim.addAdmin({ admin_user_name: 'jdoe2', admin_user_display_name: 'Other' });
    expect((await scim('GET', '/Users')).json().totalResults).toBe(0); // unlinked admins are not SCIM users

    const res = await scim('POST', '/Users', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: 'JDoe',
      active: true,
    });
    expect(res.status).toBe(201);
    expect(res.json()).toMatchObject({
      id: String(existing.admin_user_id),
      userName: 'jdoe',
      displayName: 'J. Doe',
      active: true,
    });
    expect(calls('AddAdminUser')).toHaveLength(0);
    expect(calls('SetAdminUserInfo').map((c) => c.params)).toEqual([
      { required_admin_user_id: String(existing.admin_user_id), admin_user_active: 'true' },
    ]);
    const list = (await scim('GET', '/Users')).json();
    expect(list).toMatchObject({ totalResults: 1, Resources: [{ userName: 'jdoe' }] });
  });

  it('DELETE deactivates with one call and leaves a tombstone: the id answers 404; a new POST restores', async () => {
    const id = await create(entraCreate('leaver'));
    expect((await scim('DELETE', `/Users/${id}`)).status).toBe(204);
    expect(calls('SetAdminUserInfo').map((c) => c.params)).toEqual([
      { required_admin_user_id: id, admin_user_active: 'false' },
    ]);
    expect(simAdmin(id)).toMatchObject({ admin_user_name: 'leaver', admin_user_active: false });
    for (const [method, body] of [
      ['GET', undefined],
      ['PATCH', patchOp({ op: 'replace', value: { active: true } })],
      ['PUT', entraCreate('leaver')],
      ['DELETE', undefined],
    ] as const) {
      const res = await scim(method, `/Users/${id}`, body);
      expect(res.status, method).toBe(404);
      expect(res.json()).toMatchObject({ status: '404', detail: expect.any(String) });
    }
    expect((await scim('GET', '/Users')).json().totalResults).toBe(0);
    expect((await scim('GET', `/Users?filter=${encodeURIComponent('userName eq "leaver"')}`)).json().totalResults).toBe(
      0,
    );
    expect(simAdmin(id)?.admin_user_active).toBe(false);

    const restored = await scim('POST', '/Users', entraCreate('leaver'));
    expect(restored.status).toBe(201);
    expect(restored.json()).toMatchObject({ id, active: true });
    expect(simAdmin(id)?.admin_user_active).toBe(true);
  });

  it('pages in id order with 1-based startIndex, counts as strings in /.search, and count=0', async () => {
    const ids: string[] = [];
    for (const n of [1, 2, 3, 4, 5]) ids.push(await create(entraCreate(`page${n}`)));
    const page = (await scim('GET', '/Users?startIndex=2&count=2')).json();
    expect(page).toMatchObject({ totalResults: 5, startIndex: 2, itemsPerPage: 2 });
    expect((page.Resources as { id: string }[]).map((r) => r.id)).toEqual(ids.slice(1, 3));
    expect((await scim('GET', '/Users?startIndex=0&count=0')).json()).toMatchObject({
      totalResults: 5,
      startIndex: 1,
      itemsPerPage: 0,
      Resources: [],
    });
    expect((await scim('GET', '/Users?startIndex=9')).json()).toMatchObject({ totalResults: 5, itemsPerPage: 0 });
    const search = await scim('POST', '/Users/.search', {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'],
      filter: 'userName sw "page"',
      startIndex: '4',
      count: '10',
      attributes: ['userName'],
    });
    expect(search.json()).toMatchObject({ totalResults: 5, startIndex: 4, itemsPerPage: 2 });
    expect(search.json().Resources).toEqual([
      { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE], id: ids[3], userName: 'page4' },
      { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE], id: ids[4], userName: 'page5' },
    ]);
  });

  it('filters with "+" for spaces, mixed-case names, unquoted values and value paths', async () => {
    const a = await create(entraCreate('Filter.A', { externalId: 'ext-a', displayName: 'Bob Is Amazing' }));
    await create(entraCreate('Filter.B', { externalId: 'ext-b' }));
    const total = async (raw: string) => {
      const res = await scim('GET', `/Users?${raw}`);
      expect(res.status, raw).toBe(200);
      return res.json().totalResults;
    };
    expect(await total('filter=DisplayName+eq+%22Bob+Is+Amazing%22')).toBe(1);
    expect(await total(`filter=${encodeURIComponent('USERNAME Eq "filter.a"')}`)).toBe(1);
    expect(await total(`filter=${encodeURIComponent('externalId eq ext-a')}`)).toBe(1);
    expect(await total(`filter=${encodeURIComponent('externalId eq EXT-A')}`)).toBe(0);
    expect(
      await total(`filter=${encodeURIComponent('emails[type eq "work"].value eq "filter.b@contoso.example"')}`),
    ).toBe(1);
    expect(await total(`filter=${encodeURIComponent('not (userName eq "filter.a") and active eq true')}`)).toBe(1);
    expect(await total(`filter=${encodeURIComponent(`${ENTERPRISE}:employeeNumber eq "701984"`)}`)).toBe(2);
    const bad = await scim('GET', `/Users?filter=${encodeURIComponent('userName eq')}`);
    expect(bad.status).toBe(400);
    expect(bad.json()).toMatchObject({ status: '400', scimType: 'invalidFilter' });
    const single = await scim('GET', `/Users/${a}?attributes=userName`);
    expect(single.json()).toEqual({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE],
      id: a,
      userName: 'Filter.A',
    });
  });

  it('the ordering guard: a SCIM change older than one already applied changes nothing and answers 409, never 2xx', async () => {
    const id = await create(entraCreate('ordered'));
    // An HR change ordered after this request (accepted later, applied first) already set `active`.
    await world.deps.apply.ordering.record({ adminUserId: Number(id) }, ['active'], {
      timeMs: Date.now() + 60_000,
      eventId: 'evt-newer',
      source: 'urn:example:hr',
      set: { active: true },
    });
    const res = await scim('PATCH', `/Users/${id}`, patchOp({ op: 'replace', path: 'active', value: false }));
    expect(res.status).toBe(409);
    expect(res.json()).toMatchObject({ status: '409', detail: expect.stringContaining('active was not changed') });
    expect(calls('SetAdminUserInfo')).toHaveLength(0);
    expect(simAdmin(id)?.admin_user_active).toBe(true);
    // What GET shows is what Voximplant holds: no 2xx ever claimed otherwise.
    expect((await scim('GET', `/Users/${id}`)).json()).toMatchObject({ active: true });
    const audit = world.logs.map((l) => JSON.parse(l)).filter((l) => l.message === 'audit' && l.type === 'scim.patch');
    expect(audit.at(-1)).toMatchObject({ outcome: 'stale', stale: ['active'] });
  });
});

describe('SCIM with SCIM_DELETE_MODE=delete and a default role', () => {
  const { world, scim, fresh } = useScimWorld({
    env: { SCIM_DELETE_MODE: 'delete', SCIM_DEFAULT_ROLE_NAME: 'Support' },
  });
  beforeEach(fresh);

  it('creates with the role, and DELETE removes the admin from Voximplant', async () => {
    const res = await scim('POST', '/Users', oktaCreate('role@okta.example', 'Okta-Passw0rd'));
    expect(res.status).toBe(201);
    const id = String(res.json().id);
    const add = world.sim.calls().find((c) => c.method === 'AddAdminUser');
    expect(add?.params).toMatchObject({ new_admin_user_name: 'role@okta.example', admin_role_name: 'Support' });
    expect((await scim('DELETE', `/Users/${id}`)).status).toBe(204);
    expect(world.sim.admins().some((a) => a.admin_user_id === Number(id))).toBe(false);
    expect(
      world.sim
        .calls()
        .filter((c) => c.method === 'DelAdminUser')
        .map((c) => c.params),
    ).toEqual([{ required_admin_user_id: id }]);
    expect((await scim('GET', `/Users/${id}`)).status).toBe(404);
  });
});
