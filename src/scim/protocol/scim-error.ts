import { BridgeError, type RetryClass } from '../../errors/bridge-error';
import { ERROR_SCHEMA } from './schema';

/** RFC 7644 §3.12 `scimType` values. */
export type ScimType =
  | 'invalidFilter'
  | 'tooMany'
  | 'uniqueness'
  | 'mutability'
  | 'invalidSyntax'
  | 'invalidPath'
  | 'noTarget'
  | 'invalidValue'
  | 'invalidVers'
  | 'sensitive';

export interface ScimErrorOptions {
  scimType?: ScimType;
  /** Seconds, for 429 and 503: the IdP waits this long before it retries. */
  retryAfterSeconds?: number;
  /** A stable machine code for logs and metrics (`scim_unauthorized`, `voximplant_340`, ...). */
  code?: string;
  cause?: unknown;
}

/**
 * A SCIM error answer (RFC 7644 §3.12): thrown anywhere below the request handler and turned into the
 * `urn:ietf:params:scim:api:messages:2.0:Error` body there. `detail` is written from fixed text and names, never
 * from a request value that could hold a secret (a password) or from a raw upstream message.
 */
export class ScimError extends BridgeError {
  readonly status: number;
  readonly scimType?: ScimType;
  readonly retryAfterSeconds?: number;

  constructor(status: number, detail: string, opts: ScimErrorOptions = {}) {
    super(opts.code ?? (opts.scimType === undefined ? `scim_${status}` : `scim_${opts.scimType}`), detail, {
      retry: retryClassOfStatus(status),
      ...(opts.retryAfterSeconds === undefined ? {} : { retryAfterMs: opts.retryAfterSeconds * 1000 }),
      ...(opts.cause === undefined ? {} : { cause: opts.cause }),
    });
    this.name = 'ScimError';
    this.status = status;
    if (opts.scimType !== undefined) this.scimType = opts.scimType;
    if (opts.retryAfterSeconds !== undefined) this.retryAfterSeconds = opts.retryAfterSeconds;
  }

  get detail(): string {
    return this.message;
  }
}

/** What the answer tells the IdP: 429 slow down, 503 try again (RFC 9110 §15.6.4), anything else is final. */
function retryClassOfStatus(status: number): RetryClass {
  if (status === 429) return 'throttled';
  if (status === 503) return 'transient';
  return 'permanent';
}

export const badRequest = (scimType: ScimType, detail: string) => new ScimError(400, detail, { scimType });
export const notFound = (detail: string) => new ScimError(404, detail, { code: 'scim_not_found' });

/** The body of an error answer; `status` is a string, as RFC 7644 §3.12 has it and the Okta suite compares it. */
export function scimErrorBody(error: ScimError): Record<string, unknown> {
  return {
    schemas: [ERROR_SCHEMA],
    status: String(error.status),
    ...(error.scimType !== undefined && { scimType: error.scimType }),
    detail: error.detail,
  };
}
