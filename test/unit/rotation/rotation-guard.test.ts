import { describe, expect, it } from 'vitest';
import { rotationGuard } from '../../../src/rotation/rotation-guard';
import { describeOnlyStore } from './fake-store';

const event = (token: string) => ({ Step: 'createSecret' as const, SecretId: 'app/secret', ClientRequestToken: token });

const STAGES = {
  'v-current': ['AWSCURRENT'],
  'v-previous': ['AWSPREVIOUS'],
  'v-pending': ['AWSPENDING'],
  'v-unlabelled': [],
};

describe('the rotation guard', () => {
  it('lets an AWSPENDING token through and names the AWSCURRENT version', async () => {
    const { store, touched } = describeOnlyStore({ rotationEnabled: true, versionIdsToStages: STAGES });
    expect(await rotationGuard(store, event('v-pending'))).toEqual({ proceed: true, currentVersionId: 'v-current' });
    expect(touched).toEqual([]);
  });

  it('makes the step a no-op when the token is already AWSCURRENT, even if it still carries AWSPENDING', async () => {
    const stages = { 'v-done': ['AWSCURRENT', 'AWSPENDING'], 'v-old': ['AWSPREVIOUS'] };
    const { store } = describeOnlyStore({ rotationEnabled: true, versionIdsToStages: stages });
    expect(await rotationGuard(store, event('v-done'))).toEqual({ proceed: false, reason: 'already_current' });
  });

  it.each([
    ['rotation is off', false, 'v-pending', 'rotation_disabled'],
    ['the token is no version of the secret', true, 'v-elsewhere', 'unknown_version'],
    ['the token is AWSPREVIOUS', true, 'v-previous', 'not_pending'],
    ['the token has no label', true, 'v-unlabelled', 'not_pending'],
  ])('refuses when %s, reading and writing nothing', async (_what, enabled, token, code) => {
    const { store, touched } = describeOnlyStore({ rotationEnabled: enabled, versionIdsToStages: STAGES });
    await expect(rotationGuard(store, event(token))).rejects.toMatchObject({
      code: code,
      message: expect.stringContaining('app/secret'),
    });
    expect(touched).toEqual([]);
  });

  it('refuses a secret with no AWSCURRENT version to rotate from', async () => {
    const { store } = describeOnlyStore({ rotationEnabled: true, versionIdsToStages: { 'v-pending': ['AWSPENDING'] } });
    await expect(rotationGuard(store, event('v-pending'))).rejects.toMatchObject({ code: 'no_current' });
  });
});
