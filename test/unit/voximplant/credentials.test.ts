import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config';
import { SecretError } from '../../../src/secrets/json-secret';
import {
  credentialsFromConfig,
  credentialsFromFile,
  credentialsFromSecretsManager,
  credentialsSchema,
} from '../../../src/voximplant/credentials';
import { testCredentials } from '../../support/voximplant';

const sm = mockClient(SecretsManagerClient);
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vox-creds-'));
});
afterEach(() => sm.reset());
afterAll(async () => {
  sm.restore();
  await rm(dir, { recursive: true, force: true });
});

const KEY_MARK = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC'; // how every PKCS#8 RSA key starts
const good = () => testCredentials();

describe('credentialsSchema', () => {
  it('accepts credentials.json and a quoted numeric account_id', () => {
    expect(credentialsSchema.parse(good()).account_id).toBe(1000001);
    expect(credentialsSchema.parse({ ...good(), account_id: '1000001' }).account_id).toBe(1000001);
    expect(credentialsSchema.parse({ ...good(), account_email: undefined }).account_email).toBeUndefined();
  });

  it.each([
    [{ account_id: 0 }, 'account_id'],
    [{ account_id: 'abc' }, 'account_id'],
    [{ key_id: '' }, 'key_id'],
    [{ private_key: 'not a pem' }, 'private_key'],
  ])('rejects %j', (patch, field) => {
    const result = credentialsSchema.safeParse({ ...good(), ...patch });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual([field]);
  });
});

describe('credentialsFromSecretsManager', () => {
  it('shares one Secrets Manager fetch between concurrent get() calls and caches it', async () => {
    sm.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify(good()) });
    const source = credentialsFromSecretsManager(new SecretsManagerClient({ region: 'us-east-1' }), 'vox/creds');
    const all = await Promise.all(Array.from({ length: 10 }, () => source.get()));
    expect(all.every((c) => c.key_id === 'key-aaaa-1111')).toBe(true);
    await source.get();
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(1);
    expect(sm.commandCalls(GetSecretValueCommand)[0]?.args[0].input).toEqual({ SecretId: 'vox/creds' });
  });

  it('reads again after the TTL and on refresh()', async () => {
    sm.on(GetSecretValueCommand)
      .resolvesOnce({ SecretString: JSON.stringify(good()) })
      .resolves({ SecretString: JSON.stringify(testCredentials({ key_id: 'key-new' })) });
    let now = 0;
    const source = credentialsFromSecretsManager(new SecretsManagerClient({ region: 'us-east-1' }), 'vox/creds', {
      ttlMs: 60_000,
      now: () => now,
    });
    expect((await source.get()).key_id).toBe('key-aaaa-1111');
    now = 59_999;
    expect((await source.get()).key_id).toBe('key-aaaa-1111');
    now = 60_000;
    expect((await source.get()).key_id).toBe('key-new');
    await source.refresh();
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(3);
  });

  it('names the wrong field and never prints the key', async () => {
    const { private_key, ...rest } = good();
    sm.on(GetSecretValueCommand)
      .resolvesOnce({ SecretString: JSON.stringify({ ...rest, private_key: 42, key_id: private_key }) })
      .resolvesOnce({ SecretString: JSON.stringify(rest) });
    const source = credentialsFromSecretsManager(new SecretsManagerClient({ region: 'us-east-1' }), 'vox/creds');
    const first = source.get();
    await expect(first).rejects.toThrowError(SecretError);
    await expect(first).rejects.toMatchObject({ code: 'secret_malformed' });
    await expect(first).rejects.toThrowError('private_key: expected string');
    await expect(first).rejects.toThrowError('vox/creds');
    await expect(first).rejects.toMatchObject({ message: expect.not.stringContaining(KEY_MARK) });
    await expect(source.refresh()).rejects.toThrowError('private_key: expected string');
  });

  it('says the secret is unavailable when Secrets Manager fails', async () => {
    sm.on(GetSecretValueCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    const source = credentialsFromSecretsManager(new SecretsManagerClient({ region: 'us-east-1' }), 'vox/creds');
    await expect(source.get()).rejects.toMatchObject({ code: 'secret_unavailable' });
  });
});

describe('credentialsFromFile', () => {
  it('reads and validates a credentials.json', async () => {
    const path = join(dir, 'credentials.json');
    await writeFile(path, JSON.stringify({ ...good(), account_id: '1000001' }));
    const creds = await credentialsFromFile(path).get();
    expect(creds).toMatchObject({ account_id: 1000001, key_id: 'key-aaaa-1111' });
  });

  it('reports a missing file and a malformed one without their content', async () => {
    await expect(credentialsFromFile(join(dir, 'missing.json')).get()).rejects.toMatchObject({
      code: 'secret_unavailable',
      message: expect.stringContaining('ENOENT'),
    });
    const path = join(dir, 'bad.json');
    await writeFile(
      path,
      JSON.stringify({ ...good(), private_key: good().private_key.replaceAll('PRIVATE KEY', 'X') }),
    );
    const reading = credentialsFromFile(path).get();
    await expect(reading).rejects.toThrowError('private_key');
    await expect(reading).rejects.toMatchObject({ message: expect.not.stringContaining(KEY_MARK) });
    const notJson = join(dir, 'not.json');
    await writeFile(notJson, `{"private_key": "${KEY_MARK}`);
    const readingNotJson = credentialsFromFile(notJson).get();
    await expect(readingNotJson).rejects.toThrowError('not valid JSON');
    await expect(readingNotJson).rejects.toMatchObject({ message: expect.not.stringContaining(KEY_MARK) });
  });
});

describe('credentialsFromConfig', () => {
  it('prefers the secret id, then the file, else fails naming both variables', async () => {
    sm.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify(testCredentials({ key_id: 'from-sm' })) });
    const path = join(dir, 'cfg.json');
    await writeFile(path, JSON.stringify(testCredentials({ key_id: 'from-file' })));
    const both = loadConfig({ VOXIMPLANT_CREDENTIALS_SECRET_ID: 'vox/creds', VOXIMPLANT_CREDENTIALS_FILE: path });
    expect((await credentialsFromConfig(both).get()).key_id).toBe('from-sm');
    const file = loadConfig({ VOXIMPLANT_CREDENTIALS_FILE: path });
    expect((await credentialsFromConfig(file).get()).key_id).toBe('from-file');
    expect(() => credentialsFromConfig(loadConfig({}))).toThrow(ConfigError);
    expect(() => credentialsFromConfig(loadConfig({}))).toThrow(
      /VOXIMPLANT_CREDENTIALS_SECRET_ID.*VOXIMPLANT_CREDENTIALS_FILE/,
    );
  });
});
