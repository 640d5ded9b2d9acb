import type { ProtectedAdmins } from '../events/protected-admins';
import { getAdminById } from '../voximplant/admin-users';
import type { CallOptions, VoximplantClient } from '../voximplant/client';

/**
 * Decides whether a resolved admin is protected. PROTECTED_ADMIN_USERS may list names, but events often name the
 * admin by id only: without a look-up, `admin_user_id: 1` would slip past a protection written as `owner`. So when
 * the list has names and the change came by id, the admin's current name is read once (and cached per container).
 * When that read fails the change is retried, never applied: the guard fails closed.
 */
export class ProtectedGuard {
  private readonly nameById = new Map<string, { name: string | undefined; at: number }>();

  constructor(
    private readonly list: ProtectedAdmins,
    private readonly ttlMs = 5 * 60 * 1000,
    private readonly now: () => number = Date.now,
  ) {}

  async isProtected(
    voximplant: VoximplantClient,
    accountId: number | undefined,
    adminUserId: number,
    knownName: string | undefined,
    opts: CallOptions,
  ): Promise<boolean> {
    if (this.list.size === 0) return false;
    if (this.list.matchesAdmin(adminUserId, knownName)) return true;
    if (!this.list.hasNames || knownName !== undefined) return false;
    const key = `${accountId ?? 'main'}/${adminUserId}`;
    let entry = this.nameById.get(key);
    if (entry === undefined || this.now() - entry.at > this.ttlMs) {
      const admin = await getAdminById(voximplant, adminUserId, opts);
      entry = { name: admin?.admin_user_name, at: this.now() };
      this.nameById.set(key, entry);
    }
    return this.list.matchesAdmin(adminUserId, entry.name);
  }
}
