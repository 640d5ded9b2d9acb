import { describe, expect, it } from 'vitest';
import { AdminBusyError } from '../../../src/apply/admin-busy';
import { OrderingPendingError } from '../../../src/apply/apply-change';
import { CliError } from '../../../src/cli/cli-error';
import { ConfigError } from '../../../src/config';
import { BridgeError, type RetryClass } from '../../../src/errors/bridge-error';
import { ExternalError } from '../../../src/errors/classify-error';
import { WebhookSignatureError } from '../../../src/ingress/standard-webhooks';
import { QueueUnavailableError } from '../../../src/queue/enqueue';
import { RotationError } from '../../../src/rotation/rotation-error';
import { ScimError } from '../../../src/scim/protocol/scim-error';
import { SecretError } from '../../../src/secrets/json-secret';
import { StateError } from '../../../src/state/errors';
import { ScimRecordConflictError } from '../../../src/state/scim-records';
import { apiError, VoximplantError } from '../../../src/voximplant/errors';

describe('BridgeError', () => {
  it('carries code, retry class, retryAfterMs and cause', () => {
    const cause = new Error('below');
    const error = new BridgeError('some_code', 'what happened', { retry: 'throttled', retryAfterMs: 1500, cause });
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe('some_code');
    expect(error.retry).toBe('throttled');
    expect(error.retryAfterMs).toBe(1500);
    expect(error.cause).toBe(cause);
    expect(error.retryable).toBe(true);
    expect(new BridgeError('x', 'y', { retry: 'permanent' }).retryable).toBe(false);
    expect(new BridgeError('x', 'y', { retry: 'permanent' }).retryAfterMs).toBeUndefined();
    expect(new BridgeError('x', 'y', { retry: 'permanent' })).not.toHaveProperty('cause');
  });

  // Every error class src/ throws, with the code and retry class callers decide by.
  const CASES: ReadonlyArray<[string, () => Error, string, RetryClass, number | undefined]> = [
    ['AdminBusyError', () => new AdminBusyError(7), 'admin_busy', 'transient', 1000],
    ['OrderingPendingError', () => new OrderingPendingError(7), 'ordering_pending', 'transient', 5000],
    ['CliError', () => new CliError('usage', 'bad'), 'usage', 'permanent', undefined],
    ['ConfigError', () => new ConfigError('X is required'), 'config_invalid', 'permanent', undefined],
    [
      'WebhookSignatureError',
      () => new WebhookSignatureError('timestamp_too_old', 'old'),
      'timestamp_too_old',
      'permanent',
      undefined,
    ],
    ['QueueUnavailableError', () => new QueueUnavailableError('down', 0), 'queue_unavailable', 'transient', undefined],
    ['RotationError', () => new RotationError('key_refused', 'no'), 'key_refused', 'permanent', undefined],
    [
      'RotationError (wrapping)',
      () => new RotationError('secrets_manager', 'down', { retry: 'transient' }),
      'secrets_manager',
      'transient',
      undefined,
    ],
    [
      'ScimError 400',
      () => new ScimError(400, 'bad', { scimType: 'invalidValue' }),
      'scim_invalidValue',
      'permanent',
      undefined,
    ],
    ['ScimError 429', () => new ScimError(429, 'slow', { retryAfterSeconds: 3 }), 'scim_429', 'throttled', 3000],
    ['ScimError 503', () => new ScimError(503, 'later', { retryAfterSeconds: 5 }), 'scim_503', 'transient', 5000],
    [
      'SecretError unavailable',
      () => new SecretError('secret_unavailable', 'x'),
      'secret_unavailable',
      'transient',
      undefined,
    ],
    [
      'SecretError malformed',
      () => new SecretError('secret_malformed', 'x'),
      'secret_malformed',
      'permanent',
      undefined,
    ],
    ['StateError contention', () => new StateError('state_contention', 'x'), 'state_contention', 'transient', 1000],
    [
      'StateError malformed',
      () => new StateError('state_record_malformed', 'x'),
      'state_record_malformed',
      'permanent',
      undefined,
    ],
    ['ScimRecordConflictError', () => new ScimRecordConflictError('x'), 'scim_record_conflict', 'transient', 1000],
    [
      'VoximplantError 340',
      () => apiError('SetAdminUserInfo', 340, 'slow down'),
      'voximplant_340',
      'throttled',
      undefined,
    ],
    [
      'VoximplantError 416',
      () => apiError('SetAdminUserInfo', 416, 'Repeat the request after 2 seconds'),
      'voximplant_416',
      'throttled',
      2000,
    ],
    ['VoximplantError 1', () => apiError('SetAdminUserInfo', 1, undefined), 'voximplant_1', 'transient', undefined],
    [
      'VoximplantError 100 (auth)',
      () => apiError('GetAdminUsers', 100, undefined),
      'voximplant_100',
      'transient',
      undefined,
    ],
    [
      'VoximplantError 484',
      () => apiError('SetAdminUserInfo', 484, undefined),
      'voximplant_484',
      'ambiguous',
      undefined,
    ],
    [
      'VoximplantError 285',
      () => apiError('SetAdminUserInfo', 285, undefined),
      'voximplant_285',
      'permanent',
      undefined,
    ],
    [
      'ExternalError',
      () => new ExternalError('aws_unavailable', 'x', { retry: 'transient', cause: undefined }),
      'aws_unavailable',
      'transient',
      undefined,
    ],
  ];

  it.each(CASES)('%s extends BridgeError with its code and retry class', (_name, make, code, retry, retryAfterMs) => {
    const error = make();
    expect(error).toBeInstanceOf(BridgeError);
    expect(() => {
      throw error;
    }).toThrowError(BridgeError);
    const bridge = error as BridgeError;
    expect(bridge.code).toBe(code);
    expect(bridge.retry).toBe(retry);
    expect(bridge.retryAfterMs).toBe(retryAfterMs);
    expect(bridge.name).not.toBe('BridgeError');
  });

  it('VoximplantError.final keeps the classification', () => {
    const error = apiError('SetAdminUserInfo', 416, 'Repeat the request after 3 seconds').final(4, 'deadline');
    expect(error).toBeInstanceOf(VoximplantError);
    expect(error.retry).toBe('throttled');
    expect(error.retryAfterMs).toBe(3000);
    expect(error.attempts).toBe(4);
  });
});
