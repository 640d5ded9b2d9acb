import { PutSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { beforeEach, describe, expect, it } from 'vitest';
import { deadlineIn } from '../../../src/runtime/deadline';
import { getAccountInfo } from '../../../src/voximplant/account';
import type { VoximplantCredentials } from '../../../src/voximplant/credentials';
import { createKey, deleteKey, getKeys } from '../../../src/voximplant/keys';
import { labels, useRotationWorld } from './rotation-world';

const r = useRotationWorld();
const { world, secrets } = r;
const opts = () => ({ deadline: deadlineIn(10_000) });

const owner = () => r.client(world.sim.credentials());
const liveKeys = (as = owner()) => getKeys(as, opts(), { withRoles: true });
const liveKeyIds = async (as = owner()) => (await liveKeys(as)).map((k) => k.keyId);
const calls = (method: string) => world.sim.calls().filter((c) => c.method === method);
const currentKey = (secretId: string) => JSON.parse(secrets.server.current(secretId)!) as VoximplantCredentials;
const outcomes = (results: { outcome: string }[]) => results.map((x) => x.outcome);

beforeEach(async () => {
  // The simulator's own key back to life, every other key deleted: the account's key limit (437) is never reached
  // and each test counts its own keys.
  world.sim.reset();
  const initial = world.sim.credentials().key_id;
  for (const key of await getKeys(owner(), opts()))
    if (key.keyId !== initial) await deleteKey(owner(), key.keyId, opts());
  world.sim.reset();
  world.log.lines.length = 0;
  world.metrics.records.length = 0;
});

describe('rotate-key: the bridge key, end to end against the local Secrets Manager and the simulator', () => {
  it('makes a key with the same roles and a recognisable name, tests it, moves AWSCURRENT, deletes nothing yet', async () => {
    const k0 = world.sim.credentials();
    const secretId = r.freshKeySecret(k0);
    const first = labels(secrets.server.stages(secretId)).AWSCURRENT;
    const token = secrets.server.beginRotation(secretId);

    const results = await r.rotate(r.keySteps(), secretId, token);

    expect(outcomes(results)).toEqual(['created', 'nothing_to_set', 'key_works', 'current_moved']);
    const k1 = currentKey(secretId);
    expect(k1.key_id).not.toBe(k0.key_id);
    expect(k1).toMatchObject({ account_id: k0.account_id, account_email: k0.account_email });
    expect(k1.private_key).toContain('PRIVATE KEY');
    expect(labels(secrets.server.stages(secretId))).toMatchObject({ AWSCURRENT: token, AWSPREVIOUS: first });

    const keys = await liveKeys();
    const made = keys.find((k) => k.keyId === k1.key_id);
    expect(made?.keyName).toMatch(/^vox-admin-bridge-\d{8}-[0-9a-f]{8}$/);
    expect(made?.description).toContain(token);
    expect(made?.roles).toEqual(keys.find((k) => k.keyId === k0.key_id)?.roles);
    expect(keys.map((k) => k.keyId).sort()).toEqual([k0.key_id, k1.key_id].sort());

    // testSecret signed a call with the new key.
    expect(calls('GetAccountInfo').some((c) => c.key_id === k1.key_id && c.error_code === undefined)).toBe(true);
    expect(calls('CreateKey')).toHaveLength(1);
    expect(calls('DeleteKey')).toEqual([]);
    const logs = world.log.text();
    expect(logs).not.toContain('PRIVATE KEY');
    expect(logs).not.toContain(k1.private_key.split('\n')[1]);
  });

  it('deletes the key two generations back at each later finishSecret, never the current, previous or pending one', async () => {
    const k0 = world.sim.credentials();
    const secretId = r.freshKeySecret(k0);
    const steps = r.keySteps();
    await r.rotate(steps, secretId, secrets.server.beginRotation(secretId));
    const k1 = currentKey(secretId);

    const second = await r.rotate(steps, secretId, secrets.server.beginRotation(secretId));
    const k2 = currentKey(secretId);
    expect(second[3]?.details).toEqual({ key_id: k2.key_id, retired_key_id: k0.key_id });
    // Listed with k2: the simulator's own key k0 is the one just deleted.
    expect((await liveKeyIds(r.client(k2))).sort()).toEqual([k1.key_id, k2.key_id].sort());
    expect(calls('DeleteKey').map((c) => c.params.key_id)).toEqual([k0.key_id]);
    // AWSPREVIOUS (k1) still works for a container that holds it.
    await expect(getAccountInfo(r.client(k1), opts())).resolves.toMatchObject({
      account: { account_id: k1.account_id },
    });
    await expect(getAccountInfo(r.client(k0), opts())).rejects.toMatchObject({ voximplantCode: 433 });

    world.sim.reset(); // brings the simulator's own key k0 back: it must not matter to the third rotation
    const third = await r.rotate(steps, secretId, secrets.server.beginRotation(secretId));
    const k3 = currentKey(secretId);
    expect(third[3]?.details).toEqual({ key_id: k3.key_id, retired_key_id: k1.key_id });
    const live = await liveKeyIds();
    expect(live).toEqual(expect.arrayContaining([k2.key_id, k3.key_id]));
    expect(live).not.toContain(k1.key_id);
  });

  it('runs every step twice with one CreateKey, one DeleteKey, and no-ops once finished', async () => {
    const secretId = r.freshKeySecret();
    const steps = r.keySteps();
    await r.rotate(steps, secretId, secrets.server.beginRotation(secretId));
    world.sim.reset();
    const token = secrets.server.beginRotation(secretId);

    expect((await r.step(steps, secretId, token, 'createSecret')).outcome).toBe('created');
    const pending = await r.stageValue(secretId, 'AWSPENDING');
    expect((await r.step(steps, secretId, token, 'createSecret')).outcome).toBe('already_created');
    expect(await r.stageValue(secretId, 'AWSPENDING')).toEqual(pending);
    for (const name of ['setSecret', 'setSecret', 'testSecret', 'testSecret'] as const)
      await r.step(steps, secretId, token, name);
    expect((await r.step(steps, secretId, token, 'finishSecret')).outcome).toBe('current_moved');
    expect((await r.step(steps, secretId, token, 'finishSecret')).outcome).toBe('already_current');
    expect(outcomes(await r.rotate(steps, secretId, token))).toEqual(Array(4).fill('already_current'));

    expect(calls('CreateKey')).toHaveLength(1);
    expect(calls('DeleteKey')).toHaveLength(1);
    expect(currentKey(secretId).key_id).toBe(pending?.key_id);
  });

  it('completes a rotation interrupted after setSecret when it is restarted, with one new key', async () => {
    const secretId = r.freshKeySecret();
    const token = secrets.server.beginRotation(secretId);
    const steps = r.keySteps();
    await r.step(steps, secretId, token, 'createSecret');
    await r.step(steps, secretId, token, 'setSecret');

    const restarted = await r.rotate(r.keySteps(), secretId, token);

    expect(outcomes(restarted)).toEqual(['already_created', 'nothing_to_set', 'key_works', 'current_moved']);
    expect(calls('CreateKey')).toHaveLength(1);
    expect(await liveKeyIds()).toHaveLength(2);
  });

  it('leaves no stray key when PutSecretValue fails after CreateKey; the retry keeps exactly one', async () => {
    const secretId = r.freshKeySecret();
    const token = secrets.server.beginRotation(secretId);
    const steps = r.keySteps();

    secrets.server.failNext('PutSecretValue');
    await expect(r.step(steps, secretId, token, 'createSecret')).rejects.toMatchObject({ code: 'secrets_manager' });
    expect(await liveKeyIds()).toHaveLength(1); // the key made for nothing was deleted at once

    // The same, and the immediate clean-up fails too: the next run finds the stray key by its name.
    secrets.server.failNext('PutSecretValue');
    world.sim.queueFault({ method: 'DeleteKey', error: { code: 104 } });
    await expect(r.step(steps, secretId, token, 'createSecret')).rejects.toThrow();
    expect(await liveKeyIds()).toHaveLength(2);
    expect(world.log.lines.some((l) => l.level === 'warn' && l.message.includes('next createSecret'))).toBe(true);

    const retried = await r.step(steps, secretId, token, 'createSecret');
    expect(retried).toMatchObject({ outcome: 'created', details: { leftover_keys_deleted: 1 } });
    const pending = await r.stageValue(secretId, 'AWSPENDING');
    expect((await liveKeyIds()).sort()).toEqual([world.sim.credentials().key_id, String(pending?.key_id)].sort());
  });

  it('finishes a finishSecret that deleted the old key but failed to move AWSCURRENT, without a second delete', async () => {
    const secretId = r.freshKeySecret();
    const steps = r.keySteps();
    await r.rotate(steps, secretId, secrets.server.beginRotation(secretId));
    const token = secrets.server.beginRotation(secretId);
    for (const name of ['createSecret', 'setSecret', 'testSecret'] as const) await r.step(steps, secretId, token, name);
    world.sim.reset();

    secrets.server.failNext('UpdateSecretVersionStage');
    await expect(r.step(steps, secretId, token, 'finishSecret')).rejects.toMatchObject({ code: 'secrets_manager' });
    expect(labels(secrets.server.stages(secretId)).AWSPENDING).toBe(token);
    expect((await r.step(steps, secretId, token, 'finishSecret')).outcome).toBe('current_moved');

    expect(calls('DeleteKey')).toHaveLength(1);
    expect(labels(secrets.server.stages(secretId)).AWSCURRENT).toBe(token);
  });

  it('refuses a token that is not AWSPENDING and changes nothing, at Voximplant or in the secret', async () => {
    const secretId = r.freshKeySecret();
    const steps = r.keySteps();
    await r.rotate(steps, secretId, secrets.server.beginRotation(secretId));
    const previousVersion = labels(secrets.server.stages(secretId)).AWSPREVIOUS!;
    secrets.server.beginRotation(secretId);
    world.sim.reset();
    const stages = secrets.server.stages(secretId);

    for (const name of ['createSecret', 'setSecret', 'testSecret', 'finishSecret'] as const) {
      await expect(r.step(steps, secretId, crypto.randomUUID(), name)).rejects.toMatchObject({
        code: 'unknown_version',
      });
      await expect(r.step(steps, secretId, previousVersion, name)).rejects.toMatchObject({ code: 'not_pending' });
    }
    expect(secrets.server.stages(secretId)).toEqual(stages);
    expect(world.sim.calls()).toEqual([]);
  });

  it('fails testSecret when the pending key is refused, or cannot call what the current key can', async () => {
    const steps = r.keySteps();
    const refusedSecret = r.freshKeySecret();
    const refusedToken = secrets.server.beginRotation(refusedSecret);
    await r.step(steps, refusedSecret, refusedToken, 'createSecret');
    const pending = (await r.stageValue(refusedSecret, 'AWSPENDING')) as VoximplantCredentials;
    await deleteKey(owner(), pending.key_id, opts());
    await expect(r.step(steps, refusedSecret, refusedToken, 'testSecret')).rejects.toMatchObject({
      code: 'key_refused',
      message: expect.stringContaining(pending.key_id),
    });
    expect(labels(secrets.server.stages(refusedSecret)).AWSPENDING).toBe(refusedToken);

    // A pending key with fewer roles than the current one (put there by hand, as a broken createSecret might).
    const narrowSecret = r.freshKeySecret();
    const narrowToken = secrets.server.beginRotation(narrowSecret);
    const viewer = await createKey(owner(), { keyName: 'viewer', roleNames: ['Admin users viewer'] }, opts());
    await secrets.client.send(
      new PutSecretValueCommand({
        SecretId: narrowSecret,
        ClientRequestToken: narrowToken,
        SecretString: JSON.stringify(viewer),
        VersionStages: ['AWSPENDING'],
      }),
    );
    const narrow = r.step(steps, narrowSecret, narrowToken, 'testSecret');
    await expect(narrow).rejects.toMatchObject({ code: 'missing_access' });
    await expect(narrow).rejects.toMatchObject({ message: expect.stringContaining('SetAdminUserInfo') });
    await expect(narrow).rejects.toMatchObject({ message: expect.stringContaining('CreateKey') });
  });

  it('answers testSecret alone as the configuration test and refuses the setup placeholder in createSecret', async () => {
    const steps = r.keySteps();
    const placeholder = `vox-admin-bridge/test/voximplant-credentials/${crypto.randomUUID()}`;
    secrets.server.putSecret(placeholder, { setup: 'replace with the Voximplant credentials.json' });
    const token = secrets.server.beginRotation(placeholder);

    expect((await r.step(steps, placeholder, token, 'testSecret')).outcome).toBe('configuration_test');
    await expect(r.step(steps, placeholder, token, 'createSecret')).rejects.toMatchObject({
      code: 'secret_malformed',
      message: expect.stringMatching(/key_id|private_key/),
    });
    expect(world.sim.calls()).toEqual([]);
  });
});
