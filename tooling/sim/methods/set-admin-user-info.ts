import { checkDisplayName, checkNewAdminUserName, checkPassword } from '../admin-user-rules';
import { SimApiError } from '../api-error';
import type { MethodContext, MethodResult } from '../method-context';
import { resolveOneAdmin } from './resolve-admin';

const CHANGE_PARAMS = [
  'new_admin_user_name',
  'admin_user_display_name',
  'new_admin_user_password',
  'admin_user_active',
];

/**
 * SetAdminUserInfo (https://voximplant.com/docs/references/httpapi/adminusers): the target by exactly one of
 * `required_admin_user_id` / `required_admin_user_name` (name matched exactly here, unlike GetAdminUsers), at least one
 * change. Every parameter is checked before anything is written, so a rejected call changes nothing. Returns
 * `{"result":1}`.
 */
export function setAdminUserInfo({ account, params, now }: MethodContext): MethodResult {
  const admin = resolveOneAdmin(account, params);
  if (!CHANGE_PARAMS.some((p) => params.has(p))) {
    throw new SimApiError(485, `Specify at least one of the parameters: ${CHANGE_PARAMS.join(', ')}.`);
  }
  const newName = params.string('new_admin_user_name');
  const displayName = params.string('admin_user_display_name');
  const password = params.string('new_admin_user_password');
  if (newName !== undefined) checkNewAdminUserName(newName, account, admin.admin_user_id);
  if (displayName !== undefined) checkDisplayName(displayName);
  if (password !== undefined) checkPassword(password);
  const active = params.bool('admin_user_active');

  if (newName !== undefined) admin.admin_user_name = newName;
  if (displayName !== undefined) admin.admin_user_display_name = displayName;
  if (password !== undefined) admin.password = password;
  if (active !== undefined) admin.admin_user_active = active;
  admin.modified = now();
  return { result: 1 };
}
