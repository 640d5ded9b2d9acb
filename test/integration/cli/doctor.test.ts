import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VOXIMPLANT_ERROR_LIST } from '../../../src/cli/doctor/run-checks';
import { deadlineIn } from '../../../src/runtime/deadline';
import { VoximplantClient } from '../../../src/voximplant/client';
import { credentialsFromValue } from '../../../src/voximplant/credentials';
import { createKey } from '../../../src/voximplant/keys';
import { type LocalSecretsManager, startSecretsManager } from '../../../tooling/local/secrets-manager-server';
import { type RunningSimulator, runSimulatorServer } from '../../../tooling/sim/simulator';
import { cli } from '../../support/cli-io';

/** `doctor` against the simulator: the real JWT checks, GetAccountInfo, access_entries and the Date header. */
describe('vox-admin-bridge doctor', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vab-doctor-'));
  let sim: RunningSimulator;
  let secrets: LocalSecretsManager;
  const ownerFile = join(dir, 'owner.json');

  beforeAll(async () => {
    sim = await runSimulatorServer({ seed: 'demo', credentialsFile: ownerFile });
    secrets = await startSecretsManager();
  });
  afterAll(async () => {
    await sim.close();
    await secrets.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const doctor = (args: string[], env: Record<string, string> = {}) =>
    cli(['doctor', ...args, '--api-url', sim.apiUrl], env);

  const mintKey = async (roleNames: string[], name: string) => {
    const owner = new VoximplantClient({
      apiUrl: sim.apiUrl,
      credentials: credentialsFromValue(sim.simulator.credentials()),
    });
    const key = await createKey(owner, { keyName: name, roleNames }, { deadline: deadlineIn(10_000) });
    const path = join(dir, `${name}.json`);
    writeFileSync(path, JSON.stringify(key));
    return path;
  };

  it('passes every check with the owner key, exit 0', async () => {
    const ran = await doctor(['--credentials', ownerFile]);
    expect(ran.code, ran.stdout).toBe(0);
    for (const name of ['credentials', 'private key', 'GetAccountInfo', 'SetAdminUserInfo', 'GetAdminUsers', 'clock']) {
      expect(ran.stdout).toMatch(new RegExp(`✓ ${name}:`));
    }
    expect(ran.stdout).toContain('All checks passed.');
    // Only the read-only health check was called.
    expect(new Set(sim.simulator.calls().map((c) => c.method))).toEqual(new Set(['GetAccountInfo']));
  });

  it('a key without roles: GetAccountInfo works, both methods are ✗ with a fix, exit 1', async () => {
    const path = await mintKey([], 'roleless');
    const ran = await doctor(['--credentials', path]);
    expect(ran.code).toBe(1);
    expect(ran.stdout).toMatch(/✓ GetAccountInfo:/);
    expect(ran.stdout).toMatch(/✗ SetAdminUserInfo: this key may NOT call it/);
    expect(ran.stdout).toMatch(/✗ GetAdminUsers: this key may NOT call it/);
    expect(ran.stdout).toMatch(/fix: give the key \(.+\) a role that allows SetAdminUserInfo/);
    expect(ran.stdout).toContain('2 problems found.');
  });

  it('a viewer key may read but not write: only SetAdminUserInfo is ✗', async () => {
    const path = await mintKey(['Admin users viewer'], 'viewer');
    const ran = await doctor(['--credentials', path]);
    expect(ran.code).toBe(1);
    expect(ran.stdout).toMatch(/✗ SetAdminUserInfo/);
    expect(ran.stdout).toMatch(/✓ GetAdminUsers/);
  });

  it('a key the API does not know: GetAccountInfo ✗ (invalid key id) and the role checks skipped', async () => {
    const path = join(dir, 'unknown.json');
    writeFileSync(
      path,
      JSON.stringify({ ...sim.simulator.credentials(), key_id: '00000000-0000-0000-0000-000000000000' }),
    );
    const ran = await doctor(['--credentials', path]);
    expect(ran.code).toBe(1);
    expect(ran.stdout).toMatch(/✗ GetAccountInfo: Voximplant error 433/);
    expect(ran.stdout).toMatch(/fix: Voximplant does not know this key_id/);
    expect(ran.stdout).toMatch(/- SetAdminUserInfo: not checked/);
  });

  it('the right key id with another private key: GetAccountInfo ✗ (authorization failed)', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const path = join(dir, 'wrong-pem.json');
    writeFileSync(
      path,
      JSON.stringify({
        ...sim.simulator.credentials(),
        private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }),
      }),
    );
    const ran = await doctor(['--credentials', path]);
    expect(ran.code).toBe(1);
    expect(ran.stdout).toMatch(/✗ GetAccountInfo: Voximplant error 100/);
    expect(ran.stdout).toMatch(/fix: authorization failed/);
  });

  it('a file that is not a credentials.json: ✗ credentials, the rest skipped, and no key material printed', async () => {
    const path = join(dir, 'broken.json');
    writeFileSync(path, JSON.stringify({ account_id: 1, key_id: 'k', private_key: 'SECRET-NOT-A-PEM' }));
    const ran = await doctor(['--credentials', path]);
    expect(ran.code).toBe(1);
    expect(ran.stdout).toMatch(/✗ credentials:/);
    expect(ran.stdout).not.toContain('SECRET-NOT-A-PEM');
    const missing = await doctor(['--credentials', join(dir, 'nope.json')]);
    expect(missing.stdout).toMatch(/fix: no file at that path/);
  });

  it('reads the credentials from Secrets Manager with --secret-id (the SDK default chain)', async () => {
    const { private_key: _omit, ...publicPart } = sim.simulator.credentials();
    secrets.putSecret('prod/voximplant', sim.simulator.credentials());
    process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = secrets.endpoint;
    process.env.AWS_REGION = 'us-east-1';
    process.env.AWS_ACCESS_KEY_ID = 'local';
    process.env.AWS_SECRET_ACCESS_KEY = 'local';
    const ran = await doctor(['--secret-id', 'prod/voximplant']);
    expect(ran.code, ran.stdout).toBe(0);
    expect(ran.stdout).toContain(`read from the secret prod/voximplant (account ${publicPart.account_id}`);
    const absent = await doctor(['--secret-id', 'prod/absent']);
    expect(absent.code).toBe(1);
    expect(absent.stdout).toMatch(/✗ credentials: .*ResourceNotFoundException/);
    expect(absent.stdout).toMatch(/fix: no secret with that id/);
  });

  it('a clock that disagrees with the API Date header is ✗ with the skew', async () => {
    const ahead = await runSimulatorServer({
      seed: 'empty',
      now: () => Date.now() + 90_000,
      credentialsFile: join(dir, 'ahead.json'),
    });
    try {
      const ran = await cli(['doctor', '--credentials', join(dir, 'ahead.json'), '--api-url', ahead.apiUrl]);
      expect(ran.code).toBe(1);
      expect(ran.stdout).toMatch(/✗ clock: this machine is (8\d|9\d)\.\d s behind the API's clock/);
    } finally {
      await ahead.close();
    }
  });

  it("an error code without a fix of its own points at Voximplant's public error list", async () => {
    sim.simulator.queueFault({ method: 'GetAccountInfo', error: { code: 131, msg: 'Account is not activated' } });
    const ran = await doctor(['--credentials', ownerFile]);
    expect(ran.code).toBe(1);
    expect(ran.stdout).toContain(`fix: look up Voximplant error 131 in ${VOXIMPLANT_ERROR_LIST}`);
    expect(ran.stdout).not.toMatch(/research|CONTRACT/);
  });

  it('needs a credentials source, and only one', async () => {
    expect((await cli(['doctor'])).code).toBe(2);
    expect((await cli(['doctor', '--credentials', 'a', '--secret-id', 'b'])).code).toBe(2);
  });
});
