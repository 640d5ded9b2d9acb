/**
 * The transport-neutral shape of one HTTP exchange. The Lambda handlers (API Gateway HTTP API, payload v2) and the
 * local server (`npm start`) both adapt to it, so the request logic is written and tested once.
 */
export interface HttpRequest {
  method: string;
  path: string;
  /** Lower-case names; a repeated header arrives comma-joined, as API Gateway payload v2 delivers it. */
  headers: Record<string, string>;
  /** The exact bytes sent: signatures are computed over these, never over a re-serialised body. */
  rawBody: Buffer;
  query: Record<string, string>;
}

export interface HttpResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

/** A header by name, case-insensitively; `undefined` when absent. */
export function headerValue(request: Pick<HttpRequest, 'headers'>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  const direct = request.headers[wanted];
  if (direct !== undefined) return direct;
  // Adapters lower-case names already; this fallback keeps hand-built requests (tests, other adapters) honest.
  for (const [key, value] of Object.entries(request.headers)) {
    if (key.toLowerCase() === wanted) return value;
  }
  return undefined;
}

/** Lower-cases header names; the last value wins for names that differ only in case. */
export function lowerCaseHeaders(headers: Record<string, string | undefined> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers ?? {})) {
    if (value !== undefined) out[key.toLowerCase()] = value;
  }
  return out;
}
