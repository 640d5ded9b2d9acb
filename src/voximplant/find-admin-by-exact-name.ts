import type { AdminUser, VoximplantCaller } from './admin-user';
import type { CallOptions } from './client';
import { invalidRequest } from './errors';
import { adminUserPages } from './get-admin-users';

/**
 * GetAdminUsers filters names by SUBSTRING ("name part to filter",
 * https://voximplant.com/docs/references/httpapi/adminusers); page through all matches and compare exactly: `jdoe`
 * never hits `jdoe2`. Names are unique within an account (error 290), so at most one matches.
 */
export async function findAdminByExactName(
  client: VoximplantCaller,
  name: string,
  opts: CallOptions,
): Promise<AdminUser | undefined> {
  // An empty filter matches every admin; the caller surely did not mean that.
  if (name.length === 0) throw invalidRequest('GetAdminUsers', 'admin user name must not be empty');
  for await (const admins of adminUserPages(client, { nameContains: name }, opts)) {
    const match = admins.find((a) => a.admin_user_name === name);
    if (match !== undefined) return match;
  }
  return undefined;
}
