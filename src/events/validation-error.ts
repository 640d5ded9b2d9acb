import type * as z from 'zod';

/**
 * One problem in a request, located by a JSON Pointer into the body (RFC 6901; docs/CONTRACT.md#post-events), e.g.
 * `/1/data/admin_user_id`.
 */
export interface FieldError {
  path: string;
  message: string;
}

function escapePointerToken(token: PropertyKey): string {
  return String(token).replaceAll('~', '~0').replaceAll('/', '~1');
}

export function toJsonPointer(path: readonly PropertyKey[], prefix = ''): string {
  return prefix + path.map((t) => `/${escapePointerToken(t)}`).join('');
}

/** zod issues → `{path, message}`; never echoes the offending value (it may be a secret someone pasted). */
export function fieldErrorsFromZod(error: z.ZodError, prefix = ''): FieldError[] {
  return error.issues.map((issue) => ({ path: toJsonPointer(issue.path, prefix), message: issue.message }));
}
