import { CONNECT_TIMEOUT_CODES, DNS_CODES, errorCodes, REFUSED_CODES, RESET_CODES } from '../errors/network-codes';
import { VoximplantError } from './errors';

/**
 * A failure below HTTP (what global fetch, i.e. undici, throws) as a VoximplantError. What matters is whether
 * the request can have reached Voximplant (src/errors/network-codes.ts):
 * - never sent (connection refused, DNS failure, connect timeout): `transient`, a resend is safe;
 * - sent, answer lost (our attempt timeout, the socket closed or reset mid-exchange): `ambiguous` (stripe-node
 *   retries a reset keep-alive socket for the same reason). Ambiguous outcomes are retried after `verify`.
 */
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
