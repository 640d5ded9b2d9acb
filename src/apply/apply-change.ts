import { BridgeError } from '../errors/bridge-error';
import { classifyError } from '../errors/classify-error';
import type { AdminAttribute, AdminAttributes, AdminChange } from '../events/admin-change';
import { PROTECTED_ADMIN_MESSAGE } from '../events/protected-refusal';
import type { ChangeGuard } from '../guard/blast-radius-guard';
import type { Logger } from '../observability/logger';
import { splitStale } from '../ordering/ordering-rule';
import type { ReactivationPolicy } from '../ordering/reactivation-policy';
import type { Deadline } from '../runtime/deadline';
import type { Sleep } from '../runtime/sleep';
import type { AdminLock } from '../state/admin-lock';
import type { IdempotencyStore } from '../state/idempotency-store';
import type { NameCache } from '../state/name-cache';
import type { AdminRef, AttributeVersions, OrderingState, OrderingStore } from '../state/ordering-store';
import { getAdminById, setAdminUserInfo, setAdminUserInfoParams } from '../voximplant/admin-users';
import type { CallOptions, VoximplantClient } from '../voximplant/client';
import { VoximplantError } from '../voximplant/errors';
import { acquireAdminLease } from './admin-busy';
import { isAlreadyApplied } from './already-applied';
import { type ApplyResult, OUR_ERROR_CODES, type RecordedOutcome } from './outcome';
import type { ProtectedGuard } from './protected-guard';
import { resolveAdmin } from './resolve-admin';
import { setAdminUserInfoInput } from './set-admin-user-info-input';

export interface ApplyDeps {
  idempotency: IdempotencyStore<RecordedOutcome>;
  ordering: OrderingStore;
  lock: AdminLock;
  names: NameCache;
  voximplant: VoximplantClient;
  protectedGuard: ProtectedGuard;
  /** REACTIVATION_SOURCES: who may re-activate an admin another source deactivated. */
  reactivation: ReactivationPolicy;
  logger: Logger;
  dryRun: boolean;
  now: () => number;
  sleep: Sleep;
  /** The account the bridge's key belongs to (credentials.json `account_id`). */
  mainAccountId?: () => Promise<number>;
  /** The blast-radius guard (src/guard/); absent: nothing is held. */
  guard?: ChangeGuard;
}

/** The longest an in-progress idempotency record may hold a key; never longer than the caller's remaining time. */
const MAX_LEASE_MS = 15 * 60 * 1000;
const MIN_LEASE_MS = 1_000;

function attributeNames(set: AdminAttributes): AdminAttribute[] {
  return (Object.keys(set) as AdminAttribute[]).filter((k) => set[k] !== undefined);
}

function pick(set: AdminAttributes, keep: readonly AdminAttribute[]): AdminAttributes {
  const out: AdminAttributes = {};
  for (const k of keep) (out as Record<string, unknown>)[k] = set[k];
  return out;
}

export interface ApplyHooks {
  /**
   * Runs with the final outcome before it is recorded (the worker dead-letters rejected and failed changes here).
   * If it throws, nothing is recorded and the change is retried, so a lost dead letter cannot hide behind a
   * completed idempotency record.
   */
  beforeRecord?: (outcome: RecordedOutcome) => Promise<void>;
}

/**
 * Applies one change: idempotency → resolve → protected? → lease → ordering and re-activation policy →
 * SetAdminUserInfo by id → ordering versions → outcome record.
 * Knows nothing of SQS or HTTP: the worker and SCIM both call it and shape the answer themselves.
 */
