import * as z from 'zod';
import { apiError, type FailureKind, VoximplantError } from './errors';

/**
 * The Management API's envelope (as every official client reads it, e.g. apiclient-nodejs
 * `src/index.ts`): success is `{"result": ...}` (lists add `total_count`/`count`),
 * failure is `{"error": {"code": N, "msg": "..."}}`, normally with HTTP 200; some answers carry an `errors` list
 * instead (Go's VError and .NET's BaseResponse model both), which we read the same way.
 */
const apiErrorSchema = z.object({ code: z.coerce.number().int(), msg: z.string().optional() });
const errorBodySchema = z.object({ error: apiErrorSchema });
const errorsBodySchema = z.object({ errors: z.array(apiErrorSchema).min(1) });
const bodySchema = z.record(z.string(), z.unknown());

export type ParsedResponse = { ok: true; body: Record<string, unknown> } | { ok: false; error: VoximplantError };

/**
 * No API error in the body: the HTTP status decides. HTML from a proxy, a truncated body, a gateway error are the
 * platform's fault, not the request's, and the API never answers that way on purpose, so they are transient (a
 * resend of SetAdminUserInfo by id after a 5xx that did apply is harmless: it sets absolute values, and 290/535
 * are re-checked). Voximplant documents no use of 401/403/429 by the API (its
 * OpenAPI lists only 200 answers); we read them the way HTTP
 * means them: 429 throttled, 401 auth (refresh once), 408 transient, other 4xx permanent.
 */
function kindOfStatus(status: number): FailureKind {
  if (status === 429) return 'throttled';
  if (status === 401) return 'auth';
  if (status >= 400 && status < 500 && status !== 408) return 'permanent';
  return 'transient';
}

function badResponse(method: string, status: number, what: string): VoximplantError {
  return new VoximplantError({
    code: status >= 200 && status < 300 ? 'bad_response' : `http_${status}`,
    kind: kindOfStatus(status),
    method,
    message: `${method}: ${what}`,
    httpStatus: status,
  });
}

/**
 * One HTTP answer → the body or a classified error. An API error in the body wins over the HTTP status: it is
 * more specific. A 2xx that is not the envelope (HTML, truncated JSON) is `bad_response`, transient.
 */
export function parseResponse(method: string, status: number, contentType: string, text: string): ParsedResponse {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    const what = contentType.includes('html') ? 'an HTML page' : 'a body that is not JSON';
    return { ok: false, error: badResponse(method, status, `HTTP ${status} with ${what}`) };
  }
  const error = errorBodySchema.safeParse(json).data?.error ?? errorsBodySchema.safeParse(json).data?.errors[0];
  if (error !== undefined) return { ok: false, error: apiError(method, error.code, error.msg, status) };
  const body = bodySchema.safeParse(json).data;
  if (body === undefined || !('result' in body)) {
    return {
      ok: false,
      error: badResponse(method, status, `HTTP ${status} with JSON that is neither result nor error`),
    };
  }
  if (status < 200 || status >= 300) {
    return { ok: false, error: badResponse(method, status, `HTTP ${status} with a result body`) };
  }
  return { ok: true, body };
}
