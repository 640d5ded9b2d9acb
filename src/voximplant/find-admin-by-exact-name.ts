import type { AdminUser, VoximplantCaller } from './admin-user';
import type { CallOptions } from './client';
import { invalidRequest } from './errors';
import { getAdminUsers } from './get-admin-users';

/** Large pages keep a lookup to one request for most names; a smaller server cap still works (paging by length). */
const PAGE_SIZE = 100;
/** A guard against a server that ignores `offset`: 100 pages of 100 is far beyond any account's admins. */
const MAX_PAGES = 100;

/**
 * GetAdminUsers filters names by SUBSTRING (research §4); page through all matches and compare exactly: `jdoe`
 * never hits `jdoe2`. Names are unique within an account (error 290), so at most one matches.
 */
export async function findAdminByExactName(
  client: VoximplantCaller,
  name: string,
  opts: CallOptions,
): Promise<AdminUser | undefined> {
  // An empty filter matches every admin; the caller surely did not mean that.
  if (name.length === 0) throw invalidRequest('GetAdminUsers', 'admin user name must not be empty');
  let offset = 0;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const { admins, totalCount } = await getAdminUsers(client, { nameContains: name, count: PAGE_SIZE, offset }, opts);
    const match = admins.find((a) => a.admin_user_name === name);
    if (match !== undefined) return match;
    offset += admins.length;
    if (admins.length === 0 || offset >= totalCount) return undefined;
  }
  return undefined;
}
