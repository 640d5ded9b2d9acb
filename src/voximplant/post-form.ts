import type { VoximplantError } from './errors';
import { parseResponse } from './response';
import { transportError } from './transport-error';

const USER_AGENT = 'vox-admin-bridge';

export interface FormPost {
  fetch: typeof fetch;
  /** The API base URL without a trailing slash; the request goes to `{apiUrl}/{method}`. */
  apiUrl: string;
  method: string;
  /** The `application/x-www-form-urlencoded` body (formBody). */
  body: string;
  /** The whole exchange, the answer's body included, must finish within this. */
  timeoutMs: number;
  /** Added to the content type, accept and user agent every request carries (authorization, idempotency-key). */
  headers?: Record<string, string>;
}

export type PostOutcome =
  | { ok: true; body: Record<string, unknown>; serverDate?: string }
  | { ok: false; error: VoximplantError };

/**
 * One attempt of a Management API method, for VoximplantClient and the admin's own login alike: one POST, the
 * answer classified by `parseResponse`, a failure below HTTP by `transportError` (our own timeout as ambiguous).
 * Never rejects. `serverDate` is the answer's `Date` header: a way to see clock skew.
 */
export async function postForm(post: FormPost): Promise<PostOutcome> {
  const { method, timeoutMs } = post;
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  try {
    const response = await post.fetch(`${post.apiUrl}/${method}`, {
      method: 'POST',
      headers: {
        ...post.headers,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
        'user-agent': USER_AGENT,
      },
      body: post.body,
      signal: controller.signal,
    });
    // Reading the body is inside the timeout too: a server may send headers and then stall.
    const text = await response.text();
    const parsed = parseResponse(method, response.status, response.headers.get('content-type') ?? '', text);
    const serverDate = response.headers.get('date') ?? undefined;
    return parsed.ok && serverDate !== undefined ? { ...parsed, serverDate } : parsed;
  } catch (error) {
    return { ok: false, error: transportError(method, error, timedOut ? timeoutMs : undefined) };
  } finally {
    clearTimeout(timer);
  }
}
