/** Production's Management API base, the default of `--api-url` (as of VOXIMPLANT_API_URL in src/config.ts). */
import { DEFAULT_API_URL } from '../config';
import { CliError, usageError } from './cli-error';
import type { CliIo } from './io';

/** Long enough for a cold start of the local bridge; short enough that a wrong URL fails visibly. */
export const REQUEST_TIMEOUT_MS = 15_000;

/** Why a request never got an answer, in words (fetch hides the reason in `cause.code`). */
export function describeFetchFailure(error: unknown): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'))
    return 'no answer in time';
  const cause = error instanceof Error ? (error.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  switch (cause?.code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host not found';
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return 'connection closed by the server';
    case 'CERT_HAS_EXPIRED':
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
      return `TLS certificate problem (${cause.code})`;
    default:
      if (typeof cause?.code === 'string') return cause.code;
      // fetch refuses some URLs itself ("bad port" for ports browsers block, such as 9 or 6000).
      if (typeof cause?.message === 'string') return cause.message;
      return error instanceof Error ? error.message : 'request failed';
  }
}

/** fetch with a timeout; a transport failure becomes a one-line CliError naming the URL (never the request body). */
export async function fetchOrExplain(
  fetchFn: typeof fetch,
  url: string,
  init: RequestInit,
  hint?: string,
): Promise<Response> {
  try {
    return await fetchFn(url, { ...init, signal: init.signal ?? AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  } catch (error) {
    const reason = describeFetchFailure(error);
    throw new CliError('unreachable', `could not reach ${url}: ${reason}${hint === undefined ? '' : ` (${hint})`}`, 1, {
      cause: error,
    });
  }
}

/** The body for a person: pretty JSON when it is JSON, else as sent. */
export function formatBody(text: string): string {
  if (text.trim() === '') return '(empty body)';
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

export function parseUrl(label: string, value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw usageError(`${label} must be an absolute http(s) URL, got "${value}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw usageError(`${label} must be an http(s) URL, got "${value}"`);
  }
  return url;
}

/** The Management API base: `--api-url`, else $VOXIMPLANT_API_URL, else production's; no trailing slash. */
export function managementApiUrl(flag: string | undefined, env: CliIo['env']): string {
  return parseUrl('--api-url', flag ?? (env.VOXIMPLANT_API_URL || DEFAULT_API_URL)).href.replace(/\/+$/, '');
}
