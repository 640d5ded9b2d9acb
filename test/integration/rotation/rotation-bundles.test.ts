import { describe, expect, it } from 'vitest';
import type { RotationStepResult } from '../../../src/rotation/run-rotation-step';
import type { VoximplantCredentials } from '../../../src/voximplant/credentials';
import { invokeBundleInFreshProcess } from '../../support/invoke-bundle';
import { useRotationWorld } from './rotation-world';

/**
 * The built rotate and rotate-key bundles in fresh processes, each invocation one step, as Secrets Manager invokes
 * them: proves the handlers' wiring (environment, SDK endpoint, logs and EMF metrics on stdout) on top of the
 * protocol tested in the other files.
 */
const r = useRotationWorld();
const { world, secrets } = r;
const STEPS = ['createSecret', 'setSecret', 'testSecret', 'finishSecret'];

function env(extra: Record<string, string> = {}): Record<string, string> {
  return {
    VOXIMPLANT_API_URL: world.apiUrl,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.endpoint,
    LOG_LEVEL: 'debug',
    ...extra,
  };
}

const events = (secretId: string, token: string, steps = STEPS) =>
  steps.map((Step) => ({ Step, SecretId: secretId, ClientRequestToken: token, RotationToken: 'not-logged-rt' }));

/** The EMF lines of a run: metric name and its step dimension. */
function metricLines(stdout: string): { metric: string; step: unknown }[] {
  return stdout
    .split('\n')
    .filter((l) => l.includes('"_aws"'))
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .flatMap((l) => {
      const names = ((l._aws as { CloudWatchMetrics: { Metrics: { Name: string }[] }[] }).CloudWatchMetrics[0]
        ?.Metrics ?? []) as { Name: string }[];
      return names.map((m) => ({ metric: m.Name, step: l.step }));
    });
}

describe('the rotate and rotate-key bundles', () => {
  it('rotate: a whole rotation in one container, with secret-free logs and one metric per step', async () => {
    world.sim.reset();
    const credentialsSecret = r.freshKeySecret();
    const secretId = r.freshPasswordSecret({
      admin_user_id: 12,
      admin_user_name: 'ops-bot',
      password: 'old-Password-12',
    });
    const token = secrets.server.beginRotation(secretId);

    const run = await invokeBundleInFreshProcess<RotationStepResult>(
      'rotate',
      events(secretId, token),
      env({ VOXIMPLANT_CREDENTIALS_SECRET_ID: credentialsSecret }),
    );

    expect(run.stderr).toBe('');
    expect(run.result?.map((x) => x.outcome)).toEqual(['created', 'password_set', 'password_works', 'current_moved']);
    const password = (JSON.parse(secrets.server.current(secretId)!) as { password: string }).password;
    expect(await r.loginWorks('ops-bot', password)).toBe(true);
    expect(metricLines(run.stdout)).toEqual(STEPS.map((step) => ({ metric: 'RotationSucceeded', step })));
    for (const secret of [password, 'old-Password-12', 'not-logged-rt', 'PRIVATE KEY']) {
      expect(run.stdout).not.toContain(secret);
    }
  });

  it('rotate-key: a whole rotation in one container', async () => {
    world.sim.reset();
    const secretId = r.freshKeySecret();
    const token = secrets.server.beginRotation(secretId);

    const run = await invokeBundleInFreshProcess<RotationStepResult>('rotate-key', events(secretId, token), env());

    expect(run.result?.map((x) => x.outcome)).toEqual(['created', 'nothing_to_set', 'key_works', 'current_moved']);
    const current = JSON.parse(secrets.server.current(secretId)!) as VoximplantCredentials;
    expect(current.key_id).not.toBe(world.sim.credentials().key_id);
    expect(run.stdout).not.toContain('PRIVATE KEY');
    expect(run.stdout).not.toContain('not-logged-rt');
  });

  it('fails a step clearly, counts it, and changes nothing: a wrong token, a missing variable', async () => {
    const secretId = r.freshPasswordSecret({
      admin_user_id: 12,
      admin_user_name: 'ops-bot',
      password: 'old-Password-12',
    });
    secrets.server.beginRotation(secretId);
    const stages = secrets.server.stages(secretId);

    const wrong = await invokeBundleInFreshProcess<RotationStepResult>(
      'rotate',
      events(secretId, crypto.randomUUID(), ['createSecret']),
      env({ VOXIMPLANT_CREDENTIALS_SECRET_ID: r.freshKeySecret() }),
    );
    expect(wrong.exitCode).not.toBe(0);
    // Powertools writes error-level logs to stderr.
    expect(wrong.stderr).toContain('"code":"unknown_version"');
    expect(metricLines(wrong.stdout)).toEqual([{ metric: 'RotationFailed', step: 'createSecret' }]);

    const unconfigured = await invokeBundleInFreshProcess<RotationStepResult>(
      'rotate',
      events(secretId, crypto.randomUUID(), ['createSecret']),
      env({ ROTATION_PASSWORD_CHECK: 'telepathy' }),
    );
    expect(unconfigured.exitCode).not.toBe(0);
    expect(unconfigured.stderr).toContain('"code":"config_invalid"');
    expect(unconfigured.stderr).toContain('ROTATION_PASSWORD_CHECK');
    expect(secrets.server.stages(secretId)).toEqual(stages);
  });
});
