import type { Context } from 'aws-lambda';
import type { Logger } from '../observability/logger';
import { deadlineFrom } from '../runtime/deadline';
import type { RotationMetrics } from './rotation-metrics';
import { type Rotation, type RotationStepResult, runRotationStep } from './run-rotation-step';

/** Time kept back from the Lambda timeout, so a step that runs out of time still fails with a clear log line. */
const SAFETY_MARGIN_MS = 2_000;

export interface RotationHandlerOptions {
  logger: Logger;
  metrics: RotationMetrics;
  /** Builds the collaborators; called on the first invocation and kept for the container's life. */
  init: () => Rotation;
}

/**
 * The Lambda handler of a rotation function: thin, the protocol is in runRotationStep. Secrets Manager only looks
 * at success or failure: a failure is thrown; the result is returned for logs and tests.
 */
export function rotationLambdaHandler(opts: RotationHandlerOptions) {
  let built: Rotation | undefined;
  const rotation = (): Rotation => {
    built ??= opts.init();
    return built;
  };
  return async (event: unknown, context: Context): Promise<RotationStepResult> => {
    opts.logger.addContext(context);
    const deadline = deadlineFrom(() => context.getRemainingTimeInMillis(), SAFETY_MARGIN_MS);
    return runRotationStep(event, { rotation, logger: opts.logger, metrics: opts.metrics, deadline });
  };
}
