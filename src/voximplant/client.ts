import type * as z from 'zod';
import type { Logger } from '../observability/logger';
import type { Deadline } from '../runtime/deadline';
import { sleep as realSleep, type Sleep } from '../runtime/sleep';
import type { CredentialsSource } from './credentials';
import { CONDITIONAL_AFTER_RESEND, invalidRequest, VoximplantError } from './errors';
import { formBody, type Params } from './form-body';
import { type PostOutcome, postForm } from './post-form';
import { DEFAULT_RETRY_POLICY, decideRetry, type RetryPolicy, timeoutForAttempt } from './retry';
import { TokenSigner } from './token';

export type { Params } from './form-body';

export interface CallOptions {
  /** Retries stop before it (src/runtime/deadline.ts). */
  deadline: Deadline;
  /**
   * Sent as the `Idempotency-Key` header (docs/CONTRACT.md#the-voximplant-call), the same on every retry of this call.
   */
  idempotencyKey?: string;
  /**
   * A child account: becomes the JWT `iss`, as every official client does it
   * (https://voximplant.com/docs/guides/management-api/child-accounts).
   */
  accountId?: number;
  /** Called after an ambiguous outcome (timeout, dropped connection, 484, 515): true = it took effect, stop. */
  verify?: () => Promise<boolean>;
  /** Default true; false = one attempt (verify reads, the CLI). */
  retry?: boolean;
  /** Default true. False: never resend after an unknown outcome unless `verify` says it did not happen (CreateKey). */
  idempotent?: boolean;
}

/**
 * The options of the read a `verify` makes: one attempt (the call being verified decides about retries), no verify
 * of its own, and not the write's idempotency key.
 */
export function verifyReadOptions(opts: CallOptions): CallOptions {
  return { ...opts, retry: false, verify: undefined, idempotencyKey: undefined };
}

interface CallResultBase {
  /** The whole answer (`total_count`, `api_address`, ...); `{}` when `verify` confirmed the outcome instead. */
  body: Record<string, unknown>;
  attempts: number;
  /** The server's `Date` header: a way to see clock skew. */
  serverDate?: string;
}

/**
 * `verified: true` means the answer was lost but `verify` confirmed the change took effect: there is no result
 * from the server then (each typed operation knows what its result would have been).
 */
export type CallResult<T> =
  | (CallResultBase & { verified: false; result: T })
  | (CallResultBase & { verified: true; result: T | undefined });

/** The server's own result of a call made without `verify` (a read): such a call never ends `verified`. */
export function serverResult<T>(method: string, out: CallResult<T>): T {
  if (out.verified) {
    throw new VoximplantError({
      code: 'bad_result',
      kind: 'permanent',
      method,
      message: `${method}: confirmed by verify, so there is no result to read`,
      attempts: out.attempts,
    });
  }
  return out.result;
}

export interface AttemptInfo {
  method: string;
  attempt: number;
  /** `ok`, `verified`, or the error code of the attempt. */
  outcome: string;
  /** Set when another attempt follows after this wait. */
  delayMs?: number;
}

/** An optional adaptive rate limiter shared by the calls of a container. */
export interface CallLimiter {
  acquire(deadline: Deadline): Promise<void>;
  onThrottled(): void;
  onSuccess(): void;
}

export interface VoximplantClientOptions {
  /** VOXIMPLANT_API_URL (docs/CONTRACT.md#configuration); methods are `POST {apiUrl}/{Method}`. */
  apiUrl: string;
  credentials: CredentialsSource;
  fetch?: typeof fetch;
  /** Default: the policy's attemptTimeoutMs (10 s); each attempt gets min(this, time left). */
  attemptTimeoutMs?: number;
  sleep?: Sleep;
  random?: () => number;
  policy?: RetryPolicy;
  logger?: Logger;
  onAttempt?: (info: AttemptInfo) => void;
  limiter?: CallLimiter;
  /** Share one signer between clients; it must sign from the same `credentials`. By default each client has its own. */
  signer?: TokenSigner;
}

// Method names go into the URL path: letters only, as every Management API method is named.
const METHOD_NAME = /^[A-Za-z]+$/;

/**
 * The Management API over global fetch: one POST per attempt, a JWT from TokenSigner, the answer validated, and
 * retries decided by `decideRetry`. It knows nothing of events, queues or state, so every caller (worker,
 * SCIM, rotation, CLI) uses it alike.
 *
 * `call` rejects with a VoximplantError (its `attempts` and message say how it ended), or with the credentials
 * source's SecretError when the key itself cannot be read.
 */
export class VoximplantClient {
  readonly apiUrl: string;
  readonly #credentials: CredentialsSource;
  readonly #signer: TokenSigner;
  readonly #fetch: typeof fetch;
  readonly #sleep: Sleep;
  readonly #random: () => number;
  readonly #policy: RetryPolicy;
  readonly #logger: Logger | undefined;
  readonly #onAttempt: ((info: AttemptInfo) => void) | undefined;
  readonly #limiter: CallLimiter | undefined;
  #requests = 0;

  constructor(opts: VoximplantClientOptions) {
    this.apiUrl = opts.apiUrl.replace(/\/+$/, '');
    this.#credentials = opts.credentials;
    this.#signer = opts.signer ?? new TokenSigner(opts.credentials);
    this.#fetch = opts.fetch ?? globalThis.fetch;
    this.#sleep = opts.sleep ?? realSleep;
    this.#random = opts.random ?? Math.random;
    const policy = opts.policy ?? DEFAULT_RETRY_POLICY;
    this.#policy = { ...policy, attemptTimeoutMs: opts.attemptTimeoutMs ?? policy.attemptTimeoutMs };
    this.#logger = opts.logger;
    this.#onAttempt = opts.onAttempt;
    this.#limiter = opts.limiter;
  }

