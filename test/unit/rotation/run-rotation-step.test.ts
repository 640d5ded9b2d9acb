import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/config';
import { RotationError } from '../../../src/rotation/rotation-error';
import { runRotationStep } from '../../../src/rotation/run-rotation-step';
import type { SecretDescription } from '../../../src/rotation/secret-versions';
import type { RotationSteps, StepContext } from '../../../src/rotation/step-context';
import { deadlineIn } from '../../../src/runtime/deadline';
import { SecretError } from '../../../src/secrets/json-secret';
import { VoximplantError } from '../../../src/voximplant/errors';
import { recordingLogger, recordingMetrics } from '../../support/recorders';
import { describeOnlyStore } from './fake-store';

const PENDING: SecretDescription = {
  rotationEnabled: true,
  versionIdsToStages: { 'v-current': ['AWSCURRENT'], 'v-pending': ['AWSPENDING'] },
};

function harness(description: SecretDescription, fail?: unknown) {
  const ran: { step: string; ctx: StepContext }[] = [];
  const step = (name: string) => async (ctx: StepContext) => {
    ran.push({ step: name, ctx });
    if (fail !== undefined) throw fail;
    return { outcome: `${name}-done`, details: { n: 1 } };
  };
  const steps: RotationSteps = {
    createSecret: step('createSecret'),
    setSecret: step('setSecret'),
    testSecret: step('testSecret'),
    finishSecret: step('finishSecret'),
  };
  const { store } = describeOnlyStore(description);
  const log = recordingLogger();
  const metrics = recordingMetrics();
  const run = (event: unknown) =>
    runRotationStep(event, {
      rotation: { steps, store },
      logger: log.logger,
      metrics: metrics.metrics,
      deadline: deadlineIn(10_000),
    });
  return { run, ran, log, metrics };
}

const event = (Step: string, token = 'v-pending') => ({
  Step,
  SecretId: 'app/secret',
  ClientRequestToken: token,
  RotationToken: 'rt-SENSITIVE',
});

describe('runRotationStep', () => {
  it('runs exactly the step the event names, with the guard result, and counts it', async () => {
    const h = harness(PENDING);
    const result = await h.run(event('testSecret'));
    expect(result).toEqual({
      step: 'testSecret',
      secretId: 'app/secret',
      versionId: 'v-pending',
      outcome: 'testSecret-done',
      details: { n: 1 },
    });
    expect(h.ran.map((r) => r.step)).toEqual(['testSecret']);
    expect(h.ran[0]?.ctx).toMatchObject({ token: 'v-pending', currentVersionId: 'v-current', secretId: 'app/secret' });
    expect(h.metrics.records).toEqual([{ result: 'succeeded', step: 'testSecret' }]);
    expect(h.log.lines.at(-1)).toMatchObject({
      level: 'info',
      fields: { step: 'testSecret', secret_id: 'app/secret', version_id: 'v-pending', outcome: 'testSecret-done' },
    });
    expect(h.log.text()).not.toContain('rt-SENSITIVE');
  });

  it('runs no step at all for a token that is already AWSCURRENT', async () => {
    const h = harness({ rotationEnabled: true, versionIdsToStages: { 'v-pending': ['AWSCURRENT', 'AWSPENDING'] } });
    for (const step of ['createSecret', 'setSecret', 'testSecret', 'finishSecret']) {
      expect((await h.run(event(step))).outcome).toBe('already_current');
    }
    expect(h.ran).toEqual([]);
    expect(h.metrics.records.every((m) => m.result === 'succeeded')).toBe(true);
  });

  it.each([
    [
      'a Voximplant failure',
      new VoximplantError({
        code: 'voximplant_104',
        kind: 'permanent',
        method: 'CreateKey',
        message: 'CreateKey: 104',
      }),
      'voximplant',
    ],
    [
      'a malformed secret',
      new SecretError('secret_malformed', 'x has the wrong shape: key_id: expected string'),
      'secret_malformed',
    ],
    [
      'an unreadable secret',
      new SecretError('secret_unavailable', 'could not read x: AccessDenied'),
      'secrets_manager',
    ],
    ['a configuration error', new ConfigError('STATE_TABLE is required'), 'config_invalid'],
    ['a bug', new TypeError('cannot read properties of undefined'), 'internal'],
  ])('turns %s into a RotationError with a stable code, logs it and counts it', async (_what, thrown, code) => {
    const h = harness(PENDING, thrown);
    const failed = h.run(event('setSecret'));
    await expect(failed).rejects.toThrowError(RotationError);
    await expect(failed).rejects.toMatchObject({ code });
    expect(h.metrics.records).toEqual([{ result: 'failed', step: 'setSecret' }]);
    expect(h.log.lines.at(-1)).toMatchObject({ level: 'error', fields: { code, step: 'setSecret' } });
  });

  it('redacts what looks like a credential in the message of an unexpected error', async () => {
    const h = harness(PENDING, new Error('failed with -----BEGIN PRIVATE KEY-----\nMIIabc\n-----END PRIVATE KEY-----'));
    await expect(h.run(event('createSecret'))).rejects.toMatchObject({
      message: expect.not.stringContaining('MIIabc'),
    });
    expect(h.log.text()).not.toContain('MIIabc');
  });

  it('fails an event that is no rotation event, and counts it under the step "unknown"', async () => {
    const h = harness(PENDING);
    await expect(h.run({ hello: 'world' })).rejects.toMatchObject({ code: 'invalid_event' });
    expect(h.metrics.records).toEqual([{ result: 'failed', step: 'unknown' }]);
    expect(h.ran).toEqual([]);
  });

  it('builds the rotation lazily, inside the step: a failing build is a failed, counted step', async () => {
    const log = recordingLogger();
    const metrics = recordingMetrics();
    await expect(
      runRotationStep(event('createSecret'), {
        rotation: () => {
          throw new ConfigError('invalid configuration: ROTATION_PASSWORD_CHECK must be one of login, admin-by-id');
        },
        logger: log.logger,
        metrics: metrics.metrics,
        deadline: deadlineIn(10_000),
      }),
    ).rejects.toMatchObject({ code: 'config_invalid' });
    expect(metrics.records).toEqual([{ result: 'failed', step: 'createSecret' }]);
  });
});
