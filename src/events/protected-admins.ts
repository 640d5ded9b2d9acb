import type { AdminTarget } from './admin-change';
import { protectedNameKey } from './protected-name';

/**
 * PROTECTED_ADMIN_USERS: break-glass accounts and the owner, by id or by name. Events and SCIM never deactivate,
 * rename or re-password them, and never give another admin a name that matches one of theirs. Names match by
 * protectedNameKey (case, white space, invisible characters, compatibility forms and look-alike letters folded):
 * this list guards, so a near miss must still protect.
 */
export interface ProtectedAdmins {
  /** True when the target as named (before resolution) is protected. */
  matchesTarget(target: AdminTarget): boolean;
  /** True when the resolved admin is protected, by its id or its current name. */
  matchesAdmin(adminUserId: number, adminUserName?: string): boolean;
  /** True when the name matches a protected name: no admin may be renamed or created onto it. */
  matchesName(name: string): boolean;
  /** True when the id is listed. */
  hasId(adminUserId: number): boolean;
  readonly size: number;
  /** Some entries are names: an admin named by id must then be looked up before it can be cleared. */
  readonly hasNames: boolean;
}

export function protectedAdmins(entries: readonly string[]): ProtectedAdmins {
  const ids = new Set<number>();
  const names = new Set<string>();
  for (const raw of entries) {
    const entry = raw.trim();
    if (entry === '') continue;
    if (/^\d+$/.test(entry)) ids.add(Number(entry));
    else names.add(protectedNameKey(entry));
  }
  const matchesName = (name: string) => names.size > 0 && names.has(protectedNameKey(name));
  const matchesAdmin = (id: number, name?: string) => ids.has(id) || (name !== undefined && matchesName(name));
  return {
    size: ids.size + names.size,
    hasNames: names.size > 0,
    matchesAdmin,
    matchesName,
    hasId: (id) => ids.has(id),
    matchesTarget: (t) =>
      (t.adminUserId !== undefined && ids.has(t.adminUserId)) ||
      (t.adminUserName !== undefined && matchesName(t.adminUserName)),
  };
}
