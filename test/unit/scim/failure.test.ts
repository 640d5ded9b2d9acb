import { describe, expect, it } from 'vitest';
import { AdminBusyError } from '../../../src/apply/admin-busy';
import { scimErrorFrom } from '../../../src/scim/failure';
import { ScimError } from '../../../src/scim/protocol/scim-error';
import { SecretError } from '../../../src/secrets/json-secret';
import { StateError } from '../../../src/state/errors';
import { ScimRecordConflictError } from '../../../src/state/scim-records';
import { apiError, VoximplantError } from '../../../src/voximplant/errors';

const voximplant = (code: number) => apiError('SetAdminUserInfo', code, 'message from the API');

describe('failures → SCIM errors an IdP can act on', () => {
  it.each([
    [1, 503, undefined],
    [340, 429, undefined],
    [290, 409, 'uniqueness'],
    [287, 400, 'invalidValue'],
    [288, 400, 'invalidValue'],
    [523, 400, 'invalidValue'],
    [285, 404, undefined],
    [292, 500, undefined],
    [104, 500, undefined],
  ])('Voximplant error %i → %i %s', (code, status, scimType) => {
    const error = scimErrorFrom(voximplant(code));
    expect(error.status).toBe(status);
    expect(error.scimType).toBe(scimType);
    expect(error.detail).not.toContain('message from the API');
    if (status === 429 || status === 503) expect(error.retryAfterSeconds).toBeGreaterThanOrEqual(1);
  });

  it('416 waits as Voximplant says', () => {
    const error = scimErrorFrom(apiError('SetAdminUserInfo', 416, 'Repeat the request after 7 seconds'));
    expect(error.status).toBe(429);
    expect(error.retryAfterSeconds).toBe(7);
  });

  it('a timeout or a deadline is temporary', () => {
    const timeout = new VoximplantError({ code: 'timeout', kind: 'ambiguous', method: 'GetAdminUsers', message: 'x' });
    expect(scimErrorFrom(timeout).status).toBe(503);
    const deadline = new VoximplantError({
      code: 'deadline',
      kind: 'transient',
      method: 'GetAdminUsers',
      message: 'x',
    });
    expect(scimErrorFrom(deadline).status).toBe(503);
  });

  it('state and secret problems: temporary ones 503, configuration ones 500', () => {
    expect(scimErrorFrom(new SecretError('secret_unavailable', 'x')).status).toBe(503);
    expect(scimErrorFrom(new SecretError('secret_malformed', 'x')).status).toBe(500);
    expect(scimErrorFrom(new StateError('state_contention', 'x')).status).toBe(503);
    expect(scimErrorFrom(new StateError('state_record_malformed', 'x')).status).toBe(500);
    expect(scimErrorFrom(new ScimRecordConflictError('x')).status).toBe(503);
    const sdk = Object.assign(new Error('throttled'), {
      name: 'ProvisionedThroughputExceededException',
      $metadata: {},
    });
    expect(scimErrorFrom(sdk).status).toBe(503);
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    expect(scimErrorFrom(refused).status).toBe(503);
    expect(scimErrorFrom(new AdminBusyError(7)).status).toBe(503);
    expect(scimErrorFrom(new AdminBusyError(7)).retryAfterSeconds).toBe(1);
  });

  it('anything else is a 500 with a fixed detail; ScimErrors pass through', () => {
    const error = scimErrorFrom(new TypeError('secret stuff in a message'));
    expect(error.status).toBe(500);
    expect(error.detail).not.toContain('secret');
    const own = new ScimError(404, 'nope');
    expect(scimErrorFrom(own)).toBe(own);
  });
});
