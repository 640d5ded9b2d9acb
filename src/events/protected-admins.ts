import type { AdminTarget } from './admin-change';

/**
 * PROTECTED_ADMIN_USERS (CONTRACT §5): break-glass accounts and the owner, by id or by name. Events and SCIM never
 * deactivate, rename or re-password them. Names compare case-insensitively here (unlike target resolution) because
 * this list guards: a near-miss in case must still protect.
 */
export interface ProtectedAdmins {
  /** True when the target as named (before resolution) is protected. */
  matchesTarget(target: AdminTarget): boolean;
  /** True when the resolved admin is protected, by its id or its current name. */
  matchesAdmin(adminUserId: number, adminUserName?: string): boolean;
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
    else names.add(entry.toLowerCase());
  }
  const matchesAdmin = (id: number, name?: string) =>
    ids.has(id) || (name !== undefined && names.has(name.toLowerCase()));
  return {
    size: ids.size + names.size,
    hasNames: names.size > 0,
    matchesAdmin,
    matchesTarget: (t) =>
      (t.adminUserId !== undefined && ids.has(t.adminUserId)) ||
      (t.adminUserName !== undefined && names.has(t.adminUserName.toLowerCase())),
  };
}
