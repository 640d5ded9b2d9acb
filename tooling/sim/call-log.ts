import type { CallRecord } from './types';

export const REDACTED = '[redacted]';

/**
 * Parameters that carry a secret: admin and account passwords, legacy API keys, session ids. Their values never
 * reach `/__sim/calls`, because test output and CI logs print that route's answer.
 */
const SECRET_PARAM = /password|api_key|secret|private_key|session_id|token/i;

export function redactParams(values: ReadonlyMap<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of values) out[k] = SECRET_PARAM.test(k) ? REDACTED : v;
  return out;
}

/** Every Management API call received, in arrival order; copies go out so callers cannot edit the log. */
export class CallLog {
  private records: CallRecord[] = [];

  add(record: CallRecord): CallRecord {
    this.records.push(record);
    return record;
  }

  list(): CallRecord[] {
    return this.records.map((r) => ({ ...r, params: { ...r.params }, query_keys: [...r.query_keys] }));
  }

  clear(): void {
    this.records = [];
  }
}
