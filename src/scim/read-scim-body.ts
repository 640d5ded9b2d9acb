import { type HttpRequest, headerValue } from '../http/http-message';
import { isJsonMediaType, isUtf8, requestMediaType } from '../http/media-type';
import { isPlainObject } from './attribute-path';
import { badRequest, ScimError } from './scim-error';

/** Far above any user an IdP sends (the Microsoft suite's largest is ~2 KB); a SCIM record must stay well inside 400 KB. */
const MAX_SCIM_BODY_BYTES = 128 * 1024;

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * The JSON object a POST, PUT, PATCH or `/.search` carries. `application/scim+json` and `application/json` are both
 * accepted (the Okta suite posts the latter), and so is a body without Content-Type; anything else is 415. Broken
 * JSON is 400 `invalidSyntax` (the Microsoft suite's "Post junk"); the parser's message is not echoed, it quotes the
 * body.
 */
export function readScimBody(request: Pick<HttpRequest, 'headers' | 'rawBody'>): Record<string, unknown> {
  if (request.rawBody.length > MAX_SCIM_BODY_BYTES) {
    throw new ScimError(
      413,
      `the body is ${request.rawBody.length} bytes; at most ${MAX_SCIM_BODY_BYTES} are accepted`,
    );
  }
  const declared = headerValue(request, 'content-type');
  const mediaType = requestMediaType(request);
  if (
    declared !== undefined &&
    declared.trim() !== '' &&
    (mediaType === undefined || !isJsonMediaType(mediaType) || !isUtf8(mediaType))
  ) {
    throw new ScimError(415, 'send the body as application/scim+json (or application/json), UTF-8');
  }
  let text: string;
  try {
    text = utf8.decode(request.rawBody);
  } catch {
    throw badRequest('invalidSyntax', 'the body is not valid UTF-8');
  }
  if (text.trim() === '') throw badRequest('invalidSyntax', 'the body is empty');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw badRequest('invalidSyntax', 'the body is not valid JSON');
  }
  if (!isPlainObject(value)) throw badRequest('invalidSyntax', 'the body must be a JSON object');
  return value;
}
