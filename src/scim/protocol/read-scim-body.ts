import { type HttpRequest, headerValue } from '../../http/http-message';
import { isJsonMediaType, isUtf8, requestMediaType } from '../../http/media-type';
import { isPlainObject } from './attribute-path';
import { nestsDeeperThan } from './json-depth';
import { badRequest, ScimError } from './scim-error';

/** Far above any user an IdP sends (the Microsoft suite's largest is ~2 KB); a SCIM record must stay well inside 400 KB. */
const MAX_SCIM_BODY_BYTES = 128 * 1024;

/**
 * Levels of objects and arrays a body may nest, the outermost one counted. The deepest shape an IdP sends is a
 * PatchOp with a schema-keyed value: body › Operations › operation › value › extension › manager (6 levels), and an
 * extension attribute of a custom schema may hold a few levels more. Deeper is refused before it is parsed.
 */
export const MAX_SCIM_BODY_DEPTH = 16;

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * The JSON object a POST, PUT, PATCH or `/.search` carries. `application/scim+json` and `application/json` are both
 * accepted (the Okta suite posts the latter), and so is a body without Content-Type; anything else is 415. Broken
 * JSON is 400 `invalidSyntax` (the Microsoft suite's "Post junk"); the parser's message is not echoed, it quotes the
 * body. So is a body nested deeper than MAX_SCIM_BODY_DEPTH: the size bound alone still lets 128 KiB nest 65,000
 * levels, more than the recursive steps after parsing can take.
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
  if (nestsDeeperThan(text, MAX_SCIM_BODY_DEPTH)) {
    throw badRequest(
      'invalidSyntax',
      `the body nests objects and arrays more than ${MAX_SCIM_BODY_DEPTH} levels deep; no SCIM resource is that deep`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw badRequest('invalidSyntax', 'the body is not valid JSON');
  }
  if (!isPlainObject(value)) throw badRequest('invalidSyntax', 'the body must be a JSON object');
  return value;
}
