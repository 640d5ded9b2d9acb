import { describe, expect, it } from 'vitest';
import { KEY_ROLES, methodsForRoles, SIM_METHODS } from '../../../tooling/sim/roles';

describe('key roles', () => {
  it('a roleless key may call only GetAccountInfo', () => {
    expect(methodsForRoles([])).toEqual(['GetAccountInfo']);
  });

  it('Owner may call every method; roles combine', () => {
    expect(methodsForRoles([1])).toEqual([...SIM_METHODS].sort());
    expect(methodsForRoles([2, 3])).toEqual([
      'AddAdminUser',
      'CreateKey',
      'DelAdminUser',
      'DeleteKey',
      'GetAccountInfo',
      'GetAdminUsers',
      'GetKeyRoles',
      'GetKeys',
      'SetAdminUserInfo',
    ]);
  });

  it('Admin users manager cannot touch keys; Key manager cannot touch admins', () => {
    const adminMgr = methodsForRoles([2]);
    const keyMgr = methodsForRoles([3]);
    expect(adminMgr).toContain('SetAdminUserInfo');
    expect(adminMgr).not.toContain('CreateKey');
    expect(keyMgr).toContain('DeleteKey');
    expect(keyMgr).not.toContain('SetAdminUserInfo');
  });

  it('role ids and names are unique', () => {
    expect(new Set(KEY_ROLES.map((r) => r.role_id)).size).toBe(KEY_ROLES.length);
    expect(new Set(KEY_ROLES.map((r) => r.role_name)).size).toBe(KEY_ROLES.length);
  });
});
