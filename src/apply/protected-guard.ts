import type { AdminChange } from '../events/admin-change';
import type { ProtectedAdmins } from '../events/protected-admins';
import { type ProtectedRefusal, protectedRefusal } from '../events/protected-refusal';
import type { VoximplantCaller } from '../voximplant/admin-users';
import type { CallOptions } from '../voximplant/client';
import { adminUserPages } from '../voximplant/get-admin-users';

/** How long a container trusts the set of admins whose current names are protected, per account. */
export const PROTECTED_SET_TTL_MS = 5 * 60 * 1000;

/**
 * Decides whether a change may touch an admin, failing closed.
 *
 * From the change alone (refusalOf): its target is listed, or it renames an admin onto a protected name.
 *
 * For the resolved admin (isProtected): its id is listed, or its current name matches a protected name. A change
 * that named the admin by name has just read that name (resolution confirms it with Voximplant), so it is checked
 * as is. A change by id has no name: `admin_user_id: 4` must not slip past a protection written as `owner`. So, when
 * the list holds names, the guard knows per account the set of admins whose current name matches one: every admin,
 * paged with GetAdminUsers (100 a page), once per PROTECTED_SET_TTL_MS per container. If that read fails, the error
 * propagates and the change is retried, never applied.
 *
 * Since every route refuses a rename onto a protected name, an admin comes to bear one only by a change outside the
 * bridge (the Voximplant control panel or another API client); such a change can go unseen for at most the TTL.
 * A rename this container applies updates the set in place, without a read: it can only add to it.
 */
export class ProtectedGuard {
  private readonly byAccount = new Map<string, { ids: Set<number>; at: number }>();
  private readonly loading = new Map<string, Promise<Set<number>>>();

  constructor(
    private readonly list: ProtectedAdmins,
    private readonly ttlMs = PROTECTED_SET_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  refusalOf(change: Pick<AdminChange, 'target' | 'set'>): ProtectedRefusal | undefined {
    return protectedRefusal(this.list, change.target, change.set);
  }

  /**
   * @param currentName the admin's name as Voximplant holds it now (read while resolving), or undefined when the
   *   change named the admin by id only.
   */
  async isProtected(
    voximplant: VoximplantCaller,
    accountId: number | undefined,
    adminUserId: number,
    currentName: string | undefined,
    opts: CallOptions,
  ): Promise<boolean> {
    if (this.list.size === 0) return false;
    if (this.list.matchesAdmin(adminUserId, currentName)) return true;
    if (!this.list.hasNames || currentName !== undefined) return false;
    return (await this.protectedIds(voximplant, accountId, opts)).has(adminUserId);
  }

  /** After this container renamed an admin: the set follows without a read (a protected name never gets here). */
  renamed(accountId: number | undefined, adminUserId: number, newName: string): void {
    if (!this.list.matchesName(newName)) return;
    this.byAccount.get(accountKey(accountId))?.ids.add(adminUserId);
  }

  private async protectedIds(
    voximplant: VoximplantCaller,
    accountId: number | undefined,
    opts: CallOptions,
  ): Promise<Set<number>> {
    const key = accountKey(accountId);
    const cached = this.byAccount.get(key);
    if (cached !== undefined && this.now() - cached.at <= this.ttlMs) return cached.ids;
    // Concurrent changes in one container share one read.
    let pending = this.loading.get(key);
    if (pending === undefined) {
      pending = this.load(voximplant, key, opts).finally(() => this.loading.delete(key));
      this.loading.set(key, pending);
    }
    return pending;
  }

  private async load(voximplant: VoximplantCaller, key: string, opts: CallOptions): Promise<Set<number>> {
    const at = this.now();
    const ids = new Set<number>();
    for await (const page of adminUserPages(voximplant, {}, opts)) {
      for (const admin of page) if (this.list.matchesName(admin.admin_user_name)) ids.add(admin.admin_user_id);
    }
    this.byAccount.set(key, { ids, at });
    return ids;
  }
}

function accountKey(accountId: number | undefined): string {
  return accountId === undefined ? 'main' : String(accountId);
}
