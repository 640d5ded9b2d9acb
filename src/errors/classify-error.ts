import { redactString } from '../observability/redact';
import { BridgeError, type RetryClass } from './bridge-error';
import {
  CONNECT_TIMEOUT_CODES,
  DNS_CODES,
  errorCodes,
  REFUSED_CODES,
  RESET_CODES,
  RESPONSE_TIMEOUT_CODES,
} from './network-codes';

/**
 * Codes of errors that came from outside the bridge, classified where they enter (classifyError):
 * - `aws_throttled`: an AWS service refused us for speed;
 * - `aws_unavailable`: any other AWS SDK error;
 * - `network_unreachable`, `network_reset`, `network_timeout`: a call failed below HTTP;
 * - `internal`: anything else (a bug, a runtime error).
 */
export type ExternalErrorCode =
  | 'aws_throttled'
  | 'aws_unavailable'
  | 'network_unreachable'
  | 'network_reset'
  | 'network_timeout'
  | 'internal';

/** An error from outside the bridge (AWS SDK, Node, fetch, a bug), wrapped with its classification; `cause` is it. */
export class ExternalError extends BridgeError {
  declare readonly code: ExternalErrorCode;
  constructor(code: ExternalErrorCode, message: string, options: { retry: RetryClass; cause: unknown }) {
    super(code, message, options);
    this.name = 'ExternalError';
  }
}

/**
 * The AWS SDK's throttling error codes, as smithy-typescript lists them (packages/service-error-classification
 * src/constants.ts, THROTTLING_ERROR_CODES), which is what the SDK's own retry strategy backs off on.
 */
const AWS_THROTTLING_NAMES: ReadonlySet<string> = new Set([
  'BandwidthLimitExceeded',
  'EC2ThrottledException',
  'LimitExceededException',
  'PriorRequestNotComplete',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'ThrottledException',
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'TransactionInProgressException',
]);

/** An AWS SDK v3 service error: the SDK sets `$metadata` (and `$fault`) on every error a service answered with. */
function isAwsServiceError(
  error: unknown,
): error is Error & { $metadata: unknown; $retryable?: { throttling?: boolean } } {
  return error instanceof Error && '$metadata' in error;
}

/**
 * Any thrown value as a BridgeError, decided once, where errors from outside enter. Our own errors pass through.
 * - AWS SDK errors: throttling names are `throttled`; every other one is `transient`. The SDK has already retried
 *   what it considers retryable (standard mode: 3 attempts); what is left is a service fault or a configuration
 *   problem (AccessDenied, ResourceNotFound) that an operator fixes, and handing the change back keeps it until then
 *   (the queue's maxReceiveCount still ends it in the dead-letter queue). The message is the error's name only:
 *   SDK messages can quote request values.
 * - Errors below HTTP: a request that never left is `transient`; a reset or a timeout after sending is `ambiguous`.
 * - `TimeoutError` and `AbortError` (AbortSignal.timeout, fetch): `ambiguous`, the answer is what is missing.
 * - Anything else is `internal` and `ambiguous`: we cannot tell how far it got, so it is neither reported as a
 *   refusal (permanent: the change would be dead-lettered although it may be fine on a second try) nor hammered
 *   as a fault; callers retry it through their safe path (idempotency record, ordering versions, re-read) and log it.
 *   Its message goes through the log redaction as defence in depth.
 */
export function classifyError(error: unknown): BridgeError {
  if (error instanceof BridgeError) return error;
  if (isAwsServiceError(error)) {
    const throttled = AWS_THROTTLING_NAMES.has(error.name) || error.$retryable?.throttling === true;
    return throttled
      ? new ExternalError('aws_throttled', `AWS throttled the call: ${error.name}`, {
          retry: 'throttled',
          cause: error,
        })
      : new ExternalError('aws_unavailable', `AWS call failed: ${error.name}`, { retry: 'transient', cause: error });
  }
  const codes = errorCodes(error);
  const has = (set: ReadonlySet<string>) => codes.find((c) => set.has(c));
  const unreachable = has(REFUSED_CODES) ?? has(DNS_CODES) ?? has(CONNECT_TIMEOUT_CODES);
  if (unreachable !== undefined) {
    return new ExternalError('network_unreachable', `request not sent: ${unreachable}`, {
      retry: 'transient',
      cause: error,
    });
  }
  const reset = has(RESET_CODES);
  if (reset !== undefined) {
    return new ExternalError('network_reset', `connection closed before the answer: ${reset}`, {
      retry: 'ambiguous',
      cause: error,
    });
  }
  const timedOut =
    has(RESPONSE_TIMEOUT_CODES) ??
    (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError') ? error.name : undefined);
  if (timedOut !== undefined) {
    return new ExternalError('network_timeout', `no answer in time: ${timedOut}`, { retry: 'ambiguous', cause: error });
  }
  const message = error instanceof Error ? `${error.name}: ${error.message}` : 'unknown error';
  return new ExternalError('internal', redactString(message), { retry: 'ambiguous', cause: error });
}
