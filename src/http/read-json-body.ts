import type { HttpRequest, HttpResponse } from './http-message';
import { problemResponse } from './problem';

export type JsonBodyResult = { ok: true; value: unknown } | { ok: false; response: HttpResponse };

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * The body as JSON, or a 400 that says why not. Invalid UTF-8 is refused rather than replaced: a replacement
 * character in an admin name would be applied to the wrong admin, silently.
 */
export function readJsonBody(request: Pick<HttpRequest, 'rawBody'>): JsonBodyResult {
  let text: string;
  try {
    text = utf8.decode(request.rawBody);
  } catch {
    return { ok: false, response: problemResponse('malformed-request', { detail: 'the body is not valid UTF-8' }) };
  }
  if (text.trim() === '') {
    return { ok: false, response: problemResponse('malformed-request', { detail: 'the body is empty' }) };
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    // V8's SyntaxError message quotes a snippet of the input, which may hold anything the sender pasted: not echoed.
    return { ok: false, response: problemResponse('malformed-request', { detail: 'the body is not valid JSON' }) };
  }
}
