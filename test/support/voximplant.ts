import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { CredentialsSource, VoximplantCredentials } from '../../src/voximplant/credentials';

/** Test helpers for the Voximplant client tests (unit and integration). Not a test file itself. */

let keyPair: { privatePem: string; publicKey: KeyObject } | undefined;

/** One RSA key per test file (generation takes ~100 ms), PKCS#8 PEM as Voximplant issues it. */
export function testKeyPair(): { privatePem: string; publicKey: KeyObject } {
  if (keyPair === undefined) {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    keyPair = { privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), publicKey };
  }
  return keyPair;
}

export function testCredentials(overrides: Partial<VoximplantCredentials> = {}): VoximplantCredentials {
  return {
    account_id: 1000001,
    key_id: 'key-aaaa-1111',
    private_key: testKeyPair().privatePem,
    account_email: 'ops@example.com',
    ...overrides,
  };
}

/** A credentials source whose value a test can change, counting reads and refreshes. */
export function mutableCredentials(initial: VoximplantCredentials) {
  let value = initial;
  const source = {
    gets: 0,
    refreshes: 0,
    set(next: VoximplantCredentials) {
      value = next;
    },
    async get() {
      source.gets += 1;
      return value;
    },
    async refresh() {
      source.refreshes += 1;
      return value;
    },
  } satisfies CredentialsSource & Record<string, unknown>;
  return source;
}

export interface CapturedRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string;
}

export type Responder = (request: CapturedRequest, index: number) => Response | Promise<Response>;

/** A fetch that records each request and answers with `responder` (no network). */
export function fakeFetch(responder: Responder) {
  const requests: CapturedRequest[] = [];
  const fn = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const headers: Record<string, string> = {};
    new Headers(init?.headers).forEach((v, k) => {
      headers[k] = v;
    });
    const request: CapturedRequest = {
      url: String(input),
      method: init?.method ?? 'GET',
      headers,
      body: typeof init?.body === 'string' ? init.body : '',
    };
    requests.push(request);
    return responder(request, requests.length - 1);
  };
  return { fetch: fn as typeof fetch, requests };
}

export const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

export const apiErrorBody = (code: number, msg = `error ${code}`) => json({ error: { code, msg } });

/** A sleep that waits for nothing and remembers what it was asked. */
export function recordingSleep() {
  const delays: number[] = [];
  const sleep = async (ms: number) => {
    delays.push(ms);
  };
  return { sleep, delays };
}

/** A deadline with a fixed amount of time left. */
export const fixedDeadline = (ms: number) => ({ remainingMs: () => ms });
