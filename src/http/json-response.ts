import type { HttpResponse } from './http-message';

export function jsonResponse(statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResponse {
  return {
    statusCode,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers },
    body: JSON.stringify(body),
  };
}

/** 204 and friends: no body and therefore no content-type. */
export function emptyResponse(statusCode = 204, headers: Record<string, string> = {}): HttpResponse {
  return { statusCode, headers: { 'cache-control': 'no-store', ...headers }, body: '' };
}
