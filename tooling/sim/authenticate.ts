import { SimApiError } from './api-error';
import { verifyManagementJwt } from './jwt-check';
import type { Params } from './params';
import { ADMIN_PASSWORD_METHODS, methodsForRoles, type SimMethod } from './roles';
import { findAdminByName, type SimStore } from './store';

/** Who is calling, and what they may call. */
export type Caller =
  | { kind: 'jwt'; accountId: number; keyId: string; roleIds: readonly number[]; allowed: readonly SimMethod[] }
  | { kind: 'admin_password'; accountId: number; adminUserId: number; allowed: readonly SimMethod[] };

/**
 * Two ways in, and nothing else:
 * - `Authorization: Bearer <JWT>` (the service-account scheme every current client uses). When the header is
 *   present it decides alone; extra `account_id` parameters (the Java client posts one) change nothing.
 * - The legacy admin login: `account_id` + `admin_user_name` or `admin_user_id` + `admin_user_password` (the legacy
 *   scheme of https://voximplant.com/docs/references/httpapi/auth_parameters), only for an active admin with that
 *   password; it may call GetAccountInfo and GetAdminUsers. The bridge's password rotation tests a new password this
 *   way (docs/CONTRACT.md#rotation).
 * The deprecated `api_key`, `account_password` and `session_id` schemes are not simulated: they fail with 100
 * like any other missing or wrong credential, so a client cannot come to depend on them here.
 */
export async function authenticate(
  authorization: string | undefined,
  params: Params,
  store: SimStore,
  nowMs: number,
  skewToleranceSec: number,
): Promise<Caller> {
  if (authorization !== undefined) {
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization);
    if (!match) throw new SimApiError(authorization.trim().toLowerCase().startsWith('bearer') ? 447 : 100);
    const { key, accountId } = await verifyManagementJwt(match[1]!, store, nowMs, skewToleranceSec);
    return {
      kind: 'jwt',
      accountId,
      keyId: key.key_id,
      roleIds: key.role_ids,
      allowed: methodsForRoles(key.role_ids),
    };
  }
  if (params.has('admin_user_password')) return adminPasswordLogin(params, store);
  throw new SimApiError(100);
}

function adminPasswordLogin(params: Params, store: SimStore): Caller {
  const failed = () => new SimApiError(100);
  const accountId = params.int('account_id', failed);
  const account = accountId === undefined ? undefined : store.account(accountId);
  if (!account) throw failed();
  const name = params.string('admin_user_name');
  const id = params.int('admin_user_id', failed);
  const admin =
    name !== undefined ? findAdminByName(account, name) : id !== undefined ? account.admins.get(id) : undefined;
  const password = params.string('admin_user_password');
  if (!admin?.admin_user_active || admin.password === undefined || admin.password !== password) {
    throw failed();
  }
  return {
    kind: 'admin_password',
    accountId: account.account_id,
    adminUserId: admin.admin_user_id,
    allowed: ADMIN_PASSWORD_METHODS,
  };
}
