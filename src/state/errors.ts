/**
 * Errors of the state store itself. DynamoDB's own errors (throttling, network) pass through unchanged: the caller
 * treats them as transient and lets the change be redelivered.
 */
export type StateErrorCode =
  /** A conditional write kept losing to concurrent writers; retry the change later. */
  | 'state_contention'
  /** `complete` found no in-progress record of ours (released, or taken over and finished with another outcome). */
  | 'idempotency_record_lost'
  /** An item in the table does not have the shape this code writes. */
  | 'state_record_malformed';

export class StateError extends Error {
  constructor(
    readonly code: StateErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StateError';
  }
}
