import * as z from 'zod';
import { type AdminUser, adminUserSchema, type VoximplantCaller } from './admin-user';
import { type CallOptions, serverResult } from './client';
import { invalidRequest, VoximplantError } from './errors';

export interface GetAdminUsersFilter {
  adminUserId?: number;
  /**
   * A substring filter, as the API matches `required_admin_user_name`
   * (https://voximplant.com/docs/references/httpapi/adminusers).
   */
  nameContains?: string;
  active?: boolean;
  withAccessEntries?: boolean;
  /** Page size; the API's default is 20. */
  count?: number;
  offset?: number;
}

const totalCountSchema = z.coerce.number().int().nonnegative().optional();

/** One page of GetAdminUsers; `totalCount` is every match (`total_count`), not just this page. */
export async function getAdminUsers(
  client: VoximplantCaller,
  filter: GetAdminUsersFilter,
  opts: CallOptions,
): Promise<{ admins: AdminUser[]; totalCount: number }> {
  const out = await client.call(
    'GetAdminUsers',
    {
      required_admin_user_id: filter.adminUserId,
      required_admin_user_name: filter.nameContains,
      admin_user_active: filter.active,
      with_access_entries: filter.withAccessEntries,
      count: filter.count,
      offset: filter.offset,
    },
    // A read changes nothing: no verify needed, resending is always safe.
    { ...opts, verify: undefined },
    z.array(adminUserSchema),
  );
  const admins = serverResult('GetAdminUsers', out);
  const total = totalCountSchema.safeParse(out.body.total_count);
  return { admins, totalCount: total.success && total.data !== undefined ? total.data : admins.length };
}

/** Large pages keep a look-up to one request for most names; a smaller server cap still works (paging by length). */
const PAGE_SIZE = 100;
/** A guard against a server that ignores `offset`: 100 pages of 100 is far beyond any account's admins. */
const MAX_PAGES = 100;

/** Every page GetAdminUsers returns for the filter, one request per page, stopping when the caller stops reading. */
export async function* adminUserPages(
  client: VoximplantCaller,
  filter: Omit<GetAdminUsersFilter, 'count' | 'offset'>,
  opts: CallOptions,
): AsyncGenerator<AdminUser[]> {
  let offset = 0;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const { admins, totalCount } = await getAdminUsers(client, { ...filter, count: PAGE_SIZE, offset }, opts);
    yield admins;
    offset += admins.length;
    if (admins.length === 0 || offset >= totalCount) return;
  }
}

/**
 * The admin with this id, or undefined. An unknown id may come back as an empty list or as error 285
 * INVALID_REQUIRED_ADMIN_USER_ID (apiclient-php `src/Enum/Errors.php` has no separate not-found code; an inference);
 * both mean "no such admin" for a positive integer id.
 */
export async function getAdminById(
  client: VoximplantCaller,
  id: number,
  opts: CallOptions,
): Promise<AdminUser | undefined> {
  if (!Number.isSafeInteger(id) || id <= 0)
    throw invalidRequest('GetAdminUsers', 'admin user id must be a positive integer');
  try {
    const { admins } = await getAdminUsers(client, { adminUserId: id, count: 1 }, opts);
    return admins.find((a) => a.admin_user_id === id);
  } catch (error) {
    if (error instanceof VoximplantError && error.voximplantCode === 285) return undefined;
    throw error;
  }
}
