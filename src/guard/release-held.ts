import { type ApplyDeps, applyChange } from '../apply/apply-change';
import { outcomeAuditFields } from '../apply/outcome';
import type { Deadline } from '../runtime/deadline';
import { changeOf, type HeldChange } from './held-change';
import type { HeldStore } from './held-store';

/** How one held change ended on release. */
export interface ReleaseReport {
  hold_id: string;
  event_id: string;
  source: string;
  admin_user_id: number;
  /** The apply step's outcome (applied, stale, rejected, failed, duplicate), or `retry` when it stays held. */
  outcome: string;
  error_code?: string;
  error_message?: string;
}

/** An operator's choice: one held change (by event id, hold id or idempotency key) or all of them. */
export type HeldSelector = { all: true } | { id: string };

/** The held changes a selector names, in release order; an id that names several or none is a clear error. */
export function selectHeld(held: readonly HeldChange[], selector: HeldSelector): HeldChange[] {
  if ('all' in selector) return [...held];
  const byKey = held.filter((h) => h.hold_id === selector.id || h.change.idempotencyKey === selector.id);
  const matches = byKey.length > 0 ? byKey : held.filter((h) => h.change.eventId === selector.id);
  if (matches.length === 0) throw new HeldSelectionError(`no held change has the id "${selector.id}"`);
  if (matches.length > 1) {
    throw new HeldSelectionError(
      `${matches.length} held changes have the event id "${selector.id}" (from ${matches
        .map((m) => m.change.source)
        .join(', ')}); name one by its hold id: ${matches.map((m) => m.hold_id).join(', ')}`,
    );
  }
  return matches;
}

export class HeldSelectionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HeldSelectionError';
  }
}

/**
 * Applies held changes in release order (ordering time), each through applyChange again with no guard for that
 * change: idempotency, protected admins, the per-admin lease, the ordering rule (a change that became stale while
 * held stays unapplied) and the re-activation policy all still apply. A change that ends (any outcome but a retry)
 * leaves the held list, with an audit line; one that must be retried stays held, and the release stops there, so no
 * later change overtakes it.
 */
export async function releaseHeld(
  selected: readonly HeldChange[],
  deps: { apply: ApplyDeps; held: HeldStore },
  deadline: Deadline,
): Promise<ReleaseReport[]> {
  const reports: ReleaseReport[] = [];
  const { logger } = deps.apply;
  for (const held of selected) {
    const change = changeOf(held);
    const base = {
      hold_id: held.hold_id,
      event_id: change.eventId,
      source: change.source,
      admin_user_id: held.admin_user_id,
    };
    const { guard: _bypassed, ...unguarded } = deps.apply;
    const result = await applyChange(change, unguarded, deadline);
    if (result.kind === 'retry') {
      logger.warn('held change not released: it will be retried', { ...base, error_code: result.code });
      reports.push({ ...base, outcome: 'retry', error_code: result.code, error_message: result.message });
      break;
    }
    await deps.held.remove(held);
    const fields = outcomeAuditFields(result.outcome, result.duplicate);
    logger.info('audit', {
      ...base,
      idempotency_key: change.idempotencyKey,
      type: change.type,
      target: change.target,
      ordering_time: new Date(change.timeMs).toISOString(),
      released: true,
      held_reason: held.reason_code,
      ...fields,
    });
    reports.push({
      ...base,
      outcome: fields.outcome,
      ...(fields.error_code !== undefined && { error_code: fields.error_code }),
      ...(fields.error_message !== undefined && { error_message: fields.error_message }),
    });
  }
  return reports;
}

/** Drops a held change for good, with an audit line. */
export async function discardHeld(held: HeldChange, deps: { apply: Pick<ApplyDeps, 'logger'>; held: HeldStore }) {
  const removed = await deps.held.remove(held);
  deps.apply.logger.info('audit', {
    hold_id: held.hold_id,
    event_id: held.change.eventId,
    source: held.change.source,
    idempotency_key: held.change.idempotencyKey,
    type: held.change.type,
    target: held.change.target,
    admin_user_id: held.admin_user_id,
    held_reason: held.reason_code,
    outcome: removed ? 'discarded' : 'already_gone',
  });
  return removed;
}
