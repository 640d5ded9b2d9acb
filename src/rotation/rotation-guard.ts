import { RotationError } from './rotation-error';
import type { RotationEvent } from './rotation-event';
import { AWSCURRENT, AWSPENDING, type RotationSecretStore } from './secret-versions';

export type GuardResult =
  | { proceed: true; currentVersionId: string }
  /** The token already holds AWSCURRENT: this rotation finished; every step is a no-op. */
  | { proceed: false; reason: 'already_current' };

/**
 * The rotation guard, run before every step (docs/CONTRACT.md#rotation; as in AWS's rotation templates,
 * aws-samples/aws-secrets-manager-rotation-lambdas `SecretsManagerRotationTemplate/lambda_function.py`): rotation is
 * enabled, the token is a version of the secret, and that version is AWSPENDING, or already AWSCURRENT (then the step
 * is a no-op: Secrets Manager retries whole rotations). Anything else fails before anything is read or written, so a
 * stray or hand-made event changes nothing.
 */
export async function rotationGuard(store: RotationSecretStore, event: RotationEvent): Promise<GuardResult> {
  const { SecretId: secretId, ClientRequestToken: token } = event;
  const secret = await store.describe(secretId);
  if (!secret.rotationEnabled) {
    throw new RotationError('rotation_disabled', `rotation is not enabled for secret ${secretId}`);
  }
  const stages = secret.versionIdsToStages[token];
  if (stages === undefined) {
    throw new RotationError(
      'unknown_version',
      `ClientRequestToken ${token} is not a version of secret ${secretId}; only Secrets Manager should start a rotation`,
    );
  }
  if (stages.includes(AWSCURRENT)) return { proceed: false, reason: 'already_current' };
  if (!stages.includes(AWSPENDING)) {
    throw new RotationError(
      'not_pending',
      `version ${token} of secret ${secretId} is not AWSPENDING (it is ${stages.join(', ') || 'unlabelled'})`,
    );
  }
  const current = Object.entries(secret.versionIdsToStages).find(([, labels]) => labels.includes(AWSCURRENT));
  if (current === undefined) {
    throw new RotationError('no_current', `secret ${secretId} has no AWSCURRENT version to rotate from`);
  }
  return { proceed: true, currentVersionId: current[0] };
}
