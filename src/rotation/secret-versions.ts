import {
  DescribeSecretCommand,
  GetRandomPasswordCommand,
  type GetRandomPasswordCommandInput,
  GetSecretValueCommand,
  PutSecretValueCommand,
  type SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { RotationError } from './rotation-error';

export const AWSCURRENT = 'AWSCURRENT';
export const AWSPENDING = 'AWSPENDING';
export const AWSPREVIOUS = 'AWSPREVIOUS';

export interface SecretDescription {
  rotationEnabled: boolean;
  /** DescribeSecret's VersionIdsToStages: every labelled version and its staging labels. */
  versionIdsToStages: Record<string, string[]>;
}

export type RandomPasswordRequest = GetRandomPasswordCommandInput;

/**
 * The Secrets Manager operations a rotation uses, and nothing else (the rotation roles allow exactly these:
 * infra/roles.yml). An interface so the protocol can be unit-tested without a server; the integration tests run
 * the real SDK against tooling/local/secrets-manager-server.ts.
 */
export interface RotationSecretStore {
  describe(secretId: string): Promise<SecretDescription>;
  /**
   * The SecretString of the version with this id and/or stage, or undefined when there is no such value: the
   * value-less AWSPENDING version Secrets Manager creates before createSecret, or a stage no version holds.
   */
  getValue(secretId: string, selector: { versionId?: string; stage: string }): Promise<string | undefined>;
  /**
   * PutSecretValue(ClientRequestToken = versionId, VersionStages = [AWSPENDING]). `conflict` is Secrets Manager's
   * ResourceExistsException: that version already holds a different value (a concurrent createSecret won).
   */
  putPending(secretId: string, versionId: string, value: string): Promise<'stored' | 'conflict'>;
  /** UpdateSecretVersionStage(AWSCURRENT, MoveToVersionId, RemoveFromVersionId); AWSPREVIOUS follows by itself. */
  moveCurrent(secretId: string, toVersionId: string, fromVersionId: string): Promise<void>;
  randomPassword(request: RandomPasswordRequest): Promise<string>;
}

function failure(op: string, secretId: string | undefined, error: unknown): RotationError {
  // The SDK's exception name says what happened; its message is AWS's, which never carries a secret value, but
  // the name alone is what callers need and keeps the message short.
  const name = error instanceof Error ? error.name : 'Error';
  const where = secretId === undefined ? '' : ` on ${secretId}`;
  return new RotationError('secrets_manager', `Secrets Manager ${op}${where} failed: ${name}`, { cause: error });
}

const errorName = (error: unknown) => (error instanceof Error ? error.name : '');

export function secretsManagerRotationStore(client: SecretsManagerClient): RotationSecretStore {
  return {
    async describe(secretId) {
      try {
        const out = await client.send(new DescribeSecretCommand({ SecretId: secretId }));
        return { rotationEnabled: out.RotationEnabled === true, versionIdsToStages: out.VersionIdsToStages ?? {} };
      } catch (error) {
        throw failure('DescribeSecret', secretId, error);
      }
    },

    async getValue(secretId, { versionId, stage }) {
      let out: { SecretString?: string | undefined; SecretBinary?: Uint8Array | undefined };
      try {
        out = await client.send(
          new GetSecretValueCommand({
            SecretId: secretId,
            VersionStage: stage,
            ...(versionId === undefined ? {} : { VersionId: versionId }),
          }),
        );
      } catch (error) {
        // The value-less AWSPENDING version answers exactly like a missing one (Secrets Manager creates it before the
        // first step: https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotate-secrets_lambda.html).
        if (errorName(error) === 'ResourceNotFoundException') return undefined;
        throw failure('GetSecretValue', secretId, error);
      }
      if (out.SecretString === undefined) {
        throw new RotationError('secret_malformed', `${stage} of ${secretId} holds a binary value, not JSON text`);
      }
      return out.SecretString;
    },

    async putPending(secretId, versionId, value) {
      try {
        await client.send(
          new PutSecretValueCommand({
            SecretId: secretId,
            ClientRequestToken: versionId,
            SecretString: value,
            // Without VersionStages PutSecretValue moves AWSCURRENT to the new version: every function would
            // switch to a credential that the target does not know yet.
            VersionStages: [AWSPENDING],
          }),
        );
        return 'stored';
      } catch (error) {
        if (errorName(error) === 'ResourceExistsException') return 'conflict';
        throw failure('PutSecretValue', secretId, error);
      }
    },

    async moveCurrent(secretId, toVersionId, fromVersionId) {
      try {
        await client.send(
          new UpdateSecretVersionStageCommand({
            SecretId: secretId,
            VersionStage: AWSCURRENT,
            MoveToVersionId: toVersionId,
            RemoveFromVersionId: fromVersionId,
          }),
        );
      } catch (error) {
        throw failure('UpdateSecretVersionStage', secretId, error);
      }
    },

    async randomPassword(request) {
      let out: { RandomPassword?: string | undefined };
      try {
        out = await client.send(new GetRandomPasswordCommand(request));
      } catch (error) {
        throw failure('GetRandomPassword', undefined, error);
      }
      if (out.RandomPassword === undefined) {
        throw new RotationError('secrets_manager', 'Secrets Manager GetRandomPassword answered without a password');
      }
      return out.RandomPassword;
    },
  };
}
