import { accountSegment } from '../state/keys';
import type { VoximplantCaller } from '../voximplant/admin-user';
import type { CallOptions } from '../voximplant/client';
import { getAdminUsers } from '../voximplant/get-admin-users';

/** How long a container trusts an account's admin count; the threshold it sets moves slowly. */
export const ADMIN_COUNT_TTL_MS = 5 * 60 * 1000;

/**
 * The number of admins of an account, for the deactivation threshold: one GetAdminUsers of one row, whose
 * `total_count` counts every admin (https://voximplant.com/docs/references/httpapi/adminusers#getadminusers), cached
 * per container. A failed read propagates: the change is retried, never applied unguarded.
 */
export class AdminCount {
  private readonly byAccount = new Map<string, { total: number; at: number }>();

  constructor(
    private readonly ttlMs = ADMIN_COUNT_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  async of(voximplant: VoximplantCaller, accountId: number | undefined, opts: CallOptions): Promise<number> {
    const key = accountSegment(accountId);
    const cached = this.byAccount.get(key);
    if (cached !== undefined && this.now() - cached.at <= this.ttlMs) return cached.total;
    const at = this.now();
    const { totalCount } = await getAdminUsers(voximplant, { count: 1 }, { ...opts, accountId });
    this.byAccount.set(key, { total: totalCount, at });
    return totalCount;
  }
}