export async function applyChange(
  change: AdminChange,
  deps: ApplyDeps,
  deadline: Deadline,
  hooks: ApplyHooks = {},
): Promise<ApplyResult> {
  const { logger } = deps;
  const lease = Math.min(MAX_LEASE_MS, Math.max(MIN_LEASE_MS, deadline.remainingMs()));
  const begun = await deps.idempotency.begin(change.idempotencyKey, change.fingerprint, lease);
  switch (begun.state) {
    case 'completed':
      return { kind: 'done', outcome: begun.outcome, duplicate: true };
    case 'in_progress':
      return {
        kind: 'retry',
        code: 'in_progress',
        message: 'the same change is being applied by another invocation',
        retryAfterMs: Math.max(0, begun.leaseExpiresAt - deps.now()),
      };
    case 'mismatch': {
      // Not recorded: the record belongs to the first payload that used this key.
      const rejected = outcome(deps, 'rejected', {
        error_code: OUR_ERROR_CODES.payloadMismatch,
        error_message: 'this source and id were already used for a different change',
      });
      try {
        await hooks.beforeRecord?.(rejected);
      } catch (error) {
        return retryFrom(error);
      }
      return { kind: 'done', duplicate: false, outcome: rejected };
    }
    case 'started':
      break;
  }

  let result: { outcome: RecordedOutcome };
  try {
    result = await applyStarted(change, deps, deadline);
  } catch (error) {
    if (error instanceof VoximplantError && error.kind === 'permanent') {
      // A read before the write was refused for good (a key without GetAdminUsers, say): retrying cannot help, so
      // the change fails now, with Voximplant's code, instead of cycling until SQS gives up on it without a reason.
      return finish(change, deps, hooks, { outcome: failedOutcome(deps, error) });
    }
    await deps.idempotency.release(change.idempotencyKey, change.fingerprint).catch((releaseError: unknown) => {
      // The lease expires on its own; the redelivery then takes the key over.
      logger.warn('could not release idempotency record', { error: errorName(releaseError) });
    });
    return retryFrom(error);
  }
  return finish(change, deps, hooks, result);
}

/** Runs the hook with the final outcome, then records it (or releases the key: see isFinal). */
async function finish(
  change: AdminChange,
  deps: ApplyDeps,
  hooks: ApplyHooks,
  result: { outcome: RecordedOutcome },
): Promise<ApplyResult> {
  try {
    await hooks.beforeRecord?.(result.outcome);
  } catch (error) {
    await deps.idempotency.release(change.idempotencyKey, change.fingerprint).catch(() => undefined);
    return retryFrom(error);
  }
  if (deps.dryRun || !isFinal(result.outcome)) {
    await deps.idempotency.release(change.idempotencyKey, change.fingerprint);
  } else {
    await deps.idempotency.complete(change.idempotencyKey, change.fingerprint, result.outcome);
  }
  return { kind: 'done', outcome: result.outcome, duplicate: false };
}

async function applyStarted(
  original: AdminChange,
  deps: ApplyDeps,
  deadline: Deadline,
): Promise<{ outcome: RecordedOutcome }> {
  const change = await withCanonicalAccount(original, deps);
  const readOpts: CallOptions = { deadline, accountId: change.target.accountId };
  const { target } = change;
  const refusal = deps.protectedGuard.refusalOf(change);
  if (refusal !== undefined) {
    return { outcome: outcome(deps, 'rejected', { error_code: refusal.code, error_message: refusal.message }) };
  }

  const resolution = await resolveAdmin(target, deps, readOpts);
  if (resolution.kind === 'not_found') {
    return {
      outcome: outcome(deps, 'rejected', {
        error_code: OUR_ERROR_CODES.adminNotFound,
        error_message: `no admin user is named exactly "${target.adminUserName ?? target.adminUserId}"`,
      }),
    };
  }
  const adminUserId = resolution.adminUserId;
  if (
    await deps.protectedGuard.isProtected(
      deps.voximplant,
      target.accountId,
      adminUserId,
      resolution.adminUserName ?? target.adminUserName,
      readOpts,
    )
  ) {
    return {
      outcome: outcome(deps, 'rejected', {
        error_code: OUR_ERROR_CODES.protectedAdmin,
        error_message: PROTECTED_ADMIN_MESSAGE,
      }),
    };
  }

  const admin = { accountId: target.accountId, adminUserId };
  if (deps.dryRun) return dryRun(change, deps, admin);
  // --- blast-radius guard seam (src/guard/): a change past the account's threshold is stored as held, not applied.
  const held = await deps.guard?.admit(change, admin, readOpts);
  if (held !== undefined) {
    return {
      outcome: outcome(deps, 'held', { admin_user_id: adminUserId, error_code: held.code, error_message: held.reason }),
    };
  }
  // --- end of the guard seam
  await acquireAdminLease(deps.lock, admin, change.idempotencyKey, deadline, deps.sleep);
  try {
    return await checkSendRecord(change, deps, deadline, admin);
  } finally {
    await deps.lock.release(admin, change.idempotencyKey).catch(() => undefined);
  }
}

/**
 * What the change may do against the recorded versions, under the ordering rule and REACTIVATION_SOURCES: the
 * attributes to send and the stale ones, or the outcome that ends it (all stale, or a refused re-activation).
 */