  /** HTTP requests sent and JWTs signed so far (benchmarks: calls and signs per event). */
  get stats(): { requests: number; jwtSigns: number } {
    return { requests: this.#requests, jwtSigns: this.#signer.signCount };
  }

  async call<S extends z.ZodType>(
    method: string,
    params: Params,
    opts: CallOptions,
    resultSchema: S,
  ): Promise<CallResult<z.infer<S>>> {
    if (!METHOD_NAME.test(method)) throw invalidRequest(method, 'not a Management API method name');
    const body = formBody(method, params).toString();
    const policy = this.#policy;
    let attempt = 0;
    let authRefreshed = false;
    let ambiguousBefore = false;

    for (;;) {
      if (attempt === 0 && opts.deadline.remainingMs() < policy.minAttemptMs) {
        throw new VoximplantError({
          code: 'deadline',
          kind: 'transient',
          method,
          message: `${method}: not sent, ${opts.deadline.remainingMs()} ms left is too little for an attempt`,
          attempts: 0,
        });
      }
      await this.#limiter?.acquire(opts.deadline);
      attempt += 1;
      const outcome = await this.#attempt(method, body, opts, timeoutForAttempt(policy, opts.deadline.remainingMs()));

      if (outcome.ok) {
        this.#limiter?.onSuccess();
        this.#report({ method, attempt, outcome: 'ok' });
        const parsed = resultSchema.safeParse(outcome.body.result);
        if (!parsed.success) {
          // The call went through but its result is not what the method documents: a resend would get the same
          // answer (and may repeat a write), so this is permanent.
          throw new VoximplantError({
            code: 'bad_result',
            kind: 'permanent',
            method,
            message: `${method}: the result does not have the documented shape`,
            attempts: attempt,
          });
        }
        return {
          verified: false,
          result: parsed.data,
          body: outcome.body,
          attempts: attempt,
          ...(outcome.serverDate === undefined ? {} : { serverDate: outcome.serverDate }),
        };
      }

      const error = outcome.error;
      if (error.kind === 'throttled' || error.kind === 'retry_after') this.#limiter?.onThrottled();

      // An ambiguous outcome may have applied: ask before resending. 290/535 after an earlier ambiguous attempt
      // may be that earlier attempt's own success (the first request landed late), so they are asked about too.
      const conditional =
        ambiguousBefore && error.voximplantCode !== undefined && CONDITIONAL_AFTER_RESEND.has(error.voximplantCode);
      if (error.kind === 'ambiguous') ambiguousBefore = true;
      if ((error.kind === 'ambiguous' || conditional) && opts.verify !== undefined) {
        if (await this.#verify(method, attempt, error, opts.verify)) {
          this.#report({ method, attempt, outcome: 'verified' });
          return { verified: true, result: undefined, body: {}, attempts: attempt };
        }
        if (conditional) throw error.final(attempt, 'verify found the change not applied');
      }

      if (opts.retry === false) {
        this.#report({ method, attempt, outcome: error.code });
        throw error.final(attempt, 'retries are off for this call');
      }
      const decision = decideRetry({
        error,
        attempt,
        remainingMs: opts.deadline.remainingMs(),
        authRefreshed,
        random: this.#random,
        policy,
        ...(opts.idempotent === undefined ? {} : { idempotent: opts.idempotent }),
      });
      if (decision.action === 'give_up') {
        this.#report({ method, attempt, outcome: error.code });
        // A permanent answer is often an expected outcome for the caller (an unknown id on a lookup): the caller
        // logs it. Exhausted retries and the deadline are operational news.
        const log = error.kind === 'permanent' ? this.#logger?.debug : this.#logger?.warn;
        log?.call(this.#logger, 'Voximplant call failed', {
          method,
          attempt,
          code: error.code,
          kind: error.kind,
          reason: decision.reason,
        });
        throw error.final(attempt, decision.reason);
      }
      this.#report({ method, attempt, outcome: error.code, delayMs: decision.delayMs });
      this.#logger?.warn('Voximplant call retrying', {
        method,
        attempt,
        code: error.code,
        kind: error.kind,
        delayMs: decision.delayMs,
        refreshAuth: decision.refreshAuth,
      });
      if (decision.refreshAuth) {
        authRefreshed = true;
        this.#signer.invalidate();
        await this.#credentials.refresh();
      }
      await this.#sleep(decision.delayMs);
    }
  }

  async #attempt(method: string, body: string, opts: CallOptions, timeoutMs: number): Promise<PostOutcome> {
    // Before the POST: a credentials failure is not a transport failure and must not be retried as one.
    const token = await this.#signer.token(opts.accountId);
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (opts.idempotencyKey !== undefined) headers['idempotency-key'] = opts.idempotencyKey;
    this.#requests += 1;
    return postForm({ fetch: this.#fetch, apiUrl: this.apiUrl, method, body, timeoutMs, headers });
  }

  async #verify(method: string, attempt: number, error: VoximplantError, verify: () => Promise<boolean>) {
    try {
      return await verify();
    } catch (verifyError) {
      // Not knowing is the same as no verify at all: the retry decision below handles the original outcome.
      this.#logger?.warn('Voximplant verify failed', {
        method,
        attempt,
        code: error.code,
        verifyError: verifyError instanceof Error ? verifyError.message : String(verifyError),
      });
      return false;
    }
  }

  #report(info: AttemptInfo): void {
    this.#logger?.debug('Voximplant attempt', { ...info });
    this.#onAttempt?.(info);
  }
}
