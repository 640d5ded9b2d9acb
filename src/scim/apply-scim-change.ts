import { applyChange } from '../apply/apply-change';
import { OUR_ERROR_CODES, outcomeAuditFields, type RecordedOutcome } from '../apply/outcome';
import { changeAuditEntry } from '../audit/change-audit-entry';
import { type AdminAttributes, type AdminChange, changeFingerprint } from '../events/admin-change';
import { idempotencyKey } from '../events/idempotency-key';
import { METRIC } from '../observability/metric-names';
import type { AdminUser } from '../voximplant/admin-users';
import { retryLater, scimErrorForVoximplantCode, scimErrorFrom } from './failure';
import { ScimError } from './protocol/scim-error';
import type { ScimContext } from './scim-deps';

/** The `source` of SCIM changes in idempotency keys and audit lines. */
export const SCIM_SOURCE = 'urn:vox-admin-bridge:scim';

/** The request's idempotency key (see scimChange): the same for every Voximplant call the request makes. */
export function scimIdempotencyKey(ctx: Pick<ScimContext, 'requestId'>): string {
  return idempotencyKey(SCIM_SOURCE, ctx.requestId);
}

/**
 * The change a SCIM request makes to one admin, for the apply core (the same path as the worker's events).
 *
 * A SCIM request has no event id, so the key is derived from a per-request unique id, never from the body: the same
 * `{active:false}` PATCH sent again after a re-activation is a new change and must be applied, but a body-derived
 * key would find the first one "completed" and skip it, leaving the admin active. A retry of the same request by the
 * IdP gets a new key too; that is harmless because SetAdminUserInfo sets absolute values and only attributes that
 * differ from what Voximplant holds are sent. The receive time is the change time: a SCIM change is ordered by the
 * moment the bridge accepted it (src/ordering/ordering-rule.ts), the same bound every event's time is capped by.
 */
export function scimChange(
  ctx: Pick<ScimContext, 'receivedAt' | 'requestId'>,
  operation: string,
  adminUserId: number,
  set: AdminAttributes,
): AdminChange {
  const time = new Date(ctx.receivedAt).toISOString();
  const type = `scim.${operation}`;
  const target = { adminUserId };
  return {
    idempotencyKey: scimIdempotencyKey(ctx),
    fingerprint: changeFingerprint(type, time, target, set),
    eventId: ctx.requestId,
    source: SCIM_SOURCE,
    type,
    time,
    timeMs: ctx.receivedAt,
    target,
    set,
  };
}

/**
 * Applies the change through the apply core (idempotency, protected admins, ordering guard, retries within the
 * deadline) and turns what happened into success or the SCIM error to answer. A 2xx must mean Voximplant holds what
 * the IdP asked for, so an attribute skipped as stale (a change ordered after this request was applied first) is
 * a 409 naming it: the IdP's retry is received later, so it is ordered after that change and decides again.
 */
export async function applyScimChange(ctx: ScimContext, change: AdminChange): Promise<RecordedOutcome> {
  const { logger } = ctx.deps.apply;
  let result: Awaited<ReturnType<typeof applyChange>>;
  try {
    result = await applyChange(change, ctx.deps.apply, ctx.deadline);
  } catch (error) {
    // Recording the outcome failed after the call: the IdP retries; the write sets absolute values.
    throw scimErrorFrom(error);
  }
  await auditOutcome(ctx, change, result);
  const audit = {
    source: change.source,
    type: change.type,
    request_id: change.eventId,
    idempotency_key: change.idempotencyKey,
    target: change.target,
    change_time: change.time,
    attributes: Object.keys(change.set),
  };
  if (result.kind === 'retry') {
    logger.warn('scim change will be retried by the IdP', { ...audit, outcome: 'retry', error_code: result.code });
    throw retryLater(result.code, result.retryAfterMs, result.code);
  }
  const { outcome } = result;
  logger.info('audit', { ...audit, ...outcomeAuditFields(outcome, result.duplicate) });
  switch (outcome.status) {
    case 'applied':
    case 'stale':
      if (outcome.stale.length > 0) throw overtaken(outcome);
      return outcome;
    case 'rejected':
      if (outcome.error_code === OUR_ERROR_CODES.protectedAdmin) throw protectedAdminError();
      if (outcome.error_code === OUR_ERROR_CODES.reactivationNotAllowed) {
        throw new ScimError(403, outcome.error_message ?? 'this source may not re-activate the admin', {
          code: outcome.error_code,
        });
      }
      if (outcome.error_code === OUR_ERROR_CODES.protectedName) throw protectedNameError();
      if (outcome.error_code === OUR_ERROR_CODES.adminNotFound) {
        throw new ScimError(404, 'the Voximplant admin user no longer exists', { code: outcome.error_code });
      }
      throw new ScimError(500, 'the change was refused; see the function logs', {
        code: outcome.error_code ?? 'rejected',
      });
    case 'held':
      ctx.deps.count?.(METRIC.ChangesHeld);
      throw heldError(outcome);
    case 'failed': {
      const code = Number(outcome.error_code);
      const mapped = Number.isInteger(code) ? scimErrorForVoximplantCode(code) : undefined;
      throw (
        mapped ??
        new ScimError(
          500,
          `Voximplant refused the change (${outcome.error_code ?? 'unknown'}); see the function logs`,
          {
            code: outcome.error_code ?? 'failed',
          },
        )
      );
    }
  }
}