function decide(
  change: AdminChange,
  deps: ApplyDeps,
  admin: AdminRef,
  versions: AttributeVersions,
): { apply: AdminAttribute[]; stale: AdminAttribute[] } | { outcome: RecordedOutcome } {
  const { apply, stale } = splitStale(attributeNames(change.set), change, versions);
  if (apply.length === 0) {
    return { outcome: outcome(deps, 'stale', { admin_user_id: admin.adminUserId, stale }) };
  }
  if (apply.includes('active') && change.set.active === true) {
    const refusal = deps.reactivation.refusal(change.source, versions.active);
    if (refusal !== undefined) {
      deps.logger.warn('re-activation refused', {
        event_id: change.eventId,
        source: change.source,
        admin_user_id: admin.adminUserId,
        deactivated_by: versions.active?.source ?? 'unknown',
        reason: refusal,
      });
      return {
        outcome: outcome(deps, 'rejected', {
          admin_user_id: admin.adminUserId,
          error_code: OUR_ERROR_CODES.reactivationNotAllowed,
          error_message: refusal,
        }),
      };
    }
  }
  return { apply, stale };
}

/** How long an unsettled mark of another change holds older changes back; after that it counts as not applied. */
export const PENDING_WAIT_MS = 15 * 60 * 1000;

/** Another change to the same attribute reached Voximplant with its outcome unknown; this older one waits for it. */
export class OrderingPendingError extends BridgeError {
  declare readonly code: 'ordering_pending';
  constructor(adminUserId: number) {
    super('ordering_pending', `a newer change to admin ${adminUserId} was sent and is not settled yet`, {
      retry: 'transient',
      retryAfterMs: 5_000,
    });
    this.name = 'OrderingPendingError';
  }
}

/**
 * A mark left by another change whose holder died or gave up mid-call may describe a write that landed in
 * Voximplant but is not in the applied versions. When this change would be stale against that write, sending it
 * could land an older value after a newer one; it is retried instead, and the marked change's own retry settles the
 * mark (records it, or removes it when refused).
 */
function waitForPending(
  change: AdminChange,
  deps: ApplyDeps,
  adminUserId: number,
  attributes: readonly AdminAttribute[],
  pending: OrderingState['pending'],
): void {
  for (const a of attributes) {
    const mark = pending[a];
    if (mark === undefined || deps.now() - mark.markedAtMs > PENDING_WAIT_MS) continue;
    if (splitStale([a], change, { [a]: mark }).stale.length > 0) throw new OrderingPendingError(adminUserId);
  }
}

/** A dry run reads the versions and writes none, so it leaves no trace that could make a real change stale. */
async function dryRun(change: AdminChange, deps: ApplyDeps, admin: AdminRef): Promise<{ outcome: RecordedOutcome }> {
  const decision = decide(change, deps, admin, await deps.ordering.versions(admin));
  if ('outcome' in decision) return decision;
  const { apply, stale } = decision;
  const params = setAdminUserInfoParams(setAdminUserInfoInput(admin.adminUserId, pick(change.set, apply)));
  if ('new_admin_user_password' in params) params.new_admin_user_password = '[redacted]';
  deps.logger.info('dry run: would call SetAdminUserInfo', { method: 'SetAdminUserInfo', params });
  return { outcome: outcome(deps, 'applied', { admin_user_id: admin.adminUserId, applied: apply, stale }) };
}

/**
 * Under the per-admin lease: compare with the recorded versions, call Voximplant, and record the versions only once
 * Voximplant took the change (or a re-read confirmed it). A refused or failed change records nothing, so it cannot
 * make a later change stale. A crash between the call and the record is safe: the redelivery finds the old versions,
 * sends the same absolute values again, and records them; a crash after the record finds its own event id, which
 * is never stale.
 */
