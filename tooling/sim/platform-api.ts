import { SimApiError } from './api-error';
import { authenticate } from './authenticate';
import { type CallLog, redactParams } from './call-log';
import { APPLIED_ERROR_CODES, type FaultQueue, type FaultSpec } from './faults';
import { METHOD_HANDLERS } from './methods/index';
import { Params, ParamsFormatError, parseParams } from './params';
import type { RateLimiter } from './rate-limiter';
import { isSimMethod } from './roles';
import type { SimStore } from './store';
import type { CallRecord } from './types';

export interface PlatformApiDeps {
  store: SimStore;
  faults: FaultQueue;
  rateLimiter: RateLimiter;
  calls: CallLog;
  now: () => number;
  skewToleranceSec: number;
  apiUrl: () => string;
  /** A wait that ends early when the simulator closes. */
  sleep: (ms: number) => Promise<void>;
}

export interface ApiRequest {
  url: URL;
  /** The method from `/platform_api/{Method}`, if the path names one. */
  pathMethod: string | undefined;
  contentType: string | undefined;
  authorization: string | undefined;
  idempotencyKey: string | undefined;
  body: Buffer;
}

export type ApiAnswer =
  | { kind: 'json'; status: number; body: unknown }
  | { kind: 'raw'; status: number; body: string; contentType: string }
  | { kind: 'drop' };

/**
 * One Management API call, start to finish: parameters → call log → queued fault → (rate limit → method →
 * auth → role → handler) → the fault's twist on the answer. See faults.ts for what each fault does.
 */
export async function handleApiCall(req: ApiRequest, deps: PlatformApiDeps): Promise<ApiAnswer> {
  let values = new Map<string, string>();
  let record: CallRecord;
  try {
    const parsed = await parseParams(req.url, req.contentType, req.body);
    values = parsed.values;
    record = newRecord(req, deps, values, parsed.queryKeys, parsed.encoding);
  } catch (error) {
    if (!(error instanceof ParamsFormatError)) throw error;
    record = newRecord(req, deps, values, [], 'multipart');
    record.error_code = 101;
    return { kind: 'json', status: 200, body: new SimApiError(101).toBody() };
  }

  const fault = deps.faults.take(record.method);
  if (fault?.drop === 'before') {
    record.fault = 'drop_before';
    return { kind: 'drop' };
  }
  const outcome = appliesCall(fault) ? await execute(record, new Params(values), req, deps) : undefined;
  if (fault?.delayMs) {
    record.fault = 'delay';
    await deps.sleep(fault.delayMs);
  }
  if (fault?.drop === 'after') {
    record.fault = 'drop_after';
    return { kind: 'drop' };
  }
  if (fault?.error) {
    // A "probable resend" error whose call failed on its own says what really happened instead (faults.ts).
    if (outcome?.error) return json(200, outcome.body);
    record.fault = 'error';
    record.error_code = fault.error.code;
    const error =
      fault.error.msg === undefined
        ? new SimApiError(fault.error.code)
        : new SimApiError(fault.error.code, fault.error.msg);
    return json(fault.httpStatus ?? 200, error.toBody());
  }
  if (fault && (fault.httpStatus !== undefined || fault.body !== undefined)) {
    record.fault = 'http';
    const status = fault.httpStatus ?? 200;
    const body = fault.body ?? `<html><head><title>${status}</title></head><body><h1>${status}</h1></body></html>`;
    const contentType = body.trimStart().startsWith('<') ? 'text/html; charset=utf-8' : 'application/json';
    return { kind: 'raw', status, body, contentType };
  }
  return json(200, outcome!.body);
}

/** Does the call reach the method? Not when a fault answers instead of the server (see faults.ts). */
function appliesCall(fault: FaultSpec | undefined): boolean {
  if (!fault) return true;
  if (fault.error) return APPLIED_ERROR_CODES.has(fault.error.code);
  return fault.httpStatus === undefined && fault.body === undefined;
}

function json(status: number, body: unknown): ApiAnswer {
  return { kind: 'json', status, body };
}

function newRecord(
  req: ApiRequest,
  deps: PlatformApiDeps,
  values: ReadonlyMap<string, string>,
  queryKeys: string[],
  encoding: CallRecord['encoding'],
): CallRecord {
  // The path names the method when it can (.NET sends both the path and `cmd`: apiclient-dotnet
  // `VoximplantAPI.cs`).
  const method = req.pathMethod ?? values.get('cmd') ?? '';
  return deps.calls.add({
    method,
    params: redactParams(values),
    at: new Date(deps.now()).toISOString(),
    auth: 'none',
    encoding,
    query_keys: queryKeys,
    ...(req.idempotencyKey === undefined ? {} : { idempotency_key: req.idempotencyKey }),
  });
}

/** The server proper. Returns the body and whether it is an error; fills in the call record. */
async function execute(
  record: CallRecord,
  params: Params,
  req: ApiRequest,
  deps: PlatformApiDeps,
): Promise<{ body: unknown; error: boolean }> {
  try {
    if (!deps.rateLimiter.tryTake()) throw new SimApiError(340);
    if (record.method === '') throw new SimApiError(102);
    if (!isSimMethod(record.method)) throw new SimApiError(103);
    const caller = await authenticate(req.authorization, params, deps.store, deps.now(), deps.skewToleranceSec);
    record.auth = caller.kind;
    record.account_id = caller.accountId;
    if (caller.kind === 'jwt') record.key_id = caller.keyId;
    if (!caller.allowed.includes(record.method)) throw new SimApiError(104);
    const account = deps.store.account(caller.accountId)!;
    const body = await METHOD_HANDLERS[record.method]({
      store: deps.store,
      caller,
      account,
      params,
      now: deps.now,
      apiUrl: deps.apiUrl(),
    });
    return { body, error: false };
  } catch (error) {
    // A bug in the simulator answers INTERNAL_ERROR with its message, rather than hiding behind a hang-up.
    const apiError =
      error instanceof SimApiError ? error : new SimApiError(2, `Internal error: ${(error as Error).message}`);
    record.error_code = apiError.code;
    return { body: apiError.toBody(), error: true };
  }
}
