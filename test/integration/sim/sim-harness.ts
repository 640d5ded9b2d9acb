import { type CryptoKey, generateKeyPair, importPKCS8, SignJWT } from 'jose';
import { createSimulator, type Simulator, type SimulatorOptions } from '../../../tooling/sim/simulator';

/** Plain HTTP against the simulator, as any client would talk to the Management API. */

export const T0 = Date.parse('2026-11-27T09:00:00Z');

/** A clock the test moves by hand. */
export function manualClock(start = T0): { now: () => number; set(ms: number): void; advance(ms: number): void } {
  let current = start;
  return {
    now: () => current,
    set: (ms) => {
      current = ms;
    },
    advance: (ms) => {
      current += ms;
    },
  };
}

export interface RunningSim {
  sim: Simulator;
  url: string;
  apiUrl: string;
}

export async function startSim(opts: SimulatorOptions = {}): Promise<RunningSim> {
  const sim = await createSimulator(opts);
  const { url, apiUrl } = await sim.listen(0, '127.0.0.1');
  return { sim, url, apiUrl };
}

export interface Creds {
  account_id: number;
  key_id: string;
  private_key: string;
}

export interface TokenOverrides {
  alg?: string;
  kid?: string | undefined;
  iss?: number | string | undefined;
  iat?: number | undefined;
  exp?: number | undefined;
  /** Sign with this key instead of the credentials' own. */
  key?: CryptoKey;
}

const importedKeys = new Map<string, Promise<CryptoKey>>();

function privateKey(creds: Creds): Promise<CryptoKey> {
  let key = importedKeys.get(creds.private_key);
  if (!key) {
    key = importPKCS8(creds.private_key, 'RS256');
    importedKeys.set(creds.private_key, key);
  }
  return key;
}

/** A Voximplant service-account JWT
 * (https://voximplant.com/docs/guides/managementapi/authorization); `nowSec` is the issuer's clock. Overrides break one
 * rule. */
export async function signToken(creds: Creds, nowSec: number, o: TokenOverrides = {}): Promise<string> {
  const claims: Record<string, unknown> = {};
  const iss = 'iss' in o ? o.iss : creds.account_id;
  const iat = 'iat' in o ? o.iat : nowSec;
  const exp = 'exp' in o ? o.exp : nowSec + 60;
  if (iss !== undefined) claims.iss = iss;
  if (iat !== undefined) claims.iat = iat;
  if (exp !== undefined) claims.exp = exp;
  const header: Record<string, unknown> = { alg: o.alg ?? 'RS256', typ: 'JWT' };
  const kid = 'kid' in o ? o.kid : creds.key_id;
  if (kid !== undefined) header.kid = kid;
  return new SignJWT(claims).setProtectedHeader(header as { alg: string }).sign(o.key ?? (await privateKey(creds)));
}

let otherKey: Promise<CryptoKey> | undefined;
/** An RSA key the simulator has never seen. */
export function foreignKey(): Promise<CryptoKey> {
  otherKey ??= generateKeyPair('RS256').then((p) => p.privateKey);
  return otherKey;
}

export type Encoding = 'urlencoded' | 'multipart' | 'query';

export interface CallOptions {
  token?: string;
  authorization?: string;
  encoding?: Encoding;
  /** Send the method as `cmd` to `POST /platform_api` instead of in the path. */
  viaCmd?: boolean;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: test convenience: assertions read arbitrary response fields
  body: any;
}

export async function callApi(
  apiUrl: string,
  method: string,
  params: Record<string, string | number | boolean> = {},
  o: CallOptions = {},
): Promise<ApiResponse> {
  const entries: [string, string][] = Object.entries(params).map(([k, v]) => [k, String(v)]);
  if (o.viaCmd) entries.unshift(['cmd', method]);
  const headers: Record<string, string> = { ...o.headers };
  if (o.authorization !== undefined) headers.authorization = o.authorization;
  else if (o.token !== undefined) headers.authorization = `Bearer ${o.token}`;
  let url = o.viaCmd ? apiUrl : `${apiUrl}/${method}`;
  let body: string | FormData | undefined;
  const encoding = o.encoding ?? 'urlencoded';
  if (encoding === 'urlencoded') {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(entries).toString();
  } else if (encoding === 'multipart') {
    const form = new FormData();
    for (const [k, v] of entries) form.append(k, v);
    body = form;
  } else {
    url += `?${new URLSearchParams(entries).toString()}`;
  }
  const res = await fetch(url, {
    method: 'POST',
    headers,
    ...(body === undefined ? {} : { body }),
    ...(o.signal ? { signal: o.signal } : {}),
  });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: res.status, headers: res.headers, text, body: parsed };
}

/** A caller bound to one simulator and key, signing a fresh token per call by the simulator's clock. */
export function apiAs(apiUrl: string, creds: Creds, nowMs: () => number = Date.now) {
  return async (
    method: string,
    params: Record<string, string | number | boolean> = {},
    o: Omit<CallOptions, 'token'> & { jwt?: TokenOverrides } = {},
  ): Promise<ApiResponse> => {
    const { jwt: overrides, ...rest } = o;
    const token = await signToken(creds, Math.floor(nowMs() / 1000), overrides);
    return callApi(apiUrl, method, params, { ...rest, token });
  };
}

/** A response body as JSON, loosely typed for assertions. */
export async function jsonOf(res: Response): Promise<ApiResponse['body']> {
  return res.json();
}

export function errorCode(res: ApiResponse): number | undefined {
  return res.body?.error?.code;
}
