import type { FieldError } from '../events/validation-error';

/**
 * `source` namespaces the bridge writes itself: the Okta hook (`urn:okta:<org host>`, src/ingress/okta-events.ts) and
 * the bridge's own changes (`urn:vox-admin-bridge:scim`, `urn:vox-admin-bridge:rotate`, and any later one). An
 * `/events` sender using them could pre-empt or collide with those changes' idempotency keys, so they are refused
 * there. URN namespace identifiers are case-insensitive (RFC 8141 §3), so the comparison is too.
 */
export const RESERVED_SOURCE_PREFIXES = ['urn:okta:', 'urn:vox-admin-bridge:'] as const;

export function reservedSourceError(source: string, pointer: string): FieldError | undefined {
  const lower = source.trim().toLowerCase();
  const prefix = RESERVED_SOURCE_PREFIXES.find((p) => lower.startsWith(p));
  if (prefix === undefined) return undefined;
  return { path: `${pointer}/source`, message: `is in the ${prefix} namespace, which only the bridge itself uses` };
}
