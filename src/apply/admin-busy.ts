import { BridgeError } from '../errors/bridge-error';
import type { Deadline } from '../runtime/deadline';
import type { Sleep } from '../runtime/sleep';

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

/**
 * Waits between claims while another change holds the admin: a short jittered pause each time, and AdminBusyError
 * once the wait has used MAX_WAIT_MS or half of the caller's remaining time, whichever is less.
 */
export class BusyWait {
  private waited = 0;
  private readonly limit: number;

  constructor(
    private readonly adminUserId: number,
    deadline: Deadline,
    private readonly sleep: Sleep,
  ) {
    this.limit = Math.min(MAX_WAIT_MS, deadline.remainingMs() / 2);
  }

  async pause(): Promise<void> {
    if (this.waited >= this.limit) throw new AdminBusyError(this.adminUserId);
    const pause = POLL_MS * (1 + Math.random());
    await this.sleep(pause);
    this.waited += pause;
  }
}
