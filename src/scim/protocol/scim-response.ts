import type { HttpResponse } from '../../http/http-message';
import { type ScimError, scimErrorBody } from './scim-error';

/** RFC 7644 §8.1; Entra expects it on every answer, errors included. */
const SCIM_CONTENT_TYPE = 'application/scim+json';

export function scimJson(statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResponse {
  return {
    statusCode,
    headers: { 'content-type': SCIM_CONTENT_TYPE, 'cache-control': 'no-store', ...headers },
    body: JSON.stringify(body),
  };
}

export function scimNoContent(): HttpResponse {
  return { statusCode: 204, headers: { 'cache-control': 'no-store' }, body: '' };
}

export function scimErrorResponse(error: ScimError, headers: Record<string, string> = {}): HttpResponse {
  const extra: Record<string, string> = { ...headers };
  if (error.retryAfterSeconds !== undefined) extra['retry-after'] = String(error.retryAfterSeconds);
  // RFC 6750 §3: a 401 names the scheme the client should use.
  if (error.status === 401) extra['www-authenticate'] = 'Bearer realm="scim"';
  return scimJson(error.status, scimErrorBody(error), extra);
}
