import { describe, expect, it } from 'vitest';
import { adminPasswordRotation } from '../../../src/rotation/admin-password/admin-password-rotation';
import type { RotationSecretStore } from '../../../src/rotation/secret-versions';
import type { StepContext } from '../../../src/rotation/step-context';
import { deadlineIn } from '../../../src/runtime/deadline';
import type { VoximplantCaller } from '../../../src/voximplant/admin-user';
import { apiError } from '../../../src/voximplant/errors';
import { recordingLogger } from '../../support/recorders';

/**
 * setSecret against a scripted Management API: cases the simulator does not produce. Voximplant documents 535
 * PASSWORD_WAS_ALREADY_USED (apiclient-php `src/Enum/Errors.php`); the simulator does not enforce password history.
 */
const CURRENT = { admin_user_id: 12, admin_user_name: 'ops-bot', password: 'old' };
const PENDING = { ...CURRENT, password: 'Fresh-Random-Password-32-chars!!' };

function context(): StepContext {
  const values: Record<string, unknown> = { AWSCURRENT: CURRENT, AWSPENDING: PENDING };
  const store = {
    getValue: async (_id: string, { stage }: { stage: string }) =>
      values[stage] === undefined ? undefined : JSON.stringify(values[stage]),
  } as unknown as RotationSecretStore;
  return {
    step: 'setSecret',
    secretId: 'app/admin-password/ops-bot',
    token: 'v-pending',
    currentVersionId: 'v-current',
    store,
    deadline: deadlineIn(10_000),
    logger: recordingLogger().logger,
  };
}

function voximplant(setAnswer: () => unknown) {
  const methods: string[] = [];
  const caller: VoximplantCaller = {
    call: (async (method: string) => {
      methods.push(method);
      if (method === 'GetAdminUsers') {
        const admin = { admin_user_id: 12, admin_user_name: 'ops-bot', admin_user_active: true };
        return { verified: false, result: [admin], body: { total_count: 1 }, attempts: 1 };
      }
      return setAnswer();
    }) as VoximplantCaller['call'],
  };
  return { caller, methods };
}

const refusedLogin = async () => ({
  accepted: false as const,
  code: 'voximplant_100',
  voximplantCode: 100,
  attempts: 1,
});

describe('rotate setSecret', () => {
  it('takes 535 "password already used" for its own earlier change: the fresh password can only be ours', async () => {
    const api = voximplant(() => {
      throw apiError('SetAdminUserInfo', 535, 'The password was already used');
    });
    const steps = adminPasswordRotation({
      voximplant: api.caller,
      keyAccountId: async () => 1000001,
      login: refusedLogin,
      passwordCheck: 'login',
    });
    const out = await steps.setSecret(context());
    expect(out).toMatchObject({ outcome: 'already_set', details: { reason: 'password_already_used' } });
    expect(api.methods).toEqual(['GetAdminUsers', 'SetAdminUserInfo']);
  });

  it('fails on any other refusal of SetAdminUserInfo', async () => {
    const api = voximplant(() => {
      throw apiError('SetAdminUserInfo', 523, 'Password too weak');
    });
    const steps = adminPasswordRotation({
      voximplant: api.caller,
      keyAccountId: async () => 1000001,
      login: refusedLogin,
      passwordCheck: 'login',
    });
    await expect(steps.setSecret(context())).rejects.toMatchObject({ voximplantCode: 523 });
  });
});
