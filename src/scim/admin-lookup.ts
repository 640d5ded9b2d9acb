import {
  type AdminUser,
  type GetAdminUsersFilter,
  getAdminUsers,
  type VoximplantCaller,
} from '../voximplant/admin-users';
import type { CallOptions } from '../voximplant/client';

/** GetAdminUsers' page for listing; a server with a smaller cap still works (paging by what came back). */
const PAGE_SIZE = 100;
/** 100 pages of 100 is far beyond any account's admins; a guard against a server that ignores `offset`. */
const MAX_PAGES = 100;

/** Every admin GetAdminUsers returns for the filter, paged. */
async function allPages(
  client: VoximplantCaller,
  filter: Omit<GetAdminUsersFilter, 'count' | 'offset'>,
  opts: CallOptions,
): Promise<AdminUser[]> {
  const admins: AdminUser[] = [];
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const { admins: batch, totalCount } = await getAdminUsers(
      client,
      { ...filter, count: PAGE_SIZE, offset: admins.length },
      opts,
    );
    admins.push(...batch);
    if (batch.length === 0 || admins.length >= totalCount) break;
  }
  return admins;
}

/** Every admin of the account, paged. */
export function listAllAdmins(client: VoximplantCaller, opts: CallOptions): Promise<AdminUser[]> {
  return allPages(client, {}, opts);
}

/**
 * The admins whose name equals `name` ignoring case (SCIM userName has caseExact=false, RFC 7643 §4.1). GetAdminUsers
 * filters by substring (research voximplant-api §4), so the match is exact here; the simulator's substring filter
 * ignores case, and whether Voximplant's does is undocumented: if it does not, only the exact spelling is found and
 * Voximplant's own uniqueness check (error 290) still refuses a clash.
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
