import type { Deadline } from '../runtime/deadline';
import { sleep as realSleep, type Sleep } from '../runtime/sleep';
import { accountInfoSchema } from './account';
import { VoximplantError } from './errors';
import { formBody } from './form-body';
import { postForm } from './post-form';
import { DEFAULT_RETRY_POLICY, decideRetry, type RetryPolicy, timeoutForAttempt } from './retry';

const METHOD = 'GetAccountInfo';

export interface AdminPasswordLoginInput {
  /** The account the admin belongs to (the main account or a child account). */
  accountId: number;
  adminUserName: string;
  password: string;
}

export interface AdminPasswordLoginOptions {
  /** VOXIMPLANT_API_URL (docs/CONTRACT.md#configuration). */
  apiUrl: string;
  deadline: Deadline;
  fetch?: typeof fetch;
  sleep?: Sleep;
  random?: () => number;
  policy?: RetryPolicy;
}

/**
 * `accepted: false` is the API refusing these credentials (an `auth` error: 100 "Authorization failed").
 * `code` is the client's error code (`voximplant_100`), never anything the request carried.
 */
export type AdminPasswordLoginResult =
  | { accepted: true; accountId: number; attempts: number }
  | { accepted: false; code: string; voximplantCode?: number; attempts: number };

/**
 * Proves an admin user's password by using it: GetAccountInfo authenticated with the legacy admin scheme, `account_id`
 * + `admin_user_name` + `admin_user_password` as request parameters (the legacy scheme of
 * https://voximplant.com/docs/references/httpapi/auth_parameters; docs/CONTRACT.md#rotation). No `Authorization`
 * header: when one is present it alone decides who is calling, and the point here is to test the password, not the
 * bridge's key.
 *
 * The password goes in the `application/x-www-form-urlencoded` body, never the query string (access logs keep
 * URLs). Each attempt is the client's own `postForm` and retries are decided by `decideRetry`, so this call
 * classifies errors exactly as VoximplantClient does.
 *
 * A refused password is NOT retried: a second try cannot change the answer, and repeated failed logins are what
 * lockout rules count. Everything else that is not permanent is retried within the deadline (it is a read).
 * Rejects with a VoximplantError for permanent failures and when the retries run out.
 */
export async function adminPasswordLogin(
  input: AdminPasswordLoginInput,
  opts: AdminPasswordLoginOptions,
): Promise<AdminPasswordLoginResult> {
  const apiUrl = opts.apiUrl.replace(/\/+$/, '');
  const body = formBody(METHOD, {
    account_id: input.accountId,
    admin_user_name: input.adminUserName,
    admin_user_password: input.password,
    return_live_balance: false,
  }).toString();
  const doFetch = opts.fetch ?? globalThis.fetch;
  const sleep = opts.sleep ?? realSleep;
  const random = opts.random ?? Math.random;
  const policy = opts.policy ?? DEFAULT_RETRY_POLICY;

  for (let attempt = 1; ; attempt += 1) {
    if (attempt === 1 && opts.deadline.remainingMs() < policy.minAttemptMs) {
      throw new VoximplantError({
        code: 'deadline',
        kind: 'transient',
        method: METHOD,
        message: `${METHOD} (admin login): not sent, ${opts.deadline.remainingMs()} ms left is too little for an attempt`,
        attempts: 0,
      });
    }
    const timeoutMs = timeoutForAttempt(policy, opts.deadline.remainingMs());
    const outcome = await postForm({ fetch: doFetch, apiUrl, method: METHOD, body, timeoutMs });

    if (outcome.ok) {
      const account = accountInfoSchema.safeParse(outcome.body.result);
      if (!account.success) {
        throw new VoximplantError({
          code: 'bad_result',
          kind: 'permanent',
          method: METHOD,
          message: `${METHOD} (admin login): the result does not have the documented shape`,
          attempts: attempt,
        });
      }
      return { accepted: true, accountId: account.data.account_id, attempts: attempt };
    }

    const error = outcome.error;
    if (error.kind === 'auth') {
      return {
        accepted: false,
        code: error.code,
        ...(error.voximplantCode === undefined ? {} : { voximplantCode: error.voximplantCode }),
        attempts: attempt,
      };
    }
    const decision = decideRetry({
      error,
      attempt,
      remainingMs: opts.deadline.remainingMs(),
      authRefreshed: true,
      random,
      policy,
    });
    if (decision.action === 'give_up') throw error.final(attempt, decision.reason);
    await sleep(decision.delayMs);
  }
}
