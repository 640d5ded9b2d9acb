import type { AdminUser, GetAdminUsersFilter, VoximplantCaller } from '../voximplant/admin-users';
import type { CallOptions } from '../voximplant/client';
import { adminUserPages } from '../voximplant/get-admin-users';

/** Every admin GetAdminUsers returns for the filter, all pages. */
async function allPages(
  client: VoximplantCaller,
  filter: Omit<GetAdminUsersFilter, 'count' | 'offset'>,
  opts: CallOptions,
): Promise<AdminUser[]> {
  const admins: AdminUser[] = [];
  for await (const page of adminUserPages(client, filter, opts)) admins.push(...page);
  return admins;
}

/** Every admin of the account, paged. */
export function listAllAdmins(client: VoximplantCaller, opts: CallOptions): Promise<AdminUser[]> {
  return allPages(client, {}, opts);
}

/**
 * The admins whose name equals `name` ignoring case (SCIM userName has caseExact=false, RFC 7643 §4.1). GetAdminUsers
 * filters by substring (`required_admin_user_name` is a "name part to filter",
 * https://voximplant.com/docs/references/httpapi/adminusers), so the match is exact here; the simulator's substring
 * filter ignores case, and whether Voximplant's does is undocumented: if it does not, only the exact spelling is found
 * and Voximplant's own uniqueness check (error 290) still refuses a clash.
 */
export async function findAdminsIgnoringCase(
  client: VoximplantCaller,
  name: string,
  opts: CallOptions,
): Promise<AdminUser[]> {
  const wanted = name.toLowerCase();
  const admins = await allPages(client, { nameContains: name }, opts);
  return admins.filter((a) => a.admin_user_name.toLowerCase() === wanted);
}

/** Of several case-insensitive matches, the one spelled exactly so; otherwise the only one, or undefined. */
export function bestNameMatch(matches: readonly AdminUser[], name: string): AdminUser | undefined {
  return matches.find((a) => a.admin_user_name === name) ?? (matches.length === 1 ? matches[0] : undefined);
}
