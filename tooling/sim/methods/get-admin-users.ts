import { SimApiError } from '../api-error';
import { type MethodContext, type MethodResult, page } from '../method-context';
import { ADMIN_ROLES, adminRoleById } from '../roles';
import { apiDate, type StoredAdmin, sortedAdmins } from '../store';

/**
 * GetAdminUsers (https://voximplant.com/docs/references/httpapi/adminusers). `required_admin_user_name` and
 * `admin_user_display_name` are "name part to filter": substring matches, so "jdoe" also finds "jdoe2" (the bridge must
 * match exactly itself, docs/CONTRACT.md#targets-and-names). Whether the real match ignores case is undocumented; the
 * simulator ignores case, the wider reading, so a client that trusts the filter to be exact fails here first. Ordered
 * by id; `count` (default 20) / `offset`.
 */
export function getAdminUsers({ account, params }: MethodContext): MethodResult {
  const id = params.int('required_admin_user_id', () => new SimApiError(285));
  const namePart = params.string('required_admin_user_name')?.toLowerCase();
  const displayPart = params.string('admin_user_display_name')?.toLowerCase();
  const active = params.bool('admin_user_active');
  const withRoles = params.bool('with_roles') ?? false;
  const withEntries = params.bool('with_access_entries') ?? false;

  const matches = sortedAdmins(account).filter(
    (a) =>
      (id === undefined || a.admin_user_id === id) &&
      (namePart === undefined || a.admin_user_name.toLowerCase().includes(namePart)) &&
      (displayPart === undefined || a.admin_user_display_name.toLowerCase().includes(displayPart)) &&
      (active === undefined || a.admin_user_active === active),
  );
  return page(
    matches.map((a) => adminUserType(a, withRoles, withEntries)),
    params,
  );
}

/** The AdminUser structure (N48 `AdminUserType`): `modified` as `YYYY-MM-DD HH:mm:ss` UTC. */
function adminUserType(a: StoredAdmin, withRoles: boolean, withEntries: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {
    admin_user_id: a.admin_user_id,
    admin_user_name: a.admin_user_name,
    admin_user_display_name: a.admin_user_display_name,
    admin_user_active: a.admin_user_active,
    modified: apiDate(a.modified),
  };
  if (withEntries) {
    const entries = new Set<string>();
    for (const id of a.admin_role_ids) for (const e of adminRoleById(id)?.entries ?? []) entries.add(e);
    out.access_entries = [...entries].sort();
  }
  if (withRoles) {
    out.admin_roles = ADMIN_ROLES.filter((r) => a.admin_role_ids.includes(r.admin_role_id)).map((r) => ({
      admin_role_id: r.admin_role_id,
      admin_role_name: r.admin_role_name,
      admin_role_active: true,
      system_role: r.system_role,
    }));
  }
  return out;
}
