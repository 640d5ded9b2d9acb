import { randomUUID } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type ApplyDeps, applyChange } from '../apply/apply-change';
import type { ApplyResult } from '../apply/outcome';
import type { AuditEntry, AuditStatus } from '../audit/audit-entry';
import type { AuditSink } from '../audit/audit-sink';
import { classifyError } from '../errors/classify-error';
import type { AdminChange } from '../events/admin-change';
import { count, type Metrics } from '../observability/metrics';
import type { Deadline } from '../runtime/deadline';
import { accountSegment } from '../state/keys';
import type { AdminRef } from '../state/ordering-store';
import type { AdminUser } from '../voximplant/admin-users';
import type { CallOptions } from '../voximplant/client';
import { adminUserPages } from '../voximplant/get-admin-users';
import { type Drift, findDrift } from './find-drift';
import { managedAdmins } from './managed-admins';
import type { DriftAction, DriftRecord, ReconcileFailure, ReconcileResult } from './reconcile-result';
import { groupByVersion, RECONCILE_SOURCE, repairChange } from './repair-change';

export interface ReconcileDeps {
  apply: ApplyDeps;
  doc: DynamoDBDocumentClient;
  table: string;
  audit: AuditSink;
  metrics?: Metrics;
  newRunId?: () => string;
}

export interface ReconcileOptions {
  /** `report` records and alerts only; `repair` applies the recorded value again (RECONCILE_MODE). */
  mode: 'repair' | 'report';
}

/** Below this much time left no further admin is started: its repair could not finish its retries. */
export const MIN_TIME_PER_ADMIN_MS = 2_000;

/**
 * One reconcile run (docs/OPERATIONS.md#reconcile): for every account the bridge holds ordering versions in, page
 * GetAdminUsers, compare each managed admin's live `active`, name and display name with the value last applied, and
 * act on each difference. A repair goes through applyChange like any change (lease, protected admins, ordering), as
 * the recorded version itself, so it can never undo a newer change. Protected admins are skipped before anything is
 * compared; admins without versions are counted as unmanaged and left alone. A Voximplant or DynamoDB failure ends
 * that account's part of the run, classified and logged; nothing is written for it, and the next run tries again.
 */
export async function runReconcile(
  deps: ReconcileDeps,
  opts: ReconcileOptions,
  deadline: Deadline,
): Promise<ReconcileResult> {
  const { apply } = deps;
  const { logger } = apply;
  const runId = deps.newRunId?.() ?? `reconcile-${randomUUID()}`;
  const result: ReconcileResult = {
    run_id: runId,
    mode: opts.mode,
    started_at: new Date(apply.now()).toISOString(),
    finished_at: '',
    accounts: 0,
    managed: 0,
    checked: 0,
    unmanaged: 0,
    protected: 0,
    missing: 0,
    unknown: 0,
    drift: [],
    drift_found: 0,
    drift_repaired: 0,
    failures: [],
    complete: true,
  };
  const fail = (failure: ReconcileFailure) => {
    result.failures.push(failure);
    result.complete = false;
    logger.error('reconcile failed', { run_id: runId, ...failure });
    if (deps.metrics) count(deps.metrics, 'ReconcileFailed');
  };

  let managed: Awaited<ReturnType<typeof managedAdmins>>;
  try {
    managed = await managedAdmins(deps.doc, deps.table);
  } catch (error) {
    const failure = classifyError(error);
    fail({ account: '*', error_code: failure.code, message: failure.message });
    return finish(deps, result);
  }

  for (const [accountId, ids] of managed) {
    const account = accountSegment(accountId);
    result.accounts += 1;
    result.managed += ids.length;
    const readOpts: CallOptions = { deadline, ...(accountId !== undefined && { accountId }) };
    let live: Map<number, AdminUser>;
    try {
      live = new Map();
      for await (const page of adminUserPages(apply.voximplant, {}, readOpts)) {
        for (const admin of page) live.set(admin.admin_user_id, admin);
      }
    } catch (error) {
      const failure = classifyError(error);
      fail({ account, error_code: failure.code, message: failure.message });
      continue;
    }
    const managedIds = new Set(ids);
    for (const admin of live.values()) {
      if (managedIds.has(admin.admin_user_id)) continue;
      if (await isProtected(apply, accountId, admin, readOpts)) result.protected += 1;
      else result.unmanaged += 1;
    }

    for (const id of ids) {
      if (deadline.remainingMs() < MIN_TIME_PER_ADMIN_MS) {
        result.complete = false;
        logger.warn('reconcile stopped: too little time left; the next run goes on', {
          run_id: runId,
          account,
          admin_user_id: id,
          remaining_ms: Math.round(deadline.remainingMs()),
        });
        return finish(deps, result);
      }
      const admin = live.get(id);
      if (admin === undefined) {
        result.missing += 1;
        logger.warn('managed admin not found in Voximplant', { run_id: runId, account, admin_user_id: id });
        continue;
      }
      if (await isProtected(apply, accountId, admin, readOpts)) {
        result.protected += 1;
        logger.info('protected admin skipped', { run_id: runId, account, admin_user_id: id });
        continue;
      }
      const ref: AdminRef = { ...(accountId !== undefined && { accountId }), adminUserId: id };
      try {
        await reconcileAdmin(deps, opts, deadline, runId, ref, admin, result);
      } catch (error) {
        const failure = classifyError(error);
        fail({ account, admin_user_id: id, error_code: failure.code, message: failure.message });
      }
    }
  }
  return finish(deps, result);
}