/** One audit record per outcome, received time as acceptance; a failed write is logged and counted, never answered. */
async function auditOutcome(
  ctx: ScimContext,
  change: AdminChange,
  result: Awaited<ReturnType<typeof applyChange>>,
): Promise<void> {
  const sink = ctx.deps.audit;
  if (sink === undefined) return;
  const mainAccountId = await ctx.deps.apply.mainAccountId?.().catch(() => undefined);
  const entry = changeAuditEntry(change, result, {
    acceptedAtMs: ctx.receivedAt,
    ...(mainAccountId !== undefined && { mainAccountId }),
    now: ctx.deps.apply.now,
  });
  if (entry !== undefined) await sink.record(entry);
}

/** PROTECTED_ADMIN_USERS, checked against an existing admin before anything is written. */
export function refuseProtected(ctx: ScimContext, admin: AdminUser): void {
  if (ctx.deps.protectedAdmins.matchesAdmin(admin.admin_user_id, admin.admin_user_name)) throw protectedAdminError();
}

/**
 * A userName that matches a protected name (PROTECTED_ADMIN_USERS) is refused on create, PUT and PATCH before
 * anything is written: the admin bearing it would impersonate the protected one and be protected itself.
 */
export function refuseProtectedName(ctx: ScimContext, userName: string): void {
  if (ctx.deps.protectedAdmins.matchesName(userName)) throw protectedNameError();
}

/**
 * DRY_RUN for the calls SCIM makes outside the apply core (AddAdminUser, DelAdminUser): the request goes to the log
 * instead of Voximplant, and the IdP gets a 503 that it will not retry for an hour.
 */
export function dryRunRefusal(
  ctx: ScimContext,
  method: string,
  params: Record<string, unknown>,
  notDone: string,
): ScimError {
  ctx.deps.apply.logger.info(`dry run: would call ${method}`, { method, params });
  return new ScimError(503, `DRY_RUN is on: the admin was not ${notDone} (the ${method} request is in the log)`, {
    code: 'dry_run',
    retryAfterSeconds: 3600,
  });
}

export function protectedAdminError(): ScimError {
  return new ScimError(
    403,
    'this admin is protected (PROTECTED_ADMIN_USERS): SCIM never links, changes, deactivates or deletes it; only an operator may',
    { code: OUR_ERROR_CODES.protectedAdmin },
  );
}

/**
 * 403, like a protected admin: the request is refused by a rule of this provider that no retry or change of the
 * body's other attributes can pass (RFC 7644 §3.12 lists 403 for an operation that is not permitted). No scimType: none of
 * RFC 7644's types means "reserved by policy", and `uniqueness` would send an IdP looking for a user to match.
 */
export function protectedNameError(): ScimError {
  return new ScimError(
    403,
    "the userName matches a protected admin's name (PROTECTED_ADMIN_USERS; compared ignoring case, surrounding " +
      'white space, invisible characters, compatibility forms and look-alike letters): SCIM never creates, links or ' +
      'renames an admin onto it; only an operator may',
    { code: OUR_ERROR_CODES.protectedName },
  );
}

/** How long an IdP is asked to wait before it retries a held change: long enough for an operator to look. */
export const HELD_RETRY_AFTER_SECONDS = 900;

/**
 * A change the blast-radius guard holds (src/guard/) is not applied, and may be later, once an operator releases it:
 * 503 with Retry-After, the status that says "not done, try again later" (RFC 9110 §15.6.4). A 2xx would claim
 * Voximplant holds it; a 4xx would tell the IdP its request is wrong and not worth retrying. Entra ID and Okta retry a
 * 503; each retry is a new request, which the guard recognises as the same held change (src/guard/held-change.ts) and
 * answers the same, without counting it or storing it twice. Once released, the retry finds Voximplant already
 * right and succeeds; docs/SCIM.md#held-changes says what each IdP shows meanwhile.
 */
function heldError(outcome: RecordedOutcome): ScimError {
  return new ScimError(
    503,
    `the change is held by the blast-radius guard (${outcome.error_message ?? outcome.error_code ?? 'held'}); it is not applied until an operator releases it; retry later`,
    { code: 'held', retryAfterSeconds: HELD_RETRY_AFTER_SECONDS },
  );
}

function overtaken(outcome: RecordedOutcome): ScimError {
  const applied = outcome.applied.length > 0 ? `; applied: ${outcome.applied.join(', ')}` : '';
  return new ScimError(
    409,
    `a change ordered after this request was applied first, so ${outcome.stale.join(', ')} was not changed${applied}; send the request again if it still holds`,
    { code: 'scim_stale' },
  );
}
