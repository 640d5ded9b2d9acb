import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { entraCreate, oktaCreate, oktaPut, patchOp } from './idp-bodies';
import { useScimWorld } from './scim-world';

/**
 * `password` is write-only and `returned: never` (RFC 7643 §4.1): whatever path a password takes (create with one,
 * a generated one, PUT, PATCH with and without a path, a refused one), it reaches Voximplant and nowhere else: not
 * in a response, not in a log line, not in the state table.
 */
describe('no response, log or stored item ever holds a password', () => {
  const { world, table, scim, fresh } = useScimWorld();

  it('across every operation', async () => {
    await fresh();
    const passwords = {
      okta: 'Okta-Create-Pw-7781',
      put: 'Put-Replaced-Pw-5521',
      patch: 'Patch-Path-Pw-9913',
      pathless: 'Patch-Value-Pw-3307',
      refused: 'tiny5',
      spaced: 'has a space 1',
      generated: 'Generated-Pw-0042-xyz',
    };
    world.deps.newPassword = () => passwords.generated;
    const responses: { what: string; status: number; text: string }[] = [];
    const call = async (what: string, method: string, path: string, body?: unknown) => {
      const res = await scim(method, path, body);
      responses.push({ what, status: res.status, text: res.text });
      return res;
    };

    const okta = String(
      (await call('create with password', 'POST', '/Users', oktaCreate('pw@okta.example', passwords.okta))).json().id,
    );
    const entra = String(
      (await call('create, generated password', 'POST', '/Users', entraCreate('pw.entra'))).json().id,
    );
    await call('put with password', 'PUT', `/Users/${okta}`, {
      ...oktaPut(okta, 'pw@okta.example', true),
      password: passwords.put,
    });
    await call(
      'patch password path',
      'PATCH',
      `/Users/${okta}`,
      patchOp({ op: 'replace', path: 'password', value: passwords.patch }),
    );
    await call(
      'patch password value',
      'PATCH',
      `/Users/${entra}`,
      patchOp({ op: 'replace', value: { password: passwords.pathless } }),
    );
    await call('refused short', 'POST', '/Users', oktaCreate('pw2@okta.example', passwords.refused));
    await call(
      'refused spaced',
      'PATCH',
      `/Users/${okta}`,
      patchOp({ op: 'replace', path: 'password', value: passwords.spaced }),
    );
    await call('get', 'GET', `/Users/${okta}`);
    await call('get password attribute', 'GET', `/Users/${okta}?attributes=password,userName`);
    await call('list', 'GET', '/Users');
    await call('search', 'POST', '/Users/.search', { attributes: ['password'], filter: 'password pr' });
    await call('filter on password', 'GET', `/Users?filter=${encodeURIComponent(`password eq "${passwords.okta}"`)}`);
    await call('schema password', 'GET', '/Schemas/urn:ietf:params:scim:schemas:core:2.0:User');

    expect(responses.map((r) => `${r.what}: ${r.status}`)).toEqual([
      'create with password: 201',
      'create, generated password: 201',
      'put with password: 200',
      'patch password path: 204',
      'patch password value: 204',
      'refused short: 400',
      'refused spaced: 400',
      'get: 200',
      'get password attribute: 200',
      'list: 200',
      'search: 200',
      'filter on password: 200',
      'schema password: 200',
    ]);
    const userAnswers = responses.filter((r) => !r.what.startsWith('schema') && r.text !== '');
    for (const r of responses) {
      for (const secret of Object.values(passwords)) expect(r.text, r.what).not.toContain(secret);
    }
    for (const r of userAnswers) expect(r.text.toLowerCase(), r.what).not.toContain('"password"');
    expect(JSON.parse(responses.find((r) => r.what === 'filter on password')!.text).totalResults).toBe(0);

    // The passwords did reach Voximplant (the simulator logs them redacted).
    const sent = world.sim.calls().filter((c) => 'new_admin_user_password' in c.params);
    expect(sent.map((c) => c.method)).toEqual([
      'AddAdminUser',
      'AddAdminUser',
      'SetAdminUserInfo',
      'SetAdminUserInfo',
      'SetAdminUserInfo',
    ]);

    const logs = world.logs.join('\n');
    expect(logs.length).toBeGreaterThan(0);
    for (const secret of Object.values(passwords)) expect(logs).not.toContain(secret);

    const items = await table.doc.send(new ScanCommand({ TableName: world.tableName }));
    const stored = JSON.stringify(items.Items);
    expect(items.Items?.length).toBeGreaterThan(0);
    for (const secret of Object.values(passwords)) expect(stored).not.toContain(secret);
    expect(stored).toContain('pw@okta.example');
  });
});
