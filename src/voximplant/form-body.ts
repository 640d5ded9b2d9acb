import { invalidRequest } from './errors';

export type Params = Record<string, string | number | boolean | undefined>;

/**
 * Parameters → an `application/x-www-form-urlencoded` body (CONTRACT §6.4). Never the query string: passwords
 * would end up in access logs. Booleans are `true`/`false` (what the Node, Go and PHP clients send, research §1),
 * numbers `String(n)`, undefined is left out. Lists are the caller's job (`;`-joined, research §1).
 */
export function formBody(method: string, params: Params): URLSearchParams {
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined) continue;
    if (typeof value === 'number' && !Number.isFinite(value))
      throw invalidRequest(method, `${name} is not a finite number`);
    form.append(name, typeof value === 'boolean' ? (value ? 'true' : 'false') : String(value));
  }
  return form;
}
