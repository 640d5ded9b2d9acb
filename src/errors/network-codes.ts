/**
 * Node's and undici's error codes for a request that failed below HTTP, grouped by whether it can have reached
 * the other side (Node's `Common system errors`, undici's `docs/api/Errors.md`):
 * - refused, unreachable, DNS, connect timeout: the request never left, so repeating it is safe;
 * - reset, broken pipe, socket closed: the request may have arrived and only the answer was lost. A reused
 *   keep-alive socket is the common case: Lambda freezes the container between invocations, the server closes the
 *   idle socket meanwhile, and the next request on it fails with UND_ERR_SOCKET "other side closed" or ECONNRESET.
 */
export const RESET_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'EPIPE',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'ECONNABORTED',
]);
export const REFUSED_CODES: ReadonlySet<string> = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH']);
export const DNS_CODES: ReadonlySet<string> = new Set(['ENOTFOUND', 'EAI_AGAIN']);
export const CONNECT_TIMEOUT_CODES: ReadonlySet<string> = new Set(['UND_ERR_CONNECT_TIMEOUT']);
/** A timeout after the request went out: the answer is what is missing. */
export const RESPONSE_TIMEOUT_CODES: ReadonlySet<string> = new Set([
  'ETIMEDOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/** Every string `code` along the cause chain, including AggregateError members (happy-eyeballs connects). */
export function errorCodes(error: unknown): string[] {
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
