import type { MethodContext, MethodResult } from '../method-context';
import { resolveAdminList } from './resolve-admin';

/**
 * DelAdminUser (https://voximplant.com/docs/references/httpapi/adminusers): by a `;` list of ids or of names; all or
 * nothing. Returns `{"result":1}`.
 */
export function delAdminUser({ account, params }: MethodContext): MethodResult {
  for (const admin of resolveAdminList(account, params)) account.admins.delete(admin.admin_user_id);
  return { result: 1 };
}
