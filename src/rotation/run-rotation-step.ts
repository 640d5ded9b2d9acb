import { classifyError } from '../errors/classify-error';
import type { Logger } from '../observability/logger';
import type { Deadline } from '../runtime/deadline';
import { VoximplantError } from '../voximplant/errors';
import { RotationError, type RotationErrorCode } from './rotation-error';
import { parseRotationEvent, type RotationStep } from './rotation-event';
import { rotationGuard } from './rotation-guard';
import type { RotationMetrics } from './rotation-metrics';
import type { RotationSecretStore } from './secret-versions';
import type { RotationSteps, StepOutcome } from './step-context';

/** One kind of rotation: its four steps and the Secrets Manager they work on. */
export interface Rotation {
  steps: RotationSteps;
  store: RotationSecretStore;
}

export interface RotationRunDeps {
  /**
   * The rotation, or a function that builds it (a Lambda builds its collaborators on first use, inside the step,
   * so that a configuration error is logged and counted like any failed step).
   */
  rotation: Rotation | (() => Rotation);
  logger: Logger;
  metrics: RotationMetrics;
  deadline: Deadline;
}

export interface RotationStepResult extends StepOutcome {
  step: RotationStep;
  secretId: string;
  versionId: string;
}

/**
 * Any failure as a RotationError with a stable code and a secret-free message, decided by the failure's own code and
 * classification (classifyError). Secrets Manager reports the code and retries the rotation itself.
 */
function asRotationError(error: unknown): RotationError {
  if (error instanceof RotationError) return error;
  const failure = classifyError(error);
  const wrap = (code: RotationErrorCode) =>
    new RotationError(code, failure.message, { cause: error, retry: failure.retry });
  if (failure instanceof VoximplantError) return wrap('voximplant');
  switch (failure.code) {
    case 'secret_malformed':
      return wrap('secret_malformed');
    case 'secret_unavailable':
      return wrap('secrets_manager');
    case 'config_invalid':
      return wrap('config_invalid');
    default:
      // Not ours (a bug, a runtime error, an SDK error we did not wrap): classifyError redacted its message.
      return wrap('internal');
  }
}

/**
 * One invocation of a rotation function: parse the event, run the guard, run the step, log one line and count
 * the outcome. This is the four-step protocol once, for every kind of rotation (each supplies its `steps`).
 * Secrets Manager calls the same function for every step and retries whole rotations, so every step must be safe
 * to run again; the guard makes a finished rotation's steps no-ops. A failure is rethrown as a RotationError:
 * Lambda reports it to Secrets Manager, which stops this rotation attempt.
 */
export async function runRotationStep(input: unknown, deps: RotationRunDeps): Promise<RotationStepResult> {
  const { logger, metrics } = deps;
  let step: RotationStep | 'unknown' = 'unknown';
  // `version_id`, not `token`: the log redaction hides every key that looks like a credential, and the
  // ClientRequestToken is only a version id.
  const where: Record<string, string> = {};
  try {
    const event = parseRotationEvent(input);
    step = event.Step;
    Object.assign(where, { step, secret_id: event.SecretId, version_id: event.ClientRequestToken });

    const { steps, store } = typeof deps.rotation === 'function' ? deps.rotation() : deps.rotation;
    const guard = await rotationGuard(store, event);
    let outcome: StepOutcome;
    if (!guard.proceed) {
      outcome = { outcome: 'already_current' };
    } else {
      outcome = await steps[event.Step]({
        step: event.Step,
        secretId: event.SecretId,
        token: event.ClientRequestToken,
        currentVersionId: guard.currentVersionId,
        store,
        deadline: deps.deadline,
        logger,
      });
    }
    logger.info('rotation step done', { ...where, outcome: outcome.outcome, ...outcome.details });
    metrics.record('succeeded', event.Step);
    return { step: event.Step, secretId: event.SecretId, versionId: event.ClientRequestToken, ...outcome };
  } catch (error) {
    const failure = asRotationError(error);
    logger.error('rotation step failed', { ...where, code: failure.code, error: failure.message });
    metrics.record('failed', step);
    throw failure;
  }
}
