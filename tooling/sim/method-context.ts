import { invalidParameter } from './api-error';
import type { Caller } from './authenticate';
import type { Params } from './params';
import type { SimStore, StoredAccount } from './store';

/** What a Management API method handler gets: the caller is authenticated and allowed to call it. */
export interface MethodContext {
  store: SimStore;
  caller: Caller;
  /** The account the call acts on (the JWT's `iss`, or the admin's account). */
  account: StoredAccount;
  params: Params;
  now: () => number;
  /** The simulator's own Management API base URL (GetAccountInfo's `api_address`). */
  apiUrl: string;
}

/** The success body (`{"result": ...}` and any top-level extras); failures throw SimApiError. */
export type MethodResult = Record<string, unknown>;

export type MethodHandler = (ctx: MethodContext) => MethodResult | Promise<MethodResult>;

/**
 * `count` (default 20) and `offset` (default 0) as the list methods take them
 * (https://voximplant.com/docs/references/httpapi/adminusers).
 */
export function paging(params: Params): { count: number; offset: number } {
  const count = params.int('count') ?? 20;
  const offset = params.int('offset') ?? 0;
  if (count < 1) throw invalidParameter('count');
  if (offset < 0) throw invalidParameter('offset');
  return { count, offset };
}

/** A page of a list plus `total_count` (all matches) and `count` (returned), as the list methods answer. */
export function page<T>(items: readonly T[], params: Params): { result: T[]; total_count: number; count: number } {
  const { count, offset } = paging(params);
  const result = items.slice(offset, offset + count);
  return { result, total_count: items.length, count: result.length };
}

/** Length in characters (code points), the way a person counts a name, not UTF-16 units. */
export function charLength(s: string): number {
  return [...s].length;
}