async function checkSendRecord(
  change: AdminChange,
  deps: ApplyDeps,
  deadline: Deadline,
  admin: AdminRef,
): Promise<{ outcome: RecordedOutcome }> {
  const { target } = change;
  const { adminUserId } = admin;
  const readOpts: CallOptions = { deadline, accountId: target.accountId };
  const state = await deps.ordering.state(admin);
  const decision = decide(change, deps, admin, state.applied);
  if ('outcome' in decision) return decision;
  const { apply, stale } = decision;
  waitForPending(change, deps, adminUserId, apply, state.pending);
  const set = pick(change.set, apply);
  const input = setAdminUserInfoInput(adminUserId, set);
  await deps.ordering.markPending(admin, apply, change, deps.now());

  let call: Awaited<ReturnType<typeof setAdminUserInfo>>;
  try {
    call = await setAdminUserInfo(deps.voximplant, input, {
      deadline,
      idempotencyKey: change.idempotencyKey,
      accountId: target.accountId,
      verify: async () =>
        isAlreadyApplied(await getAdminById(deps.voximplant, adminUserId, { ...readOpts, retry: false }), set),
    });
  } catch (error) {
    if (error instanceof VoximplantError && error.kind === 'permanent') {
      // Refused for good: nothing landed, so nothing may stay behind.
      await deps.ordering.clearPending(admin, apply, change.eventId);
      return { outcome: failedOutcome(deps, error, adminUserId) };
    }
    // Outcome unknown (or not reached): the mark stays until this change's retry settles it.
    throw error;
  }
  const recorded = await deps.ordering.record(admin, apply, change);
  await deps.ordering.clearPending(admin, apply, change.eventId);
  if (recorded.overtaken.length > 0) {
    // Only when the lease ran out during the call: a newer change was recorded meanwhile and keeps its version.
    deps.logger.warn('a newer change was recorded while this one was in flight', {
      event_id: change.eventId,
      admin_user_id: adminUserId,
      attributes: recorded.overtaken,
    });
  }
  if (set.name !== undefined) {
    deps.protectedGuard.renamed(target.accountId, adminUserId, set.name);
    await rememberRename(deps.names, target, set.name, adminUserId);
  }
  return {
    outcome: outcome(deps, 'applied', {
      admin_user_id: adminUserId,
      applied: apply,
      stale,
      attempts: call.attempts,
      verified: call.verified,
    }),
  };
}

/**
 * An event may name the main account by its id or not at all; both mean the same admins. Ordering versions, the
 * per-admin lease and the name cache are keyed by account, so the two spellings are made one here: otherwise a
 * deactivation sent with `account_id` and a late activation sent without it would not see each other.
 */
async function withCanonicalAccount(change: AdminChange, deps: ApplyDeps): Promise<AdminChange> {
  if (change.target.accountId === undefined || deps.mainAccountId === undefined) return change;
  if (change.target.accountId !== (await deps.mainAccountId())) return change;
  const { accountId: _main, ...target } = change.target;
  return { ...change, target };
}

/** After a rename the old name no longer points here and the new one does. */
async function rememberRename(names: NameCache, target: AdminChange['target'], newName: string, id: number) {
  if (target.adminUserName !== undefined) await names.forget(target.accountId, target.adminUserName);
  await names.put(target.accountId, newName, id);
}

/**
 * Which outcomes close an idempotency key for good. Applied and stale do: a duplicate must change nothing. Rejected
 * and failed do not: they are already in the dead-letter queue, and an operator who fixes the cause (a role, a
 * protected list, a missing admin) redrives that message and expects it to be tried again, not answered from a record.
 * Trying again is safe: the ordering guard still skips it if a newer change was applied meanwhile, and a change that
 * fails again is dead-lettered again (each dead letter has a deduplication id of its own). Nothing is recorded in a dry run
 * either, so switching DRY_RUN off later applies the same changes for real.
 */
function isFinal(result: RecordedOutcome): boolean {
  return result.status === 'applied' || result.status === 'stale';
}

function failedOutcome(deps: ApplyDeps, error: VoximplantError, adminUserId?: number): RecordedOutcome {
  return outcome(deps, 'failed', {
    ...(adminUserId !== undefined && { admin_user_id: adminUserId }),
    error_code: error.voximplantCode !== undefined ? String(error.voximplantCode) : error.code,
    error_message: error.voximplantMessage ?? error.message,
    attempts: error.attempts,
  });
}

function outcome(
  deps: ApplyDeps,
  status: RecordedOutcome['status'],
  fields: Partial<Omit<RecordedOutcome, 'status' | 'at'>>,
): RecordedOutcome {
  return {
    status,
    applied: [],
    stale: [],
    attempts: 0,
    verified: false,
    ...fields,
    at: new Date(deps.now()).toISOString(),
  };
}

/** Any failure that leaves the change to a later attempt: its code, message and wait, as classifyError reads them. */
function retryFrom(error: unknown): ApplyResult {
  const failure = classifyError(error);
  return {
    kind: 'retry',
    code: failure.code,
    message: failure.message,
    ...(failure.retryAfterMs !== undefined && { retryAfterMs: failure.retryAfterMs }),
  };
}

function errorName(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : 'unknown error';
}
