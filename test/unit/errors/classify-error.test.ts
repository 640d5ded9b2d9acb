import { describe, expect, it } from 'vitest';
import { AdminBusyError } from '../../../src/apply/admin-busy';
import { BridgeError } from '../../../src/errors/bridge-error';
import { classifyError, ExternalError } from '../../../src/errors/classify-error';
import { StateError } from '../../../src/state/errors';
import { apiError } from '../../../src/voximplant/errors';

/** An AWS SDK v3 service error as the SDK builds it: a named Error with `$metadata` and `$fault`. */
function awsError(name: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(`${name}: value "hunter2" is not valid`), {
    name,
    $fault: 'client',
    $metadata: { httpStatusCode: 400 },
    ...extra,
  });
}

describe('classifyError', () => {
  it('passes our own errors through unchanged, retryAfterMs and all', () => {
    const busy = new AdminBusyError(3);
    expect(classifyError(busy)).toBe(busy);
    const named = apiError('SetAdminUserInfo', 416, 'Repeat the request after 7 seconds');
    expect(classifyError(named)).toBe(named);
    expect(classifyError(named).retryAfterMs).toBe(7000);
    const malformed = new StateError('state_record_malformed', 'x');
    expect(classifyError(malformed).retry).toBe('permanent');
  });

  it.each([
    'ThrottlingException',
    'ProvisionedThroughputExceededException',
    'TooManyRequestsException',
    'RequestLimitExceeded',
  ])('AWS %s is throttled', (name) => {
    const error = classifyError(awsError(name));
    expect(error).toBeInstanceOf(ExternalError);
    expect(error.code).toBe('aws_throttled');
    expect(error.retry).toBe('throttled');
  });

  it("AWS's own throttling flag counts as throttled whatever the name", () => {
    expect(classifyError(awsError('SomethingNew', { $retryable: { throttling: true } })).retry).toBe('throttled');
  });

  it('every other AWS error is transient, and its message is only its name (SDK messages can quote values)', () => {
    const cause = awsError('AccessDeniedException');
    const error = classifyError(cause);
    expect(error.code).toBe('aws_unavailable');
    expect(error.retry).toBe('transient');
    expect(error.message).toContain('AccessDeniedException');
    expect(error.message).not.toContain('hunter2');
    expect(error.cause).toBe(cause);
  });

  it.each([
    ['ECONNREFUSED', 'network_unreachable', 'transient'],
    ['ENOTFOUND', 'network_unreachable', 'transient'],
    ['UND_ERR_CONNECT_TIMEOUT', 'network_unreachable', 'transient'],
    ['ECONNRESET', 'network_reset', 'ambiguous'],
    ['UND_ERR_SOCKET', 'network_reset', 'ambiguous'],
    ['ETIMEDOUT', 'network_timeout', 'ambiguous'],
  ])('a network error %s is %s (%s)', (nodeCode, code, retry) => {
    const error = classifyError(Object.assign(new Error(`failed ${nodeCode}`), { code: nodeCode }));
    expect(error.code).toBe(code);
    expect(error.retry).toBe(retry);
  });

  it("finds the network code along fetch's cause chain and in AggregateError members", () => {
    const wrapped = new TypeError('fetch failed', {
      cause: new AggregateError([Object.assign(new Error('x'), { code: 'ECONNREFUSED' })]),
    });
    expect(classifyError(wrapped).code).toBe('network_unreachable');
  });

  it('a TimeoutError or AbortError is ambiguous: the request may have gone out', () => {
    expect(classifyError(new DOMException('timed out', 'TimeoutError')).retry).toBe('ambiguous');
    expect(classifyError(new DOMException('aborted', 'AbortError')).code).toBe('network_timeout');
  });

  it('anything else is `internal` and ambiguous, with a redacted message', () => {
    const bug = classifyError(new TypeError('cannot read eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.abc of undefined'));
    expect(bug.code).toBe('internal');
    expect(bug.retry).toBe('ambiguous');
    expect(bug.message).toMatch(/^TypeError: /);
    expect(bug.message).not.toContain('eyJzdWIiOiIxMjMifQ');
    // A look-alike shape does not pass for one of our errors.
    const lookalike = classifyError(Object.assign(new Error('busy'), { code: 'admin_busy' }));
    expect(lookalike.code).toBe('internal');
    const thrownString = classifyError('just a string');
    expect(thrownString).toBeInstanceOf(BridgeError);
    expect(thrownString.code).toBe('internal');
    expect(thrownString.message).toBe('unknown error');
  });
});
