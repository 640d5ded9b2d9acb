import type { AttributePath } from './attribute-path';
import { getField, isPlainObject } from './attribute-path';
import { type Filter, parseFilter } from './filter';
import { parseAttributeList } from './projection';
import { badRequest } from './scim-error';

/** The most resources one page returns (ServiceProviderConfig `filter.maxResults`); Okta pages with 100. */
export const MAX_RESULTS = 200;
/** A page without `count`. */
export const DEFAULT_COUNT = 100;

export interface ListQuery {
  filter?: Filter;
  /** 1-based (RFC 7644 §3.4.2.4). */
  startIndex: number;
  count: number;
  attributes?: AttributePath[];
  excludedAttributes?: AttributePath[];
}

/**
 * A query's parameters (GET `?filter=…&startIndex=…&count=…`) or a `/.search` body (RFC 7644 §3.4.3), read the way
 * clients send them: names in any case, numbers as strings (a query string has nothing else, and some clients quote
 * them in a search body too), a startIndex below 1 read as 1 and a negative count as 0 (§3.4.2.4), a count above
 * the maximum cut to it. Unknown parameters (Entra's `aadOptscim062020`) are ignored. `sortBy` is ignored:
 * ServiceProviderConfig says sorting is not supported.
 */
export function readListQuery(params: Record<string, unknown>): ListQuery {
  const filterText = stringParam(params, 'filter');
  const startIndex = intParam(params, 'startIndex');
  const count = intParam(params, 'count');
  const attributes = parseAttributeList(listParam(params, 'attributes'));
  const excludedAttributes = parseAttributeList(listParam(params, 'excludedAttributes'));
  const query: ListQuery = {
    startIndex: startIndex === undefined || startIndex < 1 ? 1 : startIndex,
    count: count === undefined ? DEFAULT_COUNT : Math.min(MAX_RESULTS, Math.max(0, count)),
  };
  if (filterText !== undefined && filterText.trim() !== '') query.filter = parseFilter(decodePlus(filterText));
  if (attributes !== undefined) query.attributes = attributes;
  if (excludedAttributes !== undefined) query.excludedAttributes = excludedAttributes;
  return query;
}

/**
 * A filter whose spaces arrived as `+` (form encoding: `DisplayName+eq+%22BobIsAmazing%22`) through an adapter that
 * decoded only the %-escapes. Every filter expression has a space between attribute and operator, so a filter with
 * `+` and no space at all can only be that; a `+` inside a value of a well-decoded filter is left alone.
 */
function decodePlus(filter: string): string {
  return !/\s/.test(filter) && filter.includes('+') ? filter.replaceAll('+', ' ') : filter;
}

function param(params: Record<string, unknown>, name: string): unknown {
  return isPlainObject(params) ? getField(params, name) : undefined;
}

function stringParam(params: Record<string, unknown>, name: string): string | undefined {
  const value = param(params, name);
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw badRequest('invalidValue', `${name} must be a string`);
  return value;
}

function listParam(params: Record<string, unknown>, name: string): string | undefined {
  const value = param(params, name);
  if (Array.isArray(value)) return value.filter((v) => typeof v === 'string').join(',');
  return stringParam(params, name);
}

function intParam(params: Record<string, unknown>, name: string): number | undefined {
  const value = param(params, name);
  if (value === undefined || value === null || value === '') return undefined;
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value.trim()) : Number.NaN;
  if (!Number.isFinite(n)) throw badRequest('invalidValue', `${name} must be an integer`);
  return Math.trunc(n);
}
