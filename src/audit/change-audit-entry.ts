import type { ApplyResult } from '../apply/outcome';
import type { AdminChange } from '../events/admin-change';
import { accountSegment } from '../state/keys';
import type { AuditEntry } from './audit-entry';

export interface ChangeAuditContext {
  /** When the bridge accepted the change (epoch ms), if known. */
  acceptedAtMs?: number;
  /** The main account's id: a change naming it by id is filed with the changes that name no account. */
  mainAccountId?: number;
  now: () => number;
}

/**
 * The audit record of what the apply step answered for one change, or undefined for a duplicate (its first delivery
 * was recorded when it was decided). Attribute names only: a password never reaches the record.
 */
export function changeAuditEntry(
  change: AdminChange,
  result: ApplyResult,
  ctx: ChangeAuditContext,
): AuditEntry | undefined {
  if (result.kind === 'done' && result.duplicate) return undefined;
  const { target } = change;
  const accountId = target.accountId === ctx.mainAccountId ? undefined : target.accountId;
  const adminUserId = target.adminUserId ?? (result.kind === 'done' ? result.outcome.admin_user_id : undefined);
  const admin = adminUserId !== undefined ? String(adminUserId) : `name:${target.adminUserName ?? 'unknown'}`;
  const asked = (Object.keys(change.set) as (keyof AdminChange['set'])[]).filter((k) => change.set[k] !== undefined);
  const base = {
    account: accountSegment(accountId),
    admin,
    ...(adminUserId !== undefined && { admin_user_id: adminUserId }),
    ...(target.adminUserName !== undefined && { admin_user_name: target.adminUserName }),
    source: change.source,
    event_id: change.eventId,
    idempotency_key: change.idempotencyKey,
    type: change.type,
    event_time: new Date(Date.parse(change.time)).toISOString(),
    ...(ctx.acceptedAtMs !== undefined && { accepted_at: new Date(ctx.acceptedAtMs).toISOString() }),
    deactivation: change.set.active === false,
  };
  if (result.kind === 'retry') {
    return {
      ...base,
      status: 'held',
      decided_at: new Date(ctx.now()).toISOString(),
      attempts: 0,
      attributes: asked,
      error_code: result.code,
    };
  }
  const { outcome } = result;
  const attributes =
    outcome.status === 'applied' ? outcome.applied : outcome.status === 'stale' ? outcome.stale : asked;
  return {
    ...base,
    status: outcome.status,
    decided_at: outcome.at,
    ...(outcome.status === 'applied' && { applied_at: outcome.at }),
    attempts: outcome.attempts,
    attributes,
    ...(outcome.error_code !== undefined && { error_code: outcome.error_code }),
  };
}
