import { type AdminChangeEvent, adminChangeEventSchema, MAX_FUTURE_SKEW_MS } from './admin-change-event';
import { type FieldError, fieldErrorsFromZod, toJsonPointer } from './validation-error';

// CloudEvents spec "Attribute Naming Convention": lower-case ASCII letters and digits only.
const ATTRIBUTE_NAME = /^[a-z0-9]+$/;
// The JSON format's one member that is not an attribute (CloudEvents JSON Event Format §3.1,
// https://github.com/cloudevents/spec/blob/v1.0.2/cloudevents/formats/json-format.md).
const DATA_BASE64 = 'data_base64';

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * CloudEvents JSON Event Format §2.2 (mapping of the type system): a `null` attribute is decoded as if it were unset.
 */
function withoutNulls(input: unknown): unknown {
  if (!isPlainObject(input)) return input;
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== null));
}

/** What the CloudEvents JSON format forbids beyond our schema: bad attribute names, and `data` with `data_base64`. */
function jsonFormatErrors(event: unknown, prefix: string): FieldError[] {
  if (!isPlainObject(event)) return [];
  const errors: FieldError[] = [];
  for (const name of Object.keys(event)) {
    if (name !== DATA_BASE64 && !ATTRIBUTE_NAME.test(name)) {
      errors.push({
        // The name is the sender's text: a long one is cut, so an error cannot grow with the body.
        path: toJsonPointer([name.length > 64 ? `${name.slice(0, 64)}…` : name], prefix),
        message: 'is not a valid CloudEvents attribute name (lower-case a-z and 0-9 only)',
      });
    }
  }
  if (DATA_BASE64 in event && 'data' in event) {
    errors.push({ path: `${prefix}/${DATA_BASE64}`, message: 'must not be present together with data' });
  }
  return errors;
}

export type ParseResult = { ok: true; event: AdminChangeEvent } | { ok: false; errors: FieldError[] };

/**
 * Validates one CloudEvent. `pointerPrefix` locates it inside a larger body (`/3` for the fourth event of a batch).
 * Any past `time` is accepted (late events are the ordering guard's job); a future one beyond the skew is not.
 */
export function parseAdminChangeEvent(input: unknown, now: number, pointerPrefix = ''): ParseResult {
  const event = withoutNulls(input);
  const formatErrors = jsonFormatErrors(event, pointerPrefix);
  const parsed = adminChangeEventSchema.safeParse(event);
  if (!parsed.success || formatErrors.length > 0) {
    return {
      ok: false,
      errors: [...formatErrors, ...(parsed.success ? [] : fieldErrorsFromZod(parsed.error, pointerPrefix))],
    };
  }
  const at = Date.parse(parsed.data.time);
  if (at - now > MAX_FUTURE_SKEW_MS) {
    return {
      ok: false,
      errors: [{ path: `${pointerPrefix}/time`, message: 'is more than 5 minutes in the future' }],
    };
  }
  return { ok: true, event: parsed.data };
}

/** Parses a JSON text (the SQS message body) and validates it. */
export function parseAdminChangeEventJson(body: string, now: number): ParseResult {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { ok: false, errors: [{ path: '', message: 'body is not valid JSON' }] };
  }
  return parseAdminChangeEvent(json, now);
}
