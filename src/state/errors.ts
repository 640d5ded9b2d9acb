import { BridgeError } from '../errors/bridge-error';

/**
 * Errors of the state store itself. DynamoDB's own errors (throttling, network) pass through unchanged and are
 * classified where they are caught (classifyError).
 */
export type StateErrorCode =
  /** A conditional write kept losing to concurrent writers; retry the change later. */
  | 'state_contention'
  /** `complete` found no in-progress record of ours (released, or taken over and finished with another outcome). */
  | 'idempotency_record_lost'
  /** An item in the table does not have the shape this code writes. */
  | 'state_record_malformed';

export class StateError extends BridgeError {
  declare readonly code: StateErrorCode;
  constructor(code: StateErrorCode, message: string, options?: { cause?: unknown }) {
    // A malformed item stays malformed; contention and a lost record clear on a later attempt (which begins again).
    super(code, message, {
      retry: code === 'state_record_malformed' ? 'permanent' : 'transient',
      ...(code === 'state_record_malformed' ? {} : { retryAfterMs: 1_000 }),
      ...options,
    });
    this.name = 'StateError';
  }
}
