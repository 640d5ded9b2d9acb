import type { AdminTarget } from '../events/admin-change';
import type { NameCache } from '../state/name-cache';
import { findAdminByExactName, getAdminById } from '../voximplant/admin-users';
import type { CallOptions, VoximplantClient } from '../voximplant/client';

export type Resolution =
  | { kind: 'found'; adminUserId: number; adminUserName?: string; via: 'id' | 'cache' | 'lookup' }
  | { kind: 'not_found' };

/**
 * Target → admin_user_id (docs/CONTRACT.md#targets-and-names). An id is used as given. A name is matched exactly:
 * GetAdminUsers filters by substring, so `jdoe` must never resolve to `jdoe2`. A cached id is confirmed with one read
 * by id, because names are mutable outside the bridge and a stale mapping would change the wrong person; that read is
 * still cheaper than paging through substring matches.
 */
export async function resolveAdmin(
  target: AdminTarget,
  deps: { voximplant: VoximplantClient; names: NameCache },
  opts: CallOptions,
): Promise<Resolution> {
  if (target.adminUserId !== undefined) return { kind: 'found', adminUserId: target.adminUserId, via: 'id' };
  const name = target.adminUserName;
  if (name === undefined) return { kind: 'not_found' };

  const cached = await deps.names.get(target.accountId, name);
  if (cached !== undefined) {
    const admin = await getAdminById(deps.voximplant, cached, opts);
    if (admin !== undefined && admin.admin_user_name === name) {
      return { kind: 'found', adminUserId: cached, adminUserName: name, via: 'cache' };
    }
    await deps.names.forget(target.accountId, name);
  }
  const admin = await findAdminByExactName(deps.voximplant, name, opts);
  if (admin === undefined) return { kind: 'not_found' };
  await deps.names.put(target.accountId, name, admin.admin_user_id);
  return { kind: 'found', adminUserId: admin.admin_user_id, adminUserName: admin.admin_user_name, via: 'lookup' };
}
