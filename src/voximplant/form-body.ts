import { invalidRequest } from './errors';

export type Params = Record<string, string | number | boolean | undefined>;

/**
 * Parameters → an `application/x-www-form-urlencoded` body (docs/CONTRACT.md#the-voximplant-call). Never the query
 * string: passwords would end up in access logs. Booleans are `true`/`false` (what the official Node, Go and PHP
 * clients send), numbers `String(n)`, undefined is left out. Lists are the caller's job (`;`-joined, as
 * https://voximplant.com/docs/references/httpapi/adminusers describes them).
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
