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
import type { ChangeStore } from '../state/change-store';
import { StateError } from '../state/errors';
import type { BeginResult } from '../state/idempotency-store';
import type { NameCache } from '../state/name-cache';
import type { AdminRef, AttributeVersions, OrderingState, OrderingStore } from '../state/ordering-store';
import { getAdminById, setAdminUserInfo, setAdminUserInfoParams } from '../voximplant/admin-users';
import type { CallOptions, VoximplantClient } from '../voximplant/client';
import { VoximplantError } from '../voximplant/errors';
import { BusyWait } from './admin-busy';
import { isAlreadyApplied } from './already-applied';
import { type ApplyResult, OUR_ERROR_CODES, type RecordedOutcome } from './outcome';
import type { ProtectedGuard } from './protected-guard';
import { resolveAdmin } from './resolve-admin';
import { setAdminUserInfoInput } from './set-admin-user-info-input';

export interface ApplyDeps {
  /** Idempotency record, per-admin lease, pending marks and versions, claimed and settled together. */
  changes: ChangeStore<RecordedOutcome>;
  /** The versions on their own: dry runs, the blast-radius guard, SCIM and reconcile read them. */
  ordering: OrderingStore;
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
/** Claims refused by an item that then allowed them (it changed in between) before giving up on contention. */
const MAX_REFUSED_CLAIMS = 4;

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
 * Applies one change: resolve → protected? → claim (idempotency, lease, ordering and re-activation policy in one
 * conditional write) → blast-radius guard → SetAdminUserInfo by id → settle (outcome, versions, lease in one write).
 * Knows nothing of SQS or HTTP: the worker and SCIM both call it and shape the answer themselves.
 *
 * A duplicate is answered by the claim from its completed record. A change decided before the claim (refused by
 * the protected list, an unknown admin, a dry run) or by a refused claim (all stale, a refused re-activation)
 * leaves no trace but a stale change's completed record, so a later change is never judged against it.
 */
export async function applyChange(
  change: AdminChange,
  deps: ApplyDeps,
  deadline: Deadline,
  hooks: ApplyHooks = {},
): Promise<ApplyResult> {
  let target: Awaited<ReturnType<typeof prepare>>;
  try {
    target = await prepare(change, deps, deadline);
  } catch (error) {
    if (error instanceof VoximplantError && error.kind === 'permanent') {
      // A read before the write was refused for good (a key without GetAdminUsers, say): retrying cannot help, so
      // the change fails now, with Voximplant's code, instead of cycling until SQS gives up on it without a reason.
      return decided(hooks, failedOutcome(deps, error));
    }
    return retryOrThrow(error);
  }
  if ('outcome' in target) return decided(hooks, target.outcome);
  if ('early' in target) return answerOf(target.early, deps, hooks);

  let claimed: Claimed | { result: ApplyResult } | { unclaimed: RecordedOutcome };
  try {
    claimed = await claim(target, deps, deadline, hooks);
  } catch (error) {
    return retryOrThrow(error);
  }
  if ('result' in claimed) return claimed.result;
  if ('unclaimed' in claimed) {
    const stale = claimed.unclaimed;
    try {
      await hooks.beforeRecord?.(stale);
    } catch (error) {
      return retryFrom(error);
    }
    await deps.changes.closeUnclaimed(change.idempotencyKey, change.fingerprint, stale);
    return { kind: 'done', outcome: stale, duplicate: false };
  }
  return sendAndSettle(claimed, deps, deadline, hooks);
}

/** The change with its admin resolved and allowed, before anything is written. */
interface Targeted {
  change: AdminChange;
  admin: AdminRef;
}

/** A claimed change: the attributes it holds the lease and the marks for, and those it skips as stale. */
interface Claimed extends Targeted {
  apply: AdminAttribute[];
  stale: AdminAttribute[];
}

/** An outcome decided without a record (rejected, held, a dry run): the hook sees it, nothing is stored. */
async function decided(hooks: ApplyHooks, result: RecordedOutcome): Promise<ApplyResult> {
  try {
    await hooks.beforeRecord?.(result);
  } catch (error) {
    return retryFrom(error);
  }
  return { kind: 'done', outcome: result, duplicate: false };
}

/** A name cache whose first read of one name was already made. */
function prefetched(
  names: NameCache,
  accountId: number | undefined,
  name: string,
  cached: number | undefined,
): NameCache {
  let used = false;
  return {
    get: async (account, n) => {
      if (!used && account === accountId && n === name) {
        used = true;
        return cached;
      }
      return names.get(account, n);
    },
    put: (account, n, id) => names.put(account, n, id),
    forget: (account, n) => names.forget(account, n),
  };
}

type Early = Exclude<BeginResult<RecordedOutcome>, { state: 'started' }>;

async function prepare(
  original: AdminChange,
  deps: ApplyDeps,
  deadline: Deadline,
): Promise<Targeted | { outcome: RecordedOutcome } | { early: Early }> {
  const change = await withCanonicalAccount(original, deps);
  const readOpts: CallOptions = { deadline, accountId: change.target.accountId };
  const { target } = change;
  const refusal = deps.protectedGuard.refusalOf(change);
  if (refusal !== undefined) {
    return { outcome: outcome(deps, 'rejected', { error_code: refusal.code, error_message: refusal.message }) };
  }

  let names = deps.names;
  if (target.adminUserId === undefined && target.adminUserName !== undefined) {
    // A name costs Voximplant reads to resolve, and a duplicate must call nothing: the key's record is read first,
    // beside the name cache, and answers a duplicate on its own.
    const name = target.adminUserName;
    const [early, cached] = await Promise.all([
      deps.changes.peek(change.idempotencyKey, change.fingerprint),
      deps.names.get(target.accountId, name),
    ]);
    if (early !== undefined) return { early };
    names = prefetched(deps.names, target.accountId, name, cached);
  }
  const resolution = await resolveAdmin(target, { voximplant: deps.voximplant, names }, readOpts);
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
  return { change, admin };
}

/**
 * Claims the change for the attributes it still wins. A refused claim comes back with the admin's item, and the
 * same rules in TypeScript say why: every attribute stale (the stale outcome, recorded without a claim), a refused
 * re-activation, the lease held by another change (wait, then AdminBusyError), a pending mark to wait for
 * (OrderingPendingError), or some attributes stale (claim the rest). After the claim, the blast-radius guard
 * counts or holds a change of `active`.
 */
async function claim(
  target: Targeted,
  deps: ApplyDeps,
  deadline: Deadline,
  hooks: ApplyHooks,
): Promise<Claimed | { result: ApplyResult } | { unclaimed: RecordedOutcome }> {
  const { change, admin } = target;
  const leaseMs = Math.min(MAX_LEASE_MS, Math.max(MIN_LEASE_MS, deadline.remainingMs()));
  const busy = new BusyWait(admin.adminUserId, deadline, deps.sleep);
  let apply = attributeNames(change.set);
  let stale: AdminAttribute[] = [];
  for (let refused = 0; ; ) {
    const answer = await deps.changes.claim({
      key: change.idempotencyKey,
      fingerprint: change.fingerprint,
      leaseMs,
      admin,
      attributes: apply,
      change,
      reactivationListed: deps.reactivation.lists(change.source),
      pendingCutoffMs: deps.now() - PENDING_WAIT_MS,
    });
    switch (answer.state) {
      case 'claimed':
        return guarded({ change, admin, apply, stale }, deps, deadline, hooks);
      case 'completed':
      case 'in_progress':
      case 'mismatch':
        return { result: await answerOf(answer, deps, hooks) };
      case 'busy':
        await busy.pause();
        continue;
      case 'refused': {
        const state = answer.admin;
        const decision = decide(change, deps, admin, state.applied);
        // Versions only grow, so a change stale now stays stale whoever holds the lease.
        if ('outcome' in decision && decision.outcome.status === 'stale') return { unclaimed: decision.outcome };
        const lease = state.lease;
        if (lease !== undefined && lease.owner !== change.idempotencyKey && !(lease.expiresAtMs < deps.now())) {
          await busy.pause();
          continue;
        }
        if ('outcome' in decision) return { result: await decided(hooks, decision.outcome) };
        waitForPending(change, deps, admin.adminUserId, decision.apply, state.pending);
        const narrowed = decision.apply.length !== apply.length;
        apply = decision.apply;
        stale = decision.stale;
        if (!narrowed && ++refused >= MAX_REFUSED_CLAIMS) {
          throw new StateError(
            'state_contention',
            `the state of admin ${admin.adminUserId} kept changing; gave up after ${refused} claims`,
          );
        }
      }
    }
  }
}

/** What an existing record of the key answers: a duplicate, a change in progress elsewhere, another payload. */
async function answerOf(early: Early, deps: ApplyDeps, hooks: ApplyHooks): Promise<ApplyResult> {
  switch (early.state) {
    case 'completed':
      return { kind: 'done', outcome: early.outcome, duplicate: true };
    case 'in_progress':
      return {
        kind: 'retry',
        code: 'in_progress',
        message: 'the same change is being applied by another invocation',
        retryAfterMs: Math.max(0, early.leaseExpiresAt - deps.now()),
      };
    case 'mismatch':
      // Not recorded: the record belongs to the first payload that used this key.
      return decided(
        hooks,
        outcome(deps, 'rejected', {
          error_code: OUR_ERROR_CODES.payloadMismatch,
          error_message: 'this source and id were already used for a different change',
        }),
      );
  }
}

/** The guard seam (src/guard/): a change of `active` past the account's threshold is stored as held, not sent. */
async function guarded(
  claimed: Claimed,
  deps: ApplyDeps,
  deadline: Deadline,
  hooks: ApplyHooks,
): Promise<Claimed | { result: ApplyResult }> {
  if (deps.guard === undefined || !claimed.apply.includes('active')) return claimed;
  const { change, admin } = claimed;
  let held: Awaited<ReturnType<ChangeGuard['admit']>>;
  try {
    held = await deps.guard.admit(change, admin, { deadline, accountId: change.target.accountId }, { notStale: true });
  } catch (error) {
    await releaseClaim(deps, claimed, true);
    throw error;
  }
  if (held === undefined) return claimed;
  await releaseClaim(deps, claimed, true);
  return {
    result: await decided(
      hooks,
      outcome(deps, 'held', { admin_user_id: admin.adminUserId, error_code: held.code, error_message: held.reason }),
    ),
  };
}

/** Gives the key and the lease back; a lost release only waits for the leases to run out. */
async function releaseClaim(deps: ApplyDeps, claimed: Claimed, clearPending: boolean): Promise<void> {
  await deps.changes
    .release({
      key: claimed.change.idempotencyKey,
      fingerprint: claimed.change.fingerprint,
      admin: claimed.admin,
      attributes: claimed.apply,
      eventId: claimed.change.eventId,
      clearPending,
    })
    .catch((error: unknown) => {
      deps.logger.warn('could not release the claim of a change; its leases run out on their own', {
        event_id: claimed.change.eventId,
        error: errorName(error),
      });
    });
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
 * Under the claim: call Voximplant, and settle (record the versions) only once Voximplant took the change (or a
 * re-read confirmed it). A refused or failed change records nothing, so it cannot make a later change stale. A crash
 * between the call and the settle is safe: the pending marks stay, the redelivery's claim finds its own event id in
 * them (never stale), sends the same absolute values again and settles; a crash after the settle finds the completed
 * record.
 */
async function sendAndSettle(
  claimed: Claimed,
  deps: ApplyDeps,
  deadline: Deadline,
  hooks: ApplyHooks,
): Promise<ApplyResult> {
  const { change, admin, apply, stale } = claimed;
  const { target } = change;
  const { adminUserId } = admin;
  const readOpts: CallOptions = { deadline, accountId: target.accountId };
  const set = pick(change.set, apply);
  let call: Awaited<ReturnType<typeof setAdminUserInfo>>;
  try {
    call = await setAdminUserInfo(deps.voximplant, setAdminUserInfoInput(adminUserId, set), {
      deadline,
      idempotencyKey: change.idempotencyKey,
      accountId: target.accountId,
      verify: async () =>
        isAlreadyApplied(await getAdminById(deps.voximplant, adminUserId, { ...readOpts, retry: false }), set),
    });
  } catch (error) {
    if (error instanceof VoximplantError && error.kind === 'permanent') {
      // Refused for good: nothing landed, so nothing may stay behind; the key is given back for a redrive.
      const failed = failedOutcome(deps, error, adminUserId);
      await releaseClaim(deps, claimed, true);
      return decided(hooks, failed);
    }
    // Outcome unknown (or not reached): the marks stay until this change's retry settles them.
    await releaseClaim(deps, claimed, false);
    return retryFrom(error);
  }
  const applied = outcome(deps, 'applied', {
    admin_user_id: adminUserId,
    applied: apply,
    stale,
    attempts: call.attempts,
    verified: call.verified,
  });
  try {
    await hooks.beforeRecord?.(applied);
  } catch (error) {
    // Voximplant took it: the marks stay, so the retry sends the same values again and settles.
    await releaseClaim(deps, claimed, false);
    return retryFrom(error);
  }
  const { overtaken } = await deps.changes.settle({
    key: change.idempotencyKey,
    fingerprint: change.fingerprint,
    admin,
    attributes: apply,
    change,
    outcome: applied,
  });
  if (overtaken.length > 0) {
    // Only when the lease ran out during the call: a newer change was recorded meanwhile and keeps its version.
    deps.logger.warn('a newer change was recorded while this one was in flight', {
      event_id: change.eventId,
      admin_user_id: adminUserId,
      attributes: overtaken,
    });
  }
  if (set.name !== undefined) {
    deps.protectedGuard.renamed(target.accountId, adminUserId, set.name);
    await rememberRename(deps.names, target, set.name, adminUserId);
  }
  return { kind: 'done', outcome: applied, duplicate: false };
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

/**
 * A malformed item in the state table fails every attempt the same way, so it is not a retry: it propagates, and
 * the caller dead-letters the change with its code (src/worker/process-batch.ts) or answers 500 (SCIM).
 */
function retryOrThrow(error: unknown): ApplyResult {
  if (error instanceof StateError && error.retry === 'permanent') throw error;
  return retryFrom(error);
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
