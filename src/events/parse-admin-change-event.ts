import { type AdminChangeEvent, adminChangeEventSchema, MAX_FUTURE_SKEW_MS } from './admin-change-event';
import { type FieldError, fieldErrorsFromZod } from './validation-error';

export type ParseResult = { ok: true; event: AdminChangeEvent } | { ok: false; errors: FieldError[] };

/**
 * Validates one CloudEvent. `pointerPrefix` locates it inside a larger body (`/3` for the fourth event of a batch).
 * Any past `time` is accepted (late events are the ordering guard's job); a future one beyond the skew is not.
 */
export function parseAdminChangeEvent(input: unknown, now: number, pointerPrefix = ''): ParseResult {
  const parsed = adminChangeEventSchema.safeParse(input);
  if (!parsed.success) return { ok: false, errors: fieldErrorsFromZod(parsed.error, pointerPrefix) };
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
