'use strict';
/**
 * The event queue's visibility timeout, derived from the worker's timeout so the two cannot drift apart: AWS
 * recommends at least six times the function timeout for a Lambda-polled queue, so that a batch still being retried
 * inside the function (and Lambda's own throttling retries) is not delivered to a second instance meanwhile.
 * Resolved by Serverless as `${file(infra/queue-visibility-timeout.cjs)}`.
 */
const FACTOR = 6;

function visibilityTimeoutSeconds(workerTimeoutSeconds) {
  const t = Number(workerTimeoutSeconds);
  if (!Number.isInteger(t) || t < 1 || t > 900) {
    throw new Error(
      `workerTimeoutSeconds must be an integer from 1 to 900 (Lambda's limit), got "${workerTimeoutSeconds}"`,
    );
  }
  // 6 x 900 s = 90 min, well inside the SQS maximum of 12 hours.
  return FACTOR * t;
}

module.exports = async ({ resolveVariable }) =>
  visibilityTimeoutSeconds(await resolveVariable('param:workerTimeoutSeconds'));
module.exports.visibilityTimeoutSeconds = visibilityTimeoutSeconds;
module.exports.FACTOR = FACTOR;
