import { beforeEach, describe, expect, it } from 'vitest';
import { deadlineIn } from '../../../src/runtime/deadline';
import { setAdminUserInfo } from '../../../src/voximplant/set-admin-user-info';
import { CHILD_ACCOUNT_ID, labels, useRotationWorld } from './rotation-world';

const r = useRotationWorld();
const { world, secrets } = r;

const OPS_BOT = { admin_user_id: 12, admin_user_name: 'ops-bot', password: 'old-Password-12' };

beforeEach(() => {
  // Admins (and their passwords) back to the seed, the call log emptied; logs and metrics of the last test dropped.
  world.sim.reset();
  world.log.lines.length = 0;
  world.metrics.records.length = 0;
});

const calls = (method: string) => world.sim.calls().filter((c) => c.method === method);
const passwordLogins = () => world.sim.calls().filter((c) => c.auth === 'admin_password');
const outcomes = (results: { outcome: string }[]) => results.map((x) => x.outcome);

describe('rotate: an admin password, end to end against the local Secrets Manager and the simulator', () => {
  it('sets a new password, proves it with the admin login, moves AWSCURRENT; the old password stops working', async () => {
    const secretId = r.freshPasswordSecret({ ...OPS_BOT, account_id: world.sim.accountId });
    const before = labels(secrets.server.stages(secretId));
    const token = secrets.server.beginRotation(secretId);

    const results = await r.rotate(r.passwordSteps(), secretId, token);

    expect(outcomes(results)).toEqual(['created', 'password_set', 'password_works', 'current_moved']);
    expect(results[2]?.details).toEqual({ check: 'admin_password_login' });
    const after = labels(secrets.server.stages(secretId));
    expect(after.AWSCURRENT).toBe(token);
    expect(after.AWSPREVIOUS).toBe(before.AWSCURRENT);
    const current = JSON.parse(secrets.server.current(secretId)!) as Record<string, unknown>;
    const password = String(current.password);
    expect(current).toMatchObject({ admin_user_id: 12, admin_user_name: 'ops-bot', account_id: world.sim.accountId });
    expect(password).toHaveLength(32);
    expect(password).not.toMatch(/\s/);
    for (const cls of [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/]) expect(password).toMatch(cls);

    expect(await r.loginWorks('ops-bot', password)).toBe(true);
    expect(await r.loginWorks('ops-bot', OPS_BOT.password)).toBe(false);

    // One password change, by id, signed with the bridge's key, the password in the form body only.
    const [set, ...more] = calls('SetAdminUserInfo');
    expect(more).toEqual([]);
    expect(set).toMatchObject({ auth: 'jwt', encoding: 'urlencoded', query_keys: [] });
    expect(set?.params).toEqual({ required_admin_user_id: '12', new_admin_user_password: '[redacted]' });
    expect(set?.idempotency_key).toMatch(/^[0-9a-f]{64}$/);
    // The admin's own logins carried the password in the body too, never in the URL.
    expect(passwordLogins().length).toBeGreaterThan(0);
    for (const login of passwordLogins()) expect(login.query_keys).toEqual([]);

    expect(world.metrics.records).toEqual(
      ['createSecret', 'setSecret', 'testSecret', 'finishSecret'].map((step) => ({ result: 'succeeded', step })),
    );
    const logs = world.log.text();
    expect(logs).not.toContain(password);
    expect(logs).not.toContain(OPS_BOT.password);
  });

  it('runs every step twice with no second password, no second change, and no-ops once finished', async () => {
    const secretId = r.freshPasswordSecret(OPS_BOT);
    const token = secrets.server.beginRotation(secretId);
    const steps = r.passwordSteps();
    const generated = secrets.server.requestCount('GetRandomPassword');

    expect((await r.step(steps, secretId, token, 'createSecret')).outcome).toBe('created');
    const pending = await r.stageValue(secretId, 'AWSPENDING');
    expect((await r.step(steps, secretId, token, 'createSecret')).outcome).toBe('already_created');
    expect(await r.stageValue(secretId, 'AWSPENDING')).toEqual(pending);
    expect(secrets.server.requestCount('GetRandomPassword') - generated).toBe(1);

    expect((await r.step(steps, secretId, token, 'setSecret')).outcome).toBe('password_set');
    expect((await r.step(steps, secretId, token, 'setSecret')).outcome).toBe('already_set');
    expect(calls('SetAdminUserInfo')).toHaveLength(1);

    expect((await r.step(steps, secretId, token, 'testSecret')).outcome).toBe('password_works');
    expect((await r.step(steps, secretId, token, 'testSecret')).outcome).toBe('password_works');
    expect((await r.step(steps, secretId, token, 'finishSecret')).outcome).toBe('current_moved');
    const finished = secrets.server.stages(secretId);
    expect((await r.step(steps, secretId, token, 'finishSecret')).outcome).toBe('already_current');

    // Secrets Manager retrying the whole, finished rotation: the guard makes every step a no-op.
    const seen = world.sim.calls().length;
    expect(outcomes(await r.rotate(steps, secretId, token))).toEqual(Array(4).fill('already_current'));
    expect(world.sim.calls()).toHaveLength(seen);
    expect(secrets.server.stages(secretId)).toEqual(finished);
    expect(await r.loginWorks('ops-bot', String(pending?.password))).toBe(true);
  });

  it('completes a rotation interrupted after setSecret when Secrets Manager restarts it, with one change', async () => {
    const secretId = r.freshPasswordSecret(OPS_BOT);
    const token = secrets.server.beginRotation(secretId);
    const steps = r.passwordSteps();
    await r.step(steps, secretId, token, 'createSecret');
    await r.step(steps, secretId, token, 'setSecret');
    // Interrupted here: Voximplant has the new password, AWSCURRENT still holds the old one.
    expect(JSON.parse(secrets.server.current(secretId)!).password).toBe(OPS_BOT.password);

    const restarted = await r.rotate(r.passwordSteps(), secretId, token);

    expect(outcomes(restarted)).toEqual(['already_created', 'already_set', 'password_works', 'current_moved']);
    expect(calls('SetAdminUserInfo')).toHaveLength(1);
    const current = JSON.parse(secrets.server.current(secretId)!) as { password: string };
    expect(await r.loginWorks('ops-bot', current.password)).toBe(true);
  });

  it('confirms a SetAdminUserInfo whose answer was lost with the admin login instead of failing', async () => {
    const secretId = r.freshPasswordSecret(OPS_BOT);
    const token = secrets.server.beginRotation(secretId);
    const steps = r.passwordSteps();
    await r.step(steps, secretId, token, 'createSecret');
    world.sim.queueFault({ method: 'SetAdminUserInfo', drop: 'after' });

    expect((await r.step(steps, secretId, token, 'setSecret')).outcome).toBe('password_set');
    expect(calls('SetAdminUserInfo')).toHaveLength(1);
    expect((await r.step(steps, secretId, token, 'testSecret')).outcome).toBe('password_works');
  });

  it('refuses a token that is not AWSPENDING, or a secret without rotation, and changes nothing', async () => {
    const secretId = r.freshPasswordSecret(OPS_BOT);
    const steps = r.passwordSteps();
    const firstToken = secrets.server.beginRotation(secretId);
    await r.rotate(steps, secretId, firstToken);
    const token = secrets.server.beginRotation(secretId);
    const previousVersion = labels(secrets.server.stages(secretId)).AWSPREVIOUS!;
    world.sim.reset();
    world.metrics.records.length = 0;
    const stages = secrets.server.stages(secretId);
    const writes = () =>
      secrets.server.requestCount('PutSecretValue') + secrets.server.requestCount('UpdateSecretVersionStage');
    const writesBefore = writes();

    for (const name of ['createSecret', 'setSecret', 'testSecret', 'finishSecret'] as const) {
      await expect(r.step(steps, secretId, crypto.randomUUID(), name)).rejects.toMatchObject({
        code: 'unknown_version',
      });
      await expect(r.step(steps, secretId, previousVersion, name)).rejects.toMatchObject({
        code: 'not_pending',
        message: expect.stringContaining('AWSPREVIOUS'),
      });
    }
    secrets.server.setRotationEnabled(secretId, false);
    await expect(r.step(steps, secretId, token, 'createSecret')).rejects.toMatchObject({ code: 'rotation_disabled' });
    secrets.server.setRotationEnabled(secretId, true);

    expect(secrets.server.stages(secretId)).toEqual(stages);
    expect(writes()).toBe(writesBefore);
    expect(world.sim.calls()).toEqual([]);
    expect(world.metrics.records.every((m) => m.result === 'failed')).toBe(true);
    expect(world.log.lines.filter((l) => l.level === 'error').at(-1)?.fields).toMatchObject({
      code: 'rotation_disabled',
      step: 'createSecret',
    });
  });

  it('checks an inactive admin by id (its login is off) and says so; the password is still set', async () => {
    const secretId = r.freshPasswordSecret({ admin_user_id: 13, admin_user_name: 'away-bot', password: '' });
    const token = secrets.server.beginRotation(secretId);

    const results = await r.rotate(r.passwordSteps(), secretId, token);

    expect(outcomes(results)).toEqual(['created', 'password_set', 'admin_found', 'current_moved']);
    expect(results[2]?.details).toEqual({ check: 'admin_by_id', check_reason: 'admin_inactive' });
    expect(world.log.lines.some((l) => l.level === 'warn' && l.message.includes('not proven'))).toBe(true);
    expect(passwordLogins()).toEqual([]);
    // Once the admin is active again, the rotated password is the one that logs in.
    await setAdminUserInfo(
      r.client(world.sim.credentials()),
      { adminUserId: 13, active: true },
      { deadline: deadlineIn(10_000) },
    );
    const current = JSON.parse(secrets.server.current(secretId)!) as { password: string };
    expect(await r.loginWorks('away-bot', current.password)).toBe(true);
  });

  it('with ROTATION_PASSWORD_CHECK=admin-by-id never uses the admin login', async () => {
    const secretId = r.freshPasswordSecret(OPS_BOT);
    const token = secrets.server.beginRotation(secretId);

    const results = await r.rotate(r.passwordSteps('admin-by-id'), secretId, token);

    expect(outcomes(results)).toEqual(['created', 'password_set', 'admin_found', 'current_moved']);
    expect(results[2]?.details).toEqual({ check: 'admin_by_id', check_reason: 'configured' });
    expect(passwordLogins()).toEqual([]);
    const current = JSON.parse(secrets.server.current(secretId)!) as { password: string };
    expect(await r.loginWorks('ops-bot', current.password)).toBe(true);
  });

  it('carries the admin live name into the new version when it was renamed since', async () => {
    const secretId = r.freshPasswordSecret({ admin_user_id: 14, admin_user_name: 'old-name', password: 'x' });
    const token = secrets.server.beginRotation(secretId);

    const results = await r.rotate(r.passwordSteps(), secretId, token);

    expect(results[0]?.details).toMatchObject({ admin_user_name: 'renamed-bot', renamed: true });
    expect(results[2]?.outcome).toBe('password_works');
    expect(JSON.parse(secrets.server.current(secretId)!).admin_user_name).toBe('renamed-bot');
  });

  it('rotates an admin of a child account: the JWT names the child, the login uses its account', async () => {
    const secretId = r.freshPasswordSecret({
      admin_user_id: 21,
      admin_user_name: 'child-bot',
      password: 'old-Password-21',
      account_id: CHILD_ACCOUNT_ID,
    });
    const token = secrets.server.beginRotation(secretId);

    const results = await r.rotate(r.passwordSteps(), secretId, token);

    expect(outcomes(results)).toEqual(['created', 'password_set', 'password_works', 'current_moved']);
    expect(calls('SetAdminUserInfo')[0]).toMatchObject({ account_id: CHILD_ACCOUNT_ID, auth: 'jwt' });
    const current = JSON.parse(secrets.server.current(secretId)!) as { password: string };
    expect(await r.loginWorks('child-bot', current.password, CHILD_ACCOUNT_ID)).toBe(true);
    expect(await r.loginWorks('child-bot', 'old-Password-21', CHILD_ACCOUNT_ID)).toBe(false);
  });

  it('refuses the setup placeholder and an unknown admin before generating or writing anything', async () => {
    const steps = r.passwordSteps();
    const generated = secrets.server.requestCount('GetRandomPassword');
    const puts = secrets.server.requestCount('PutSecretValue');

    const placeholder = r.freshPasswordSecret({ admin_user_name: 'ops-bot', password: '' });
    const placeholderToken = secrets.server.beginRotation(placeholder);
    await expect(r.step(steps, placeholder, placeholderToken, 'createSecret')).rejects.toMatchObject({
      code: 'secret_malformed',
      message: expect.stringContaining('admin_user_id'),
    });

    const unknown = r.freshPasswordSecret({ admin_user_id: 999, admin_user_name: 'nobody', password: 'whatever-1' });
    const unknownToken = secrets.server.beginRotation(unknown);
    await expect(r.step(steps, unknown, unknownToken, 'createSecret')).rejects.toMatchObject({
      code: 'admin_not_found',
      message: expect.not.stringContaining('whatever-1'),
    });

    expect(secrets.server.requestCount('GetRandomPassword')).toBe(generated);
    expect(secrets.server.requestCount('PutSecretValue')).toBe(puts);
    expect(await r.stageValue(unknown, 'AWSPENDING')).toBeUndefined();
  });

  it('answers testSecret alone on a value-less AWSPENDING as the configuration test, and never finishes one', async () => {
    const steps = r.passwordSteps();
    const placeholder = r.freshPasswordSecret({ admin_user_name: 'ops-bot', password: '' });
    const token = secrets.server.beginRotation(placeholder);
    const stages = secrets.server.stages(placeholder);

    expect((await r.step(steps, placeholder, token, 'testSecret')).outcome).toBe('configuration_test');
    await expect(r.step(steps, placeholder, token, 'setSecret')).rejects.toMatchObject({ code: 'no_pending_value' });
    await expect(r.step(steps, placeholder, token, 'finishSecret')).rejects.toMatchObject({ code: 'no_pending_value' });
    expect(secrets.server.stages(placeholder)).toEqual(stages);
    expect(world.sim.calls()).toEqual([]);
  });
});
