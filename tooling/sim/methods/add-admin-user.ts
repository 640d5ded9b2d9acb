import { checkDisplayName, checkNewAdminUserName, checkPassword } from '../admin-user-rules';
import { missingParameter, onlyOneOf, SimApiError } from '../api-error';
import type { MethodContext, MethodResult } from '../method-context';
import type { Params } from '../params';
import { ADMIN_ROLES, adminRoleById, adminRoleByName } from '../roles';

/**
 * AddAdminUser (https://voximplant.com/docs/references/httpapi/adminusers): `new_admin_user_name`,
 * `admin_user_display_name` and `new_admin_user_password` are required (485 when missing), with the same rules as
 * SetAdminUserInfo; `admin_user_active` defaults to true; optional admin roles by `admin_role_id` or `admin_role_name`
 * (`;` lists, `all` for every role). Returns `{"result":1,"admin_user_id":N,"admin_user_api_key":"..."}`.
 */
export function addAdminUser({ store, account, params }: MethodContext): MethodResult {
  const name = required(params, 'new_admin_user_name');
  const displayName = required(params, 'admin_user_display_name');
  const password = required(params, 'new_admin_user_password');
  checkNewAdminUserName(name, account);
  checkDisplayName(displayName);
  checkPassword(password);
  const active = params.bool('admin_user_active') ?? true;
  const roleIds = adminRoles(params);

  const admin = store.addAdmin({
    account_id: account.account_id,
    admin_user_name: name,
    admin_user_display_name: displayName,
    admin_user_active: active,
    password,
  });
  admin.admin_role_ids = roleIds;
  return { result: 1, admin_user_id: admin.admin_user_id, admin_user_api_key: admin.api_key };
}

function required(params: Params, name: string): string {
  const value = params.string(name);
  if (value === undefined || value === '') throw missingParameter(name);
  return value;
}

function adminRoles(params: Params): number[] {
  const ids = params.list('admin_role_id');
  const names = params.list('admin_role_name');
  if (ids !== undefined && names !== undefined) throw onlyOneOf(['admin_role_id', 'admin_role_name']);
  if (ids !== undefined) {
    if (ids.length === 1 && ids[0]!.toLowerCase() === 'all') return ADMIN_ROLES.map((r) => r.admin_role_id);
    return ids.map((raw) => {
      const role = /^\d{1,15}$/.test(raw) ? adminRoleById(Number(raw)) : undefined;
      if (!role) throw new SimApiError(291);
      return role.admin_role_id;
    });
  }
  return (names ?? []).map((n) => {
    const role = adminRoleByName(n);
    if (!role) throw new SimApiError(292);
    return role.admin_role_id;
  });
}
