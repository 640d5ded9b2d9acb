import { describe, expect, it } from 'vitest';
import {
  apiError,
  classifyErrorCode,
  ERROR_CODE_KINDS,
  type FailureKind,
  parseRetryAfterMs,
  VoximplantError,
} from '../../../src/voximplant/errors';

// Every code the bridge classifies (names from apiclient-php `src/Enum/Errors.php`), with the kind it is given.
const TABLE: ReadonlyArray<[number, string, FailureKind]> = [
  [2, 'INTERNAL_ERROR', 'transient'],
  [4, 'DB_ERROR', 'transient'],
  [1, 'FATAL_ERROR', 'transient'],
  [13, 'INTERNAL_CONFIGURATION_ERROR', 'transient'],
  [162, 'TRY_LATER', 'transient'],
  [340, 'RATE_LIMIT_EXCEED', 'throttled'],
  [416, 'RETRY_LATER', 'retry_after'],
  [314, 'CONCURRENT_RESOURCE_LIMIT_EXCEEDED', 'transient'],
  [484, 'HTTP_REQUEST_REJECTED', 'ambiguous'],
  [515, 'SAME_OPERATION_LIMIT', 'ambiguous'],
  [100, 'AUTHORIZATION_FAILED', 'auth'],
  [455, 'TOKEN_ISSUED_IN_FUTURE', 'auth'],
  [456, 'TOKEN_EXPIRED', 'auth'],
  [454, 'INVALID_TOKEN_TTL', 'permanent'],
  [447, 'INVALID_TOKEN_FORMAT', 'permanent'],
  [433, 'INVALID_KEY_ID', 'auth'],
  [104, 'FORBIDDEN_COMMAND', 'permanent'],
  [102, 'MISSING_CMD', 'permanent'],
  [103, 'UNKNOWN_COMMAND', 'permanent'],
  [12, 'INVALID_FUNC_NAME', 'permanent'],
  [131, 'ACCOUNT_ISNT_ACTIVATED', 'permanent'],
  [527, 'VPN_IS_NOT_ALLOWED', 'permanent'],
  [101, 'INVALID_ARGUMENTS', 'permanent'],
  [134, 'REQUIRED_IS_EMPTY', 'permanent'],
  [458, 'ONLY_ONE_OF_PARAMETERS', 'permanent'],
  [485, 'PARAMETER_CANT_BE_EMPTY', 'permanent'],
  [492, 'FORBIDDEN_PARAMETER', 'permanent'],
  [496, 'INVALID', 'permanent'],
  [499, 'TOO_LONG', 'permanent'],
  [477, 'LENGTH_EXCEEDED', 'permanent'],
  [284, 'INVALID_ADMIN_USER_ID', 'permanent'],
  [285, 'INVALID_REQUIRED_ADMIN_USER_ID', 'permanent'],
  [286, 'INVALID_REQUIRED_ADMIN_USER_NAME', 'permanent'],
  [287, 'ADMIN_USER_NAME_TOO_LONG', 'permanent'],
  [288, 'ADMIN_USER_DISPLAY_NAME_TOO_LONG', 'permanent'],
  [290, 'DUPLICATE_ADMIN_USER_NAME', 'permanent'],
  [362, 'INVALID_NEW_ADMIN_USER_NAME', 'permanent'],
  [289, 'ADMIN_USER_COUNT_LIMIT_EXCEEDED', 'permanent'],
  [112, 'PASSWORD_LENGTH', 'permanent'],
  [523, 'PASSWORD_TOO_WEAK', 'permanent'],
  [524, 'WHITESPACES_NOT_ALLOWED', 'permanent'],
  [535, 'PASSWORD_WAS_ALREADY_USED', 'permanent'],
  [230, 'ACCOUNT_PASSWORD_CHANGE_TEMPORARY_BLOCKED', 'transient'],
  [291, 'INVALID_ADMIN_ROLE_ID', 'permanent'],
  [292, 'INVALID_ADMIN_ROLE_NAME', 'permanent'],
  [194, 'INVALID_CHILD_ACCOUNT_ID', 'permanent'],
  [115, 'INVALID_ACCOUNT_ID', 'permanent'],
];

describe('ERROR_CODE_KINDS', () => {
  it.each(TABLE)('%i %s is %s', (code, _name, kind) => {
    expect(ERROR_CODE_KINDS[code]).toBe(kind);
    expect(classifyErrorCode(code)).toBe(kind);
  });

  it('lists exactly the codes of this table', () => {
    const listed = Object.keys(ERROR_CODE_KINDS)
      .map(Number)
      .sort((a, b) => a - b);
    expect(listed).toEqual(TABLE.map(([code]) => code).sort((a, b) => a - b));
  });

  it.each([0, 3, 109, 999, 100_000])('classifies unknown code %i as permanent', (code) => {
    expect(classifyErrorCode(code)).toBe('permanent');
  });
});

describe('parseRetryAfterMs', () => {
  it.each([
    ['Repeat the request after 2 seconds', 2000],
    ['Repeat after 1 second', 1000],
    ['retry in 30 s', 30_000],
    ['wait 1.5 seconds', 1500],
    ['try again after 250 ms', 250],
    ['Repeat later', undefined],
    [undefined, undefined],
  ])('%s → %s', (msg, ms) => {
    expect(parseRetryAfterMs(msg)).toBe(ms);
  });
});

describe('apiError', () => {
  it('carries the code, kind, message and the named wait of a 416', () => {
    const error = apiError('SetAdminUserInfo', 416, 'Repeat the request after 3 seconds');
    expect(error).toBeInstanceOf(VoximplantError);
    expect(error).toMatchObject({
      code: 'voximplant_416',
      kind: 'retry_after',
      method: 'SetAdminUserInfo',
      voximplantCode: 416,
      voximplantMessage: 'Repeat the request after 3 seconds',
      retryAfterMs: 3000,
      attempts: 1,
    });
  });

  it('redacts anything secret-looking in the message the API sent back', () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOjEwMDB9.c2lnbmF0dXJlc2lnbmF0dXJl';
    const error = apiError('GetAdminUsers', 100, `Authorization failed for ${jwt}`);
    expect(error.message).not.toContain(jwt);
    expect(error.voximplantMessage).not.toContain(jwt);
    expect(error.voximplantMessage).toContain('[redacted]');
  });

  it('final() keeps the classification and records attempts and the reason', () => {
    const error = apiError('SetAdminUserInfo', 2, 'Internal error').final(8, 'policy allows 8');
    expect(error).toMatchObject({ code: 'voximplant_2', kind: 'transient', attempts: 8, voximplantCode: 2 });
    expect(error.message).toContain('gave up after 8 attempts: policy allows 8');
  });
});
