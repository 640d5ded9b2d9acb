import { VoximplantError } from './errors';

/**
 * A failure below HTTP (what global fetch, i.e. undici, throws) as a VoximplantError. What matters is whether
 * the request can have reached Voximplant:
 * - never sent (connection refused, DNS failure, connect timeout): `transient`, a resend is safe;
 * - sent, answer lost (our attempt timeout, the socket closed or reset mid-exchange): `ambiguous`. A reused
 *   keep-alive socket is the common case: Lambda freezes the container between invocations, the server closes the
 *   idle socket meanwhile, and the next request on it fails with UND_ERR_SOCKET "other side closed" or ECONNRESET
 *   (stripe-node retries this for the same reason). Ambiguous outcomes are retried after `verify`.
 */
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'ECONNABORTED']);
const REFUSED_CODES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH']);
const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN']);
const CONNECT_TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT']);

/** Every `code` along the cause chain, including AggregateError members (happy-eyeballs connects). */
function errorCodes(error: unknown): string[] {
  const codes: string[] = [];
  const seen = new Set<unknown>();
  const visit = (e: unknown): void => {
    if (typeof e !== 'object' || e === null || seen.has(e)) return;
    seen.add(e);
    const { code, cause, errors } = e as { code?: unknown; cause?: unknown; errors?: unknown };
    if (typeof code === 'string') codes.push(code);
    if (Array.isArray(errors)) for (const member of errors) visit(member);
    visit(cause);
  };
  visit(error);
  return codes;
}

export function transportError(method: string, error: unknown, timedOutAfterMs?: number): VoximplantError {
  if (timedOutAfterMs !== undefined) {
    return new VoximplantError({
      code: 'timeout',
      kind: 'ambiguous',
      method,
      message: `${method}: no answer within ${timedOutAfterMs} ms`,
      cause: error,
    });
  }
  const codes = errorCodes(error);
  const has = (set: ReadonlySet<string>) => codes.find((c) => set.has(c));
  const detail = codes[codes.length - 1] ?? (error instanceof Error ? error.message : 'unknown');
  const make = (code: string, kind: 'transient' | 'ambiguous', what: string) =>
    new VoximplantError({ code, kind, method, message: `${method}: ${what} (${detail})`, cause: error });

  if (has(REFUSED_CODES)) return make('connection_refused', 'transient', 'connection refused, request not sent');
  if (has(DNS_CODES)) return make('dns_failure', 'transient', 'API host name did not resolve, request not sent');
  if (has(CONNECT_TIMEOUT_CODES)) return make('connect_timeout', 'transient', 'could not connect, request not sent');
  if (has(RESET_CODES)) return make('connection_reset', 'ambiguous', 'connection closed before the answer');
  // Anything else (a TLS failure, an undici error we have not met): we cannot tell whether the request went out.
  return make('network_error', 'ambiguous', 'request failed');
}
