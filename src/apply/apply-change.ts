import type { AdminAttribute, AdminAttributes, AdminChange } from '../events/admin-change';
import { PROTECTED_ADMIN_MESSAGE } from '../events/protected-refusal';
import type { Logger } from '../observability/logger';
import type { Deadline } from '../runtime/deadline';
import type { Sleep } from '../runtime/sleep';
import type { AdminLock } from '../state/admin-lock';
import type { IdempotencyStore } from '../state/idempotency-store';
import type { NameCache } from '../state/name-cache';
import { type AdminRef, type OrderingStore, splitStale } from '../state/ordering-store';
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
  logger: Logger;
  dryRun: boolean;
  now: () => number;
  sleep: Sleep;
  /** The account the bridge's key belongs to (credentials.json `account_id`). */
  mainAccountId?: () => Promise<number>;
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
 * Applies one change (CONTRACT §6): idempotency → resolve → protected? → ordering → SetAdminUserInfo by id → record.
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
  await acquireAdminLease(deps.lock, admin, change.idempotencyKey, deadline, deps.sleep);
  try {
    return await claimAndSend(change, deps, deadline, admin);
  } finally {
    await deps.lock.release(admin, change.idempotencyKey).catch(() => undefined);
  }
}

/** A dry run reads the versions instead of claiming them, so it leaves no trace that could make a real change stale. */
async function dryRun(change: AdminChange, deps: ApplyDeps, admin: AdminRef): Promise<{ outcome: RecordedOutcome }> {
  const { claimed, stale } = splitStale(attributeNames(change.set), await deps.ordering.versions(admin), change.timeMs);
  if (claimed.length === 0) {
    return { outcome: outcome(deps, 'stale', { admin_user_id: admin.adminUserId, stale }) };
  }
  const params = setAdminUserInfoParams(setAdminUserInfoInput(admin.adminUserId, pick(change.set, claimed)));
  if ('new_admin_user_password' in params) params.new_admin_user_password = '[redacted]';
  deps.logger.info('dry run: would call SetAdminUserInfo', { method: 'SetAdminUserInfo', params });
  return { outcome: outcome(deps, 'applied', { admin_user_id: admin.adminUserId, applied: claimed, stale }) };
}

async function claimAndSend(
  change: AdminChange,
  deps: ApplyDeps,
  deadline: Deadline,
  admin: AdminRef,
): Promise<{ outcome: RecordedOutcome }> {
  const { target } = change;
  const { adminUserId } = admin;
  const readOpts: CallOptions = { deadline, accountId: target.accountId };
  const { claimed, stale } = await deps.ordering.claim(
    admin,
    attributeNames(change.set),
    change.timeMs,
    change.eventId,
  );
  if (claimed.length === 0) {
    return { outcome: outcome(deps, 'stale', { admin_user_id: adminUserId, stale }) };
  }
  const set = pick(change.set, claimed);
  const input = setAdminUserInfoInput(adminUserId, set);

  try {
    const call = await setAdminUserInfo(deps.voximplant, input, {
      deadline,
      idempotencyKey: change.idempotencyKey,
      accountId: target.accountId,
      verify: async () =>
        isAlreadyApplied(await getAdminById(deps.voximplant, adminUserId, { ...readOpts, retry: false }), set),
    });
    if (set.name !== undefined) {
      deps.protectedGuard.renamed(target.accountId, adminUserId, set.name);
      await rememberRename(deps.names, target, set.name, adminUserId);
    }
    return {
      outcome: outcome(deps, 'applied', {
        admin_user_id: adminUserId,
        applied: claimed,
        stale,
        attempts: call.attempts,
        verified: call.verified,
      }),
    };
  } catch (error) {
    if (error instanceof VoximplantError && error.kind === 'permanent') {
      return { outcome: failedOutcome(deps, error, adminUserId) };
    }
    throw error;
  }
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
 * Trying again is safe: the ordering claim still skips it if a newer change came meanwhile, and the dead-letter queue
 * drops a repeat within five minutes (its deduplication id is the idempotency key). Nothing is recorded in a dry run
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

function retryFrom(error: unknown): ApplyResult {
  if (error instanceof VoximplantError) {
    return {
      kind: 'retry',
      code: error.code,
      message: error.message,
      ...(error.retryAfterMs !== undefined && { retryAfterMs: error.retryAfterMs }),
    };
  }
  const code = error instanceof Error && typeof (error as { code?: unknown }).code === 'string';
  return {
    kind: 'retry',
    code: code ? (error as unknown as { code: string }).code : 'internal',
    message: errorName(error),
  };
}

function errorName(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : 'unknown error';
}
