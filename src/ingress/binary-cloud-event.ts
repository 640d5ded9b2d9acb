/**
 * CloudEvents HTTP binding, binary mode (cloudevents/spec http-protocol-binding.md §3.1): attributes travel as
 * `ce-<name>` headers, Content-Type is the data's type (`datacontenttype`), and the body is `data`. This builds
 * the same event a structured-mode sender would have sent, so everything after it (validation, the queue body)
 * has one shape.
 */
const CE_PREFIX = 'ce-';
// CloudEvents attribute names are lower-case a-z/0-9, at most 20 characters (spec "Attribute Naming Convention").
const ATTRIBUTE_NAME = /^[a-z0-9]{1,20}$/;
// `data` is the body; `data_base64` belongs to the JSON format only. Neither may come from a header.
const NOT_FROM_HEADERS = new Set(['data', 'data_base64', 'datacontenttype']);

/** The binding requires percent-encoding of some characters in header values; a malformed escape is kept as sent. */
function percentDecode(value: string): string {
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

export function isBinaryModeRequest(headers: Record<string, string>): boolean {
  return headers['ce-specversion'] !== undefined;
}

export function cloudEventFromBinary(
  headers: Record<string, string>,
  data: unknown,
  contentType: string,
): Record<string, unknown> {
  const event: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!name.startsWith(CE_PREFIX)) continue;
    const attribute = name.slice(CE_PREFIX.length);
    if (!ATTRIBUTE_NAME.test(attribute) || NOT_FROM_HEADERS.has(attribute)) continue;
    event[attribute] = percentDecode(value.trim());
  }
  event.datacontenttype = contentType;
  event.data = data;
  return event;
}
