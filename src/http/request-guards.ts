import type { HttpRequest, HttpResponse } from './http-message';
import { problemResponse } from './problem';

/**
 * The checks every route makes before it reads a body. Each returns the rejection, or `undefined` to go on, so a
 * route reads as a list of guards.
 */

/** 405 with `Allow` (RFC 9110 §15.5.6 requires it). */
export function allowMethods(
  request: Pick<HttpRequest, 'method'>,
  allowed: readonly string[],
): HttpResponse | undefined {
  const method = request.method.toUpperCase();
  if (allowed.includes(method)) return undefined;
  return problemResponse('method-not-allowed', {
    detail: `${method} is not supported here; use ${allowed.join(' or ')}`,
    headers: { allow: allowed.join(', ') },
  });
}

/** 413 decided on the raw byte count, before any parsing or signature work is spent on the body. */
export function limitBodySize(request: Pick<HttpRequest, 'rawBody'>, maxBytes: number): HttpResponse | undefined {
  if (request.rawBody.length <= maxBytes) return undefined;
  return problemResponse('payload-too-large', {
    detail: `the body is ${request.rawBody.length} bytes; at most ${maxBytes} bytes (${formatKiB(maxBytes)}) are accepted`,
  });
}

/** 415 naming what is accepted, with `Accept-Post` (RFC 9110 §15.5.16 suggests telling the client). */
export function unsupportedMediaType(actual: string | undefined, accepted: readonly string[]): HttpResponse {
  const shown = actual !== undefined && actual.length > 100 ? `${actual.slice(0, 100)}…` : actual;
  const what = shown === undefined || shown.trim() === '' ? 'no Content-Type' : `Content-Type ${JSON.stringify(shown)}`;
  return problemResponse('unsupported-media-type', {
    detail: `${what} is not accepted; send ${accepted.join(', ')}`,
    headers: { 'accept-post': accepted.join(', ') },
  });
}

function formatKiB(bytes: number): string {
  return bytes % 1024 === 0 ? `${bytes / 1024} KiB` : `${bytes} bytes`;
}
