import type { RecordedOutcome } from '../../../src/apply/outcome';
import { idempotencyKey } from '../../../src/events/idempotency-key';
import type { IdempotencyStore } from '../../../src/state/idempotency-store';
import type { AdminView, CallRecord } from '../../../tooling/sim/simulator';
import { type AdminValues, type ChaosPlan, expectedState, type PlannedEvent } from './event-plan';

/** Voximplant's "probable resend" answers are given after the call was applied (tooling/sim/faults.ts). */
const APPLIED_DESPITE_ERROR = new Set([484, 515]);

/** Did this SetAdminUserInfo call change the admin? (The simulator logs every call, applied or not.) */
export function wasApplied(call: CallRecord): boolean {
  if (call.method !== 'SetAdminUserInfo') return false;
  if (call.error_code !== undefined) return APPLIED_DESPITE_ERROR.has(call.error_code);
  return call.fault !== 'drop_before' && call.fault !== 'http';
}

const PARAM_ATTRIBUTE: Record<string, keyof AdminValues> = {
  admin_user_active: 'active',
  new_admin_user_name: 'name',
  admin_user_display_name: 'displayName',
};

function eventsByKey(plan: ChaosPlan): Map<string, PlannedEvent> {
  return new Map(plan.events.map((e) => [e.key, e]));
}

/**
 * In arrival order, the applied writes of each attribute of each admin must carry non-decreasing event times: an
 * older change may never land after a newer one (a resend of the same change, after a crash, has the same time).
 */
export function orderViolations(plan: ChaosPlan, calls: readonly CallRecord[]): string[] {
  const byKey = eventsByKey(plan);
  const last = new Map<string, { timeMs: number; eventId: string }>();
  const problems: string[] = [];
  for (const call of calls) {
    if (!wasApplied(call)) continue;
    const event = byKey.get(call.idempotency_key ?? '');
    if (event === undefined) {
      problems.push(
        `an applied SetAdminUserInfo call carries no known Idempotency-Key: ${JSON.stringify(call.params)}`,
      );
      continue;
    }
    for (const param of Object.keys(call.params)) {
      const attribute = PARAM_ATTRIBUTE[param];
      if (attribute === undefined) continue;
      const slot = `${call.params.required_admin_user_id}/${attribute}`;
      const before = last.get(slot);
      if (before !== undefined && event.timeMs < before.timeMs) {
        problems.push(`${slot}: ${String(event.event.id)} landed after the newer ${before.eventId}`);
      }
      if (before === undefined || event.timeMs >= before.timeMs) {
        last.set(slot, { timeMs: event.timeMs, eventId: String(event.event.id) });
      }
    }
  }
  return problems;
}

/**
 * For each admin whose latest change of `active` is a deactivation: once that deactivation reached Voximplant, no
 * applied call may set `admin_user_active=true` again.
 */
export function reactivations(plan: ChaosPlan, calls: readonly CallRecord[]): { problems: string[]; checked: number } {
  const latest = new Map<number, PlannedEvent>();
  for (const e of plan.events) {
    if (e.expect !== 'apply' || e.set.active === undefined || e.adminId === undefined) continue;
    const before = latest.get(e.adminId);
    if (before === undefined || e.timeMs > before.timeMs) latest.set(e.adminId, e);
  }
  const problems: string[] = [];
  let checked = 0;
  for (const [adminId, e] of latest) {
    if (e.set.active !== false) continue;
    checked += 1;
    const start = calls.findIndex((c) => wasApplied(c) && c.idempotency_key === e.key);
    // Not sent at all: a lost answer's re-read found the admin already inactive. The order check covers that case.
    if (start < 0) continue;
    const reactivatedBy = calls
      .slice(start + 1)
      .find(
        (c) =>
          wasApplied(c) && c.params.required_admin_user_id === String(adminId) && c.params.admin_user_active === 'true',
      );
    if (reactivatedBy !== undefined) {
      problems.push(`admin ${adminId} was re-activated after its latest event, a deactivation (${String(e.event.id)})`);
    }
  }
  return { problems, checked };
}

