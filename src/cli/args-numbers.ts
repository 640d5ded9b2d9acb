import { usageError } from './cli-error';

/** A positive whole number from a flag (an account id), or a usage error naming the flag. */
export function parsePositiveInt(label: string, value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n <= 0) {
    throw usageError(`${label} must be a positive whole number, got "${value}"`);
  }
  return n;
}

/**
 * A date or time from a flag: `2026-11-01` (the start of that UTC day) or an RFC 3339 time with an offset. Epoch ms.
 */
export function parseDateFlag(label: string, value: string): number {
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const full = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i.test(value);
  const ms = Date.parse(dateOnly ? `${value}T00:00:00Z` : value);
  if ((!dateOnly && !full) || !Number.isFinite(ms)) {
    throw usageError(`${label} must be a date (2026-11-01) or an RFC 3339 time (2026-11-01T09:00:00Z), got "${value}"`);
  }
  return ms;
}
