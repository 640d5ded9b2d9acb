import type * as z from 'zod';
import { PROTECTED_SET_TTL_MS } from '../../apply/protected-guard';
import { setAdminUserInfoInput } from '../../apply/set-admin-user-info-input';
import { type AdminChange, adminChangeFromEvent } from '../../events/admin-change';
import type { AdminChangeEvent } from '../../events/admin-change-event';
import { messageGroupId } from '../../events/message-group';
import type { ProtectedAdmins } from '../../events/protected-admins';
import { protectedRefusal } from '../../events/protected-refusal';
import { deadlineIn } from '../../runtime/deadline';
import { findAdminByExactName, type VoximplantCaller } from '../../voximplant/admin-users';
import type { CallOptions, CallResult, Params } from '../../voximplant/client';
import { formBody } from '../../voximplant/form-body';
import { adminUserPages } from '../../voximplant/get-admin-users';
import { setAdminUserInfoParams } from '../../voximplant/set-admin-user-info';

/** Stands for the admin_user_id the lookup finds when the bridge runs (docs/CONTRACT.md#commands). */
export const RESOLVED_AT_RUN_TIME = '<resolved at run time>';

export interface PlannedRequest {
  method: string;
  /** `POST {apiUrl}/{method}`. */
  url: string;
  headers: Record<string, string>;
  /** The form fields, in the order they are sent (application/x-www-form-urlencoded body). */
  form: Record<string, string>;
  /** Why this request is made, for a person. */
  note: string;
}

export interface EventPlan {
  event_id: string;
  type: string;
  source: string;
  idempotency_key: string;
  message_group_id: string;
  /** The time that orders the change: its `time`, capped by the moment of acceptance (here: now). */
  ordering_time: string;
  /** Set when the bridge refuses the event before any request (a protected admin). */
  refused?: string;
  requests: PlannedRequest[];
}

/**
 * The Management API requests one event becomes (docs/CONTRACT.md#the-voximplant-call), computed by the bridge's own
 * code with no network: the GetAdminUsers lookup exactly as `findAdminByExactName` sends it (captured from a recording
 * caller) and the SetAdminUserInfo form exactly as `setAdminUserInfoParams` builds it.
 */
export interface PlanSettings {
  /** The Management API base, without a trailing slash. */
  apiUrl: string;
  /** PROTECTED_ADMIN_USERS, as the functions read it. */
  protectedList: ProtectedAdmins;
  /** The acceptance time to plan with (epoch ms); the moment the plan is made when not given. */
  now?: number;
}

export function planEvent(event: AdminChangeEvent, settings: PlanSettings): Promise<EventPlan> {
  // The same ordering rule as the worker (src/ordering/ordering-rule.ts), with "now" standing for acceptance.
  return planChange(adminChangeFromEvent(event, settings.now ?? Date.now()), settings);
}

async function planChange(change: AdminChange, settings: PlanSettings): Promise<EventPlan> {
  const { apiUrl: base, protectedList } = settings;
  const plan: EventPlan = {
    event_id: change.eventId,
    type: change.type,
    source: change.source,
    idempotency_key: change.idempotencyKey,
    message_group_id: messageGroupId(change.target),
    ordering_time: new Date(change.timeMs).toISOString(),
    requests: [],
  };
  const refusal = protectedRefusal(protectedList, change.target, change.set);
  if (refusal !== undefined) {
    plan.refused = `${refusal.message}: POST /events answers 422 (${refusal.code}) and nothing is queued or sent`;
    return plan;
  }
  const { target } = change;
  const iss = target.accountId === undefined ? 'your account_id' : `${target.accountId} (child account)`;
  const auth = `Bearer <JWT: RS256, kid=key_id, iss=${iss}>`;
  const formHeaders = { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' };

  let id = target.adminUserId;
  if (id !== undefined && settings.protectedList.hasNames) {
    const read = await captureCall(async (caller) => {
      for await (const _page of adminUserPages(caller, {}, { deadline: deadlineIn(1_000) })) return;
    });
    plan.requests.push({
      method: read.method,
      url: `${base}/${read.method}`,
      headers: formHeaders,
      form: read.form,
      note:
        'PROTECTED_ADMIN_USERS lists names: every admin of the account is read, page by page, to find those whose ' +
        `current name matches one (at most every ${PROTECTED_SET_TTL_MS / 60_000} minutes per function container)`,
    });
  }
  if (id === undefined) {
    const name = target.adminUserName ?? '';
    const lookup = await captureCall((caller) => findAdminByExactName(caller, name, { deadline: deadlineIn(1_000) }));
    plan.requests.push({
      method: lookup.method,
      url: `${base}/${lookup.method}`,
      headers: formHeaders,
      form: lookup.form,
      note:
        `name filter is a substring match: the bridge keeps only the admin named exactly "${target.adminUserName}" ` +
        'and caches its id (a cached id is re-checked with GetAdminUsers by required_admin_user_id instead)',
    });
  }
  id ??= 1; // a placeholder for building the form; replaced below
  const fields = Object.entries(setAdminUserInfoParams(setAdminUserInfoInput(id, change.set)));
  const form = Object.fromEntries(
    fields.map(([k, v]) =>
      k === 'required_admin_user_id' && target.adminUserId === undefined ? [k, RESOLVED_AT_RUN_TIME] : [k, v],
    ),
  );
  plan.requests.push({
    method: 'SetAdminUserInfo',
    url: `${base}/SetAdminUserInfo`,
    headers: { ...formHeaders, 'idempotency-key': change.idempotencyKey },
    form,
    note:
      'sent by id; skipped as stale for any attribute whose last applied change has a later ordering time (an ' +
      'activation also loses a tie against a deactivation), refused if REACTIVATION_SOURCES does not let this ' +
      "source undo another source's deactivation, and not sent at all if this idempotency key was already applied",
  });
  return plan;
}

/** Runs a real read against a caller that records the first request and answers "no match". */
async function captureCall(
  read: (caller: VoximplantCaller) => Promise<unknown>,
): Promise<{ method: string; form: Record<string, string> }> {
  let captured: { method: string; params: Params } | undefined;
  const recorder: VoximplantCaller = {
    call: async <S extends z.ZodType>(method: string, params: Params, _opts: CallOptions, _schema: S) => {
      captured ??= { method, params };
      const answer: CallResult<z.infer<S>> = {
        verified: false,
        result: [] as z.infer<S>,
        body: { result: [], total_count: 0, count: 0 },
        attempts: 1,
      };
      return answer;
    },
  };
  await read(recorder);
  if (captured === undefined) throw new Error('the read made no request');
  return { method: captured.method, form: Object.fromEntries(formBody(captured.method, captured.params)) };
}