/** Every admin equals the oracle (and nobody else changed). */
export function stateMismatches(
  plan: ChaosPlan,
  admins: readonly AdminView[],
  excluded: ReadonlySet<string>,
): string[] {
  const expected = expectedState(plan, excluded);
  const problems: string[] = [];
  for (const [id, want] of expected) {
    const got = admins.find((a) => a.admin_user_id === id);
    const actual = got && {
      active: got.admin_user_active,
      name: got.admin_user_name,
      displayName: got.admin_user_display_name,
    };
    if (JSON.stringify(actual) !== JSON.stringify(want)) {
      problems.push(`admin ${id}: expected ${JSON.stringify(want)}, found ${JSON.stringify(actual)}`);
    }
  }
  return problems;
}

export interface SeenDeadLetter {
  body: string;
  errorCode: string;
  idempotencyKey?: string;
}

export interface Accounting {
  problems: string[];
  /** Events that ended in the dead-letter queue by the redrive policy (not by the worker). */
  redrivenKeys: Set<string>;
  outcomes: Record<string, number>;
  deadLetters: Record<string, number>;
}

/**
 * Every event is either applied (or correctly skipped as stale) with its outcome recorded, or dead-lettered with a
 * reason: the worker's own dead letters carry an error_code; the redrive policy's carry the receive count.
 */
export async function accountForEvents(
  plan: ChaosPlan,
  store: IdempotencyStore<RecordedOutcome>,
  deadLetters: readonly SeenDeadLetter[],
  redriven: readonly { body: string; reason: string }[],
): Promise<Accounting> {
  const problems: string[] = [];
  const redrivenKeys = new Set<string>();
  for (const r of redriven) {
    const key = keyOf(r.body);
    if (key !== undefined) redrivenKeys.add(key);
  }
  const outcomes: Record<string, number> = {};
  const letterCodes: Record<string, number> = {};
  for (const letter of deadLetters) letterCodes[letter.errorCode] = (letterCodes[letter.errorCode] ?? 0) + 1;

  for (const e of plan.events) {
    const record = await store.get(e.key);
    const status =
      record?.status === 'completed'
        ? record.outcome.status
        : e.expect !== 'apply' && record === undefined
          ? 'rejected (dead-lettered, not recorded)'
          : (record?.status ?? 'none');
    outcomes[status] = (outcomes[status] ?? 0) + 1;
    if (redrivenKeys.has(e.key)) continue;
    if (e.expect !== 'apply') {
      // Rejections are not recorded (a redrive after the operator's fix must be tried again, see isFinal in
      // src/apply/apply-change.ts): the dead-letter queue with the right code is their only trace, and must be there.
      if (record?.status === 'completed') {
        problems.push(`${String(e.event.id)}: rejected change was recorded (${record.outcome.status}); it must not be`);
      }
      if (!deadLetters.some((l) => l.idempotencyKey === e.key && l.errorCode === e.expect)) {
        problems.push(`${String(e.event.id)}: expected a dead letter ${e.expect}, found none`);
      }
      continue;
    }
    if (record?.status !== 'completed') {
      problems.push(`${String(e.event.id)}: neither completed nor dead-lettered (record: ${status})`);
      continue;
    }
    const { outcome } = record;
    if (outcome.status !== 'applied' && outcome.status !== 'stale') {
      problems.push(
        `${String(e.event.id)}: expected applied or stale, got ${outcome.status} ${outcome.error_code ?? ''}`,
      );
    }
  }
  for (const body of plan.invalidBodies) {
    const dead = deadLetters.some((l) => l.body === body && l.errorCode === 'invalid_event');
    if (!dead && !redriven.some((r) => r.body === body)) problems.push(`invalid message not dead-lettered: ${body}`);
  }
  const expectedCodes = new Set(['admin_not_found', 'protected_admin', 'invalid_event']);
  for (const letter of deadLetters) {
    if (!expectedCodes.has(letter.errorCode)) {
      problems.push(`unexpected dead letter ${letter.errorCode} for ${letter.idempotencyKey ?? letter.body}`);
    }
  }
  return { problems, redrivenKeys, outcomes, deadLetters: letterCodes };
}

function keyOf(body: string): string | undefined {
  try {
    const event = JSON.parse(body) as { source?: unknown; id?: unknown };
    return typeof event.source === 'string' && typeof event.id === 'string'
      ? idempotencyKey(event.source, event.id)
      : undefined;
  } catch {
    return undefined;
  }
}
