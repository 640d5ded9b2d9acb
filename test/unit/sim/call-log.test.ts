import { describe, expect, it } from 'vitest';
import { CallLog, REDACTED, redactParams } from '../../../tooling/sim/call-log';

describe('redactParams', () => {
  it('hides every password, key, secret, token and session value, and nothing else', () => {
    const out = redactParams(
      new Map([
        ['new_admin_user_password', 'p1'],
        ['admin_user_password', 'p2'],
        ['account_password', 'p3'],
        ['api_key', 'k'],
        ['admin_user_api_key', 'k2'],
        ['session_id', 's'],
        ['required_admin_user_name', 'jdoe'],
        ['admin_user_active', 'false'],
      ]),
    );
    expect(out).toEqual({
      new_admin_user_password: REDACTED,
      admin_user_password: REDACTED,
      account_password: REDACTED,
      api_key: REDACTED,
      admin_user_api_key: REDACTED,
      session_id: REDACTED,
      required_admin_user_name: 'jdoe',
      admin_user_active: 'false',
    });
  });
});

describe('CallLog', () => {
  it('hands out copies', () => {
    const log = new CallLog();
    log.add({ method: 'M', params: { a: '1' }, at: 'now', auth: 'none', encoding: 'none', query_keys: [] });
    const copy = log.list();
    copy[0]!.params.a = 'changed';
    expect(log.list()[0]!.params.a).toBe('1');
    log.clear();
    expect(log.list()).toEqual([]);
  });
});
