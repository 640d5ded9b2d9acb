import type { SimApiError } from './api-error';
import { invalidParameter } from './api-error';
import type { CallRecord } from './types';

/**
 * Request parameters as the Management API reads them: from the query string, an `application/x-www-form-urlencoded`
 * body or a `multipart/form-data` body. The official clients use all three (the official Node, Go, PHP, Java and .NET
 * clients send multipart, Python urlencoded, the new docs' curl examples the query string).
 */
export interface ParsedParams {
  values: Map<string, string>;
  queryKeys: string[];
  encoding: CallRecord['encoding'];
}

export class ParamsFormatError extends Error {
  readonly code = 'params_format';
}

export async function parseParams(url: URL, contentType: string | undefined, body: Buffer): Promise<ParsedParams> {
  const values = new Map<string, string>();
  const queryKeys: string[] = [];
  for (const [k, v] of url.searchParams) {
    values.set(k, v);
    if (!queryKeys.includes(k)) queryKeys.push(k);
  }
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  let bodyEncoding: 'urlencoded' | 'multipart' | undefined;
  // Body values win over query values of the same name (the usual GET-then-POST merge of PHP-style servers).
  if (type === 'application/x-www-form-urlencoded' && body.length > 0) {
    bodyEncoding = 'urlencoded';
    for (const [k, v] of new URLSearchParams(body.toString('utf8'))) values.set(k, v);
  } else if (type === 'multipart/form-data') {
    bodyEncoding = 'multipart';
    for (const [k, v] of await parseMultipart(contentType!, body)) values.set(k, v);
  }
  // Any other body (the docs' curl examples send `-d '{}'`) carries no parameters and is ignored.
  const encoding: CallRecord['encoding'] =
    bodyEncoding && queryKeys.length > 0 ? 'mixed' : (bodyEncoding ?? (queryKeys.length > 0 ? 'query' : 'none'));
  return { values, queryKeys, encoding };
}

/** Multipart via the platform's own parser (undici's `Request.formData()`, in Node 20), files read as text. */
async function parseMultipart(contentType: string, body: Buffer): Promise<[string, string][]> {
  let form: FormData;
  try {
    form = await new Request('http://sim.invalid/', {
      method: 'POST',
      headers: { 'content-type': contentType },
      body: new Uint8Array(body),
    }).formData();
  } catch {
    throw new ParamsFormatError('malformed multipart/form-data body');
  }
  const out: [string, string][] = [];
  for (const [k, v] of form) out.push([k, typeof v === 'string' ? v : await v.text()]);
  return out;
}

/** Typed access to the parameters of one call, with Voximplant's error for each kind of bad value. */
export class Params {
  constructor(private readonly values: ReadonlyMap<string, string>) {}

  has(name: string): boolean {
    return this.values.has(name);
  }

  string(name: string): string | undefined {
    return this.values.get(name);
  }

  /** An integer, or `invalid()` (default: 496 "The 'name' parameter is invalid."). */
  int(name: string, invalid: () => SimApiError = () => invalidParameter(name)): number | undefined {
    const raw = this.values.get(name);
    if (raw === undefined) return undefined;
    const value = raw.trim();
    if (!/^-?\d{1,15}$/.test(value)) throw invalid();
    return Number(value);
  }

  /**
   * A boolean. `true`/`false` in any case (Python's requests sends `True`/`False`) and `1`/`0` (the .NET
   * client sends SetAdminUserInfo's `admin_user_active` as "1"/"0"): both come from official clients that still
   * ship the admin-user methods, so the server must accept them. Anything else is 496.
   */
  bool(name: string): boolean | undefined {
    const raw = this.values.get(name);
    if (raw === undefined) return undefined;
    const value = raw.trim().toLowerCase();
    if (value === 'true' || value === '1') return true;
    if (value === 'false' || value === '0') return false;
    throw invalidParameter(name);
  }

  /**
   * A `;`-separated list ("separated by semicolons", https://voximplant.com/docs/references/httpapi/adminusers); empty
   * items dropped.
   */
  list(name: string): string[] | undefined {
    const raw = this.values.get(name);
    if (raw === undefined) return undefined;
    return raw
      .split(';')
      .map((s) => s.trim())
      .filter((s) => s.length > 0);
  }
}