async function isProtected(
  apply: ApplyDeps,
  accountId: number | undefined,
  admin: AdminUser,
  opts: CallOptions,
): Promise<boolean> {
  return apply.protectedGuard.isProtected(
    apply.voximplant,
    accountId,
    admin.admin_user_id,
    admin.admin_user_name,
    opts,
  );
}

function finish(deps: ReconcileDeps, result: ReconcileResult): ReconcileResult {
  result.finished_at = new Date(deps.apply.now()).toISOString();
  const { drift, ...summary } = result;
  deps.apply.logger.info('reconcile run finished', { ...summary, drift_records: drift.length });
  return result;
}

async function reconcileAdmin(
  deps: ReconcileDeps,
  opts: ReconcileOptions,
  deadline: Deadline,
  runId: string,
  ref: AdminRef,
  admin: AdminUser,
  result: ReconcileResult,
): Promise<void> {
  const { logger } = deps.apply;
  const versions = await deps.apply.ordering.versions(ref);
  const found = findDrift(admin, versions);
  result.checked += 1;
  result.unknown += found.unknown.length;
  for (const group of groupByVersion(found.drift)) {
    const change = repairChange(runId, ref, group);
    const record: DriftRecord = {
      account: accountSegment(ref.accountId),
      admin_user_id: ref.adminUserId,
      admin_user_name: admin.admin_user_name,
      attributes: group.map(({ attribute, desired, live }) => ({ attribute, desired, live })),
      source: change.source,
      event_id: change.eventId,
      action: 'reported',
    };
    result.drift_found += 1;
    if (deps.metrics) count(deps.metrics, 'DriftFound');
    // A security signal: someone changed a managed admin outside the bridge (infra/alarms.yml alarms on it).
    logger.warn('drift found', { run_id: runId, mode: opts.mode, ...record });
    await deps.audit.record(auditEntry(runId, change, record, group, 'drift', deps.apply.now()));

    if (opts.mode === 'repair') {
      const applied = await repair(deps, change, deadline);
      record.action = applied.action;
      if (applied.errorCode !== undefined) record.error_code = applied.errorCode;
      if (applied.action === 'repaired') {
        result.drift_repaired += 1;
        if (deps.metrics) count(deps.metrics, 'DriftRepaired');
      } else if (applied.action === 'failed' && deps.metrics) count(deps.metrics, 'ReconcileFailed');
      logger.info('drift repair', { run_id: runId, ...record });
      if (applied.status !== undefined) {
        await deps.audit.record({
          ...auditEntry(runId, change, record, group, applied.status, deps.apply.now()),
          ...(applied.appliedAt !== undefined && { applied_at: applied.appliedAt, decided_at: applied.appliedAt }),
          attempts: applied.attempts,
          ...(applied.errorCode !== undefined && { error_code: applied.errorCode }),
        });
      }
    }
    result.drift.push(record);
  }
}

interface RepairOutcome {
  action: DriftAction;
  status?: AuditStatus;
  errorCode?: string;
  appliedAt?: string;
  attempts: number;
}

async function repair(deps: ReconcileDeps, change: AdminChange, deadline: Deadline): Promise<RepairOutcome> {
  let applied: ApplyResult;
  try {
    applied = await applyChange(change, deps.apply, deadline);
  } catch (error) {
    return { action: 'held', status: 'held', errorCode: classifyError(error).code, attempts: 0 };
  }
  if (applied.kind === 'retry') return { action: 'held', status: 'held', errorCode: applied.code, attempts: 0 };
  const { outcome } = applied;
  switch (outcome.status) {
    case 'applied':
      return { action: 'repaired', status: 'repaired', appliedAt: outcome.at, attempts: outcome.attempts };
    case 'stale':
      return { action: 'overtaken', status: 'stale', attempts: outcome.attempts };
    case 'held':
      // The blast-radius guard held the repair (an operator releases it, docs/OPERATIONS.md#held-changes).
      return { action: 'held', status: 'held', errorCode: outcome.error_code ?? 'held', attempts: outcome.attempts };
    case 'rejected':
    case 'failed':
      return {
        action: 'failed',
        status: outcome.status,
        errorCode: outcome.error_code ?? outcome.status,
        attempts: outcome.attempts,
      };
  }
}

function auditEntry(
  runId: string,
  change: AdminChange,
  record: DriftRecord,
  group: readonly Drift[],
  status: AuditStatus,
  nowMs: number,
): AuditEntry {
  return {
    status,
    account: record.account,
    admin: String(record.admin_user_id),
    admin_user_id: record.admin_user_id,
    admin_user_name: record.admin_user_name,
    source: RECONCILE_SOURCE,
    original_source: change.source,
    event_id: change.eventId,
    idempotency_key: change.idempotencyKey,
    type: status === 'drift' ? 'reconcile.drift' : change.type,
    event_time: change.time,
    decided_at: new Date(nowMs).toISOString(),
    attempts: 0,
    attributes: group.map((d) => d.attribute),
    deactivation: false,
    drift: record.attributes,
    run_id: runId,
  };
}
