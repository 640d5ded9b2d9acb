import type { Deadline } from '../../runtime/deadline';
import type { AdminPasswordLoginInput, AdminPasswordLoginResult } from '../../voximplant/admin-password-login';
import type { AdminUser, VoximplantCaller } from '../../voximplant/admin-user';
import { getAdminById } from '../../voximplant/get-admin-users';
import type { PasswordCheckMode } from '../rotation-config';
import { RotationError } from '../rotation-error';
import type { AdminPasswordSecret } from './admin-password-secret';

export interface AdminPasswordRotationDeps {
  /** Management API calls signed with the bridge's own key (GetAdminUsers, SetAdminUserInfo). */
  voximplant: VoximplantCaller;
  /** The account of the bridge's key: the admin's account when the secret names none. */
  keyAccountId: () => Promise<number>;
  /** The admin's own login (src/voximplant/admin-password-login.ts) with the API URL bound. */
  login: (input: AdminPasswordLoginInput, deadline: Deadline) => Promise<AdminPasswordLoginResult>;
  passwordCheck: PasswordCheckMode;
}

/** Where the admin lives: `accountId` for its login, `jwtAccountId` (the JWT `iss`) when it is a child account. */
export interface AdminTarget {
  accountId: number;
  jwtAccountId?: number;
}

export async function adminTarget(secret: AdminPasswordSecret, deps: AdminPasswordRotationDeps): Promise<AdminTarget> {
  const keyAccount = await deps.keyAccountId();
  const accountId = secret.account_id ?? keyAccount;
  // A parent acts on a child account by naming it in `iss` with its own key
  // (https://voximplant.com/docs/guides/management-api/child-accounts).
  return accountId === keyAccount ? { accountId } : { accountId, jwtAccountId: accountId };
}

/** The secret's admin, read by id with the bridge's key; `admin_not_found` when there is none. */
export async function secretAdmin(
  secret: AdminPasswordSecret,
  target: AdminTarget,
  deps: AdminPasswordRotationDeps,
  deadline: Deadline,
): Promise<AdminUser> {
  const admin = await getAdminById(deps.voximplant, secret.admin_user_id, {
    deadline,
    ...(target.jwtAccountId === undefined ? {} : { accountId: target.jwtAccountId }),
  });
  if (admin === undefined) {
    throw new RotationError(
      'admin_not_found',
      `admin user ${secret.admin_user_id} does not exist in account ${target.accountId}; fix admin_user_id in the secret`,
    );
  }
  return admin;
}

/**
 * How a password was checked, to be said in the log ("say which was used"):
 * - `admin_password_login`: the admin logged in with it, or was refused;
 * - `admin_by_id`: the admin exists by id, the password itself unproven; because it was configured
 *   (ROTATION_PASSWORD_CHECK=admin-by-id) or because the admin's login is off (admin_user_active=false means
 *   "login is not allowed", https://voximplant.com/docs/references/httpapi/adminusers, so no password could log in).
 */
export type PasswordCheck =
  | { method: 'admin_password_login'; accepted: boolean; code?: string }
  | { method: 'admin_by_id'; reason: 'configured' | 'admin_inactive' };

export async function checkAdminPassword(
  secret: AdminPasswordSecret,
  deps: AdminPasswordRotationDeps,
  deadline: Deadline,
): Promise<PasswordCheck> {
  const target = await adminTarget(secret, deps);
  const admin = await secretAdmin(secret, target, deps, deadline);
  if (deps.passwordCheck === 'admin-by-id') return { method: 'admin_by_id', reason: 'configured' };
  if (!admin.admin_user_active) return { method: 'admin_by_id', reason: 'admin_inactive' };
  return loginWith(secret, admin, target, deps, deadline);
}

/** The admin's own login with the secret's password; the name is the admin's live one (a rename is no failure). */
export async function loginWith(
  secret: AdminPasswordSecret,
  admin: AdminUser,
  target: AdminTarget,
  deps: AdminPasswordRotationDeps,
  deadline: Deadline,
): Promise<Extract<PasswordCheck, { method: 'admin_password_login' }>> {
  const login = await deps.login(
    { accountId: target.accountId, adminUserName: admin.admin_user_name, password: secret.password },
    deadline,
  );
  if (!login.accepted) return { method: 'admin_password_login', accepted: false, code: login.code };
  if (login.accountId !== target.accountId) {
    throw new RotationError(
      'account_mismatch',
      `the admin login of ${admin.admin_user_name} answered for account ${login.accountId}, not ${target.accountId}`,
    );
  }
  return { method: 'admin_password_login', accepted: true };
}
