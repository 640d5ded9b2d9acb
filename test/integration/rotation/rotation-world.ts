import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import { adminPasswordRotation } from '../../../src/rotation/admin-password/admin-password-rotation';
import type { PasswordCheckMode } from '../../../src/rotation/rotation-config';
import type { RotationStep } from '../../../src/rotation/rotation-event';
import { type RotationStepResult, runRotationStep } from '../../../src/rotation/run-rotation-step';
import { secretsManagerRotationStore } from '../../../src/rotation/secret-versions';
import { serviceKeyRotation } from '../../../src/rotation/service-key/service-key-rotation';
import type { RotationSteps } from '../../../src/rotation/step-context';
import { deadlineIn } from '../../../src/runtime/deadline';
import { adminPasswordLogin } from '../../../src/voximplant/admin-password-login';
import { VoximplantClient } from '../../../src/voximplant/client';
import { credentialsFromValue, type VoximplantCredentials } from '../../../src/voximplant/credentials';
import { createSimulator, type SeedAdmin, type Simulator } from '../../../tooling/sim/simulator';
import { recordingLogger, recordingMetrics } from '../../support/recorders';
import { useSecretsManager } from '../../support/secrets-manager';

export const CHILD_ACCOUNT_ID = 2_000_002;

/** Admins with passwords, so the admin login can prove a password (the demo seed has none). */
export const SEED_ADMINS: SeedAdmin[] = [
  { admin_user_id: 12, admin_user_name: 'ops-bot', password: 'old-Password-12' },
  { admin_user_id: 13, admin_user_name: 'away-bot', password: 'old-Password-13', admin_user_active: false },
  { admin_user_id: 14, admin_user_name: 'renamed-bot', password: 'old-Password-14' },
  { admin_user_id: 21, admin_user_name: 'child-bot', password: 'old-Password-21', account_id: CHILD_ACCOUNT_ID },
];

/**
 * The parts a rotation talks to, all real: the local Secrets Manager (versions and stages as AWS keeps them) over
 * the real SDK, and the Voximplant simulator over HTTP. One per test file; `fresh*` give each test its own secret.
 */
export function useRotationWorld() {
  const secrets = useSecretsManager();
  const world = {
    sim: undefined as unknown as Simulator,
    apiUrl: '',
    log: recordingLogger(),
    metrics: recordingMetrics(),
  };

  beforeAll(async () => {
    world.sim = await createSimulator({ seed: SEED_ADMINS, childAccountIds: [CHILD_ACCOUNT_ID] });
    world.apiUrl = (await world.sim.listen(0)).apiUrl;
  });
  afterAll(async () => {
    await world.sim?.close();
  });

  const client = (credentials: VoximplantCredentials) =>
    new VoximplantClient({ apiUrl: world.apiUrl, credentials: credentialsFromValue(credentials) });

  /** The `rotate` steps, signing with the simulator's own key (the bridge's credentials.json). */
  function passwordSteps(passwordCheck: PasswordCheckMode = 'login'): RotationSteps {
    const key = world.sim.credentials();
    return adminPasswordRotation({
      voximplant: client(key),
      keyAccountId: async () => key.account_id,
      login: (input, deadline) => adminPasswordLogin(input, { apiUrl: world.apiUrl, deadline }),
      passwordCheck,
    });
  }

  function keySteps(): RotationSteps {
    return serviceKeyRotation({ clientFor: client });
  }

  /** One invocation of a step, as Secrets Manager makes it. */
  function step(
    steps: RotationSteps,
    secretId: string,
    token: string,
    name: RotationStep,
  ): Promise<RotationStepResult> {
    return runRotationStep(
      { Step: name, SecretId: secretId, ClientRequestToken: token },
      {
        rotation: { steps, store: secretsManagerRotationStore(secrets.client) },
        logger: world.log.logger,
        metrics: world.metrics.metrics,
        deadline: deadlineIn(20_000),
      },
    );
  }

  /** All four steps in order, as one rotation. */
  async function rotate(steps: RotationSteps, secretId: string, token: string): Promise<RotationStepResult[]> {
    const results: RotationStepResult[] = [];
    for (const name of ['createSecret', 'setSecret', 'testSecret', 'finishSecret'] as const) {
      results.push(await step(steps, secretId, token, name));
    }
    return results;
  }

  /** A new admin password secret for this admin (a unique name per call). */
  function freshPasswordSecret(value: Record<string, unknown>): string {
    const name = `vox-admin-bridge/test/admin-password/${randomUUID()}`;
    secrets.server.putSecret(name, value);
    return name;
  }

  /** A new credentials secret holding `key` (default: the simulator's own key). */
  function freshKeySecret(key: VoximplantCredentials = world.sim.credentials()): string {
    const name = `vox-admin-bridge/test/voximplant-credentials/${randomUUID()}`;
    secrets.server.putSecret(name, key);
    return name;
  }

  /** Does Voximplant accept this admin password (the admin's own login)? */
  async function loginWorks(adminUserName: string, password: string, accountId = world.sim.accountId) {
    const out = await adminPasswordLogin(
      { accountId, adminUserName, password },
      { apiUrl: world.apiUrl, deadline: deadlineIn(10_000) },
    );
    return out.accepted;
  }

  /** The value of `stage` of a secret, parsed. */
  async function stageValue(secretId: string, stage: string): Promise<Record<string, unknown> | undefined> {
    const text = await secretsManagerRotationStore(secrets.client).getValue(secretId, { stage });
    return text === undefined ? undefined : (JSON.parse(text) as Record<string, unknown>);
  }

  return {
    world,
    secrets,
    client,
    passwordSteps,
    keySteps,
    step,
    rotate,
    freshPasswordSecret,
    freshKeySecret,
    loginWorks,
    stageValue,
  };
}

/** The staging labels of a secret, by label: which version holds AWSCURRENT, AWSPREVIOUS, AWSPENDING. */
export function labels(stages: Record<string, string[]>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [versionId, names] of Object.entries(stages)) for (const n of names) out[n] = versionId;
  return out;
}
