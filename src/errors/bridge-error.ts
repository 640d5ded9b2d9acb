/**
 * What a failure means for whoever would try again, the one vocabulary every caller decides by:
 * - `transient`: the same request later may succeed (a fault, a busy resource, a request that never left);
 * - `throttled`: we are too fast; try again, slower (and no sooner than `retryAfterMs` when it is set);
 * - `ambiguous`: the operation may or may not have taken effect; re-read (or rely on idempotency) before repeating;
 * - `permanent`: the request itself is wrong or not allowed; repeating it cannot help.
 */
export type RetryClass = 'transient' | 'throttled' | 'ambiguous' | 'permanent';

export interface BridgeErrorOptions {
  retry: RetryClass;
  /** The least wait before trying again, when the failure names one (a 416's "Repeat after N seconds"). */
  retryAfterMs?: number;
  cause?: unknown;
}

/**
 * The base of every error the bridge throws, modelled on panva/jose's `JOSEError` (src/util/errors.ts): one base
 * class, a stable machine `code` to branch on, a `message` for people. To it is added the retry classification, so
 * that the worker, SCIM, the apply path and rotation decide by `retry` and `retryAfterMs` instead of guessing from the
 * error's shape. Messages never hold a secret: each subclass writes them from fixed text, names and ids.
 */
export class BridgeError extends Error {
  readonly code: string;
  readonly retry: RetryClass;
  readonly retryAfterMs?: number;

  constructor(code: string, message: string, options: BridgeErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'BridgeError';
    this.code = code;
    this.retry = options.retry;
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
  }

  /** True unless the failure is permanent: trying the same thing again later may succeed. */
  get retryable(): boolean {
    return this.retry !== 'permanent';
  }
}
