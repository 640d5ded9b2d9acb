import { BridgeError } from '../errors/bridge-error';
import type { Deadline } from '../runtime/deadline';
import type { Sleep } from '../runtime/sleep';
import type { AdminLock } from '../state/admin-lock';
import type { AdminRef } from '../state/ordering-store';

/**
 * Another change to the same admin holds the per-admin lease; this one is retried later (worker) or answers 503.
 * Most holders finish within one API call, so a second later is worth a try.
 */
export class AdminBusyError extends BridgeError {
  declare readonly code: 'admin_busy';
  constructor(adminUserId: number) {
    super('admin_busy', `another change to admin ${adminUserId} is in flight`, {
      retry: 'transient',
      retryAfterMs: 1_000,
    });
    this.name = 'AdminBusyError';
  }
}

/** How long to wait for the lease before handing the change back: most holders finish within one API call. */
const MAX_WAIT_MS = 5_000;
const POLL_MS = 100;

export async function acquireAdminLease(
  lock: AdminLock,
  admin: AdminRef,
  owner: string,
  deadline: Deadline,
  sleep: Sleep,
): Promise<void> {
  const waitUntil = Math.min(MAX_WAIT_MS, deadline.remainingMs() / 2);
  let waited = 0;
  for (;;) {
    if (await lock.tryAcquire(admin, owner, Math.max(1_000, deadline.remainingMs()))) return;
    if (waited >= waitUntil) throw new AdminBusyError(admin.adminUserId);
    const pause = POLL_MS * (1 + Math.random());
    await sleep(pause);
    waited += pause;
  }
}
