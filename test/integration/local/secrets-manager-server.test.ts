import {
  CreateSecretCommand,
  DescribeSecretCommand,
  GetRandomPasswordCommand,
  type GetRandomPasswordCommandInput,
  GetSecretValueCommand,
  InvalidParameterException,
  InvalidRequestException,
  PutSecretValueCommand,
  ResourceExistsException,
  ResourceNotFoundException,
  SecretsManagerServiceException,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { describe, expect, it } from 'vitest';
import { localSecretsManagerClient } from '../../support/aws';
import { useSecretsManager } from '../../support/secrets-manager';

const T0 = Date.parse('2026-11-27T09:15:00Z');
let counter = 0;
const uniqueName = (label: string) => `${label}-${++counter}`;
const TOKEN_A = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';

describe('local Secrets Manager with the real SDK', () => {
  const clock = { now: T0 };
  const sm = useSecretsManager({ now: () => clock.now });

  describe('GetSecretValue, DescribeSecret', () => {
    it('serves a secret whose value is AWSCURRENT, readable by name, ARN and partial ARN', async () => {
      const name = uniqueName('app/creds');
      const arn = sm.server.putSecret(name, '{"k":"v"}');
      expect(arn).toMatch(new RegExp(`^arn:aws:secretsmanager:us-east-1:\\d{12}:secret:${name}-[A-Za-z]{6}$`));
      const versionId = Object.keys(sm.server.stages(name))[0]!;
      expect(versionId).toMatch(/^[0-9a-f-]{36}$/);
      for (const id of [name, arn, arn.slice(0, -7)]) {
        const got = await sm.client.send(new GetSecretValueCommand({ SecretId: id }));
        expect(got).toMatchObject({
          ARN: arn,
          Name: name,
          VersionId: versionId,
          SecretString: '{"k":"v"}',
          VersionStages: ['AWSCURRENT'],
        });
        expect(got.CreatedDate).toEqual(new Date(T0));
      }
      const described = await sm.client.send(new DescribeSecretCommand({ SecretId: name }));
      expect(described).toMatchObject({
        ARN: arn,
        Name: name,
        RotationEnabled: false,
        VersionIdsToStages: { [versionId]: ['AWSCURRENT'] },
      });
      expect(described.CreatedDate).toEqual(new Date(T0));
      expect(sm.server.current(name)).toBe('{"k":"v"}');
    });

    it('answers ResourceNotFound for an unknown secret', async () => {
      const missing = sm.client.send(new GetSecretValueCommand({ SecretId: 'no-such-secret' }));
      await expect(missing).rejects.toThrowError(ResourceNotFoundException);
      await expect(missing).rejects.toMatchObject({
        message: "Secrets Manager can't find the specified secret.",
        $metadata: { httpStatusCode: 400 },
      });
      await expect(sm.client.send(new DescribeSecretCommand({ SecretId: 'no-such-secret' }))).rejects.toThrowError(
        ResourceNotFoundException,
      );
    });

    it('round-trips a binary secret', async () => {
      const name = uniqueName('bin');
      const bytes = new Uint8Array([0, 1, 2, 250, 255]);
      sm.server.putSecret(name, 'text first');
      await sm.client.send(new PutSecretValueCommand({ SecretId: name, SecretBinary: bytes }));
      const got = await sm.client.send(new GetSecretValueCommand({ SecretId: name }));
      expect(got.SecretString).toBeUndefined();
      expect([...(got.SecretBinary ?? [])]).toEqual([...bytes]);
    });
  });

  describe('PutSecretValue and staging labels', () => {
    it('without VersionStages moves AWSCURRENT to the new version and AWSPREVIOUS to the old one', async () => {
      const name = uniqueName('put');
      sm.server.putSecret(name, 'one');
      const v1 = Object.keys(sm.server.stages(name))[0]!;
      const v2 = (await sm.client.send(new PutSecretValueCommand({ SecretId: name, SecretString: 'two' }))).VersionId!;
      expect(sm.server.stages(name)).toEqual({ [v1]: ['AWSPREVIOUS'], [v2]: ['AWSCURRENT'] });
      const put3 = await sm.client.send(new PutSecretValueCommand({ SecretId: name, SecretString: 'three' }));
      expect(put3.VersionStages).toEqual(['AWSCURRENT']);
      // v1 has no label left: AWS calls it deprecated and DescribeSecret no longer lists it.
      expect(sm.server.stages(name)).toEqual({ [v2]: ['AWSPREVIOUS'], [put3.VersionId!]: ['AWSCURRENT'] });
      const previous = await sm.client.send(new GetSecretValueCommand({ SecretId: name, VersionStage: 'AWSPREVIOUS' }));
      expect(previous.SecretString).toBe('two');
      const byId = await sm.client.send(new GetSecretValueCommand({ SecretId: name, VersionId: v1 }));
      expect(byId).toMatchObject({ SecretString: 'one', VersionStages: [] });
    });

    it('is idempotent on ClientRequestToken: same value does nothing, another value fails', async () => {
      const name = uniqueName('idem');
      sm.server.putSecret(name, 'base');
      const first = await sm.client.send(
        new PutSecretValueCommand({
          SecretId: name,
          ClientRequestToken: TOKEN_A,
          SecretString: 'pending-value',
          VersionStages: ['AWSPENDING'],
        }),
      );
      const before = sm.server.stages(name);
      const again = await sm.client.send(
        new PutSecretValueCommand({ SecretId: name, ClientRequestToken: TOKEN_A, SecretString: 'pending-value' }),
      );
      expect(again.VersionId).toBe(first.VersionId);
      expect(again.VersionStages).toEqual(['AWSPENDING']);
      expect(sm.server.stages(name)).toEqual(before); // default AWSCURRENT was not applied: the request was ignored
      const conflict = sm.client.send(
        new PutSecretValueCommand({ SecretId: name, ClientRequestToken: TOKEN_A, SecretString: 'other-value' }),
      );
      await expect(conflict).rejects.toThrowError(ResourceExistsException);
      await expect(conflict).rejects.toMatchObject({ message: expect.not.stringContaining('other-value') });
      expect(sm.server.current(name)).toBe('base');
    });

    it('requires a value, and refuses both kinds at once', async () => {
      const name = uniqueName('novalue');
      sm.server.putSecret(name, 'x');
      await expect(sm.client.send(new PutSecretValueCommand({ SecretId: name }))).rejects.toThrowError(
        InvalidRequestException,
      );
      await expect(
        sm.client.send(
          new PutSecretValueCommand({ SecretId: name, SecretString: 'a', SecretBinary: new Uint8Array([1]) }),
        ),
      ).rejects.toThrowError(InvalidParameterException);
    });
  });

  describe('rotation: the value-less AWSPENDING version and UpdateSecretVersionStage', () => {
    it('walks the four steps the way AWS answers them', async () => {
      const name = uniqueName('rotate');
      const arn = sm.server.putSecret(name, { password: 'old-password' });
      const currentId = Object.keys(sm.server.stages(name))[0]!;
      const token = sm.server.beginRotation(name);

      // Guard: rotation enabled, token is a version, it has AWSPENDING.
      const described = await sm.client.send(new DescribeSecretCommand({ SecretId: arn }));
      expect(described.RotationEnabled).toBe(true);
      expect(described.VersionIdsToStages).toEqual({ [currentId]: ['AWSCURRENT'], [token]: ['AWSPENDING'] });

      // createSecret: the pending version has no value yet, whichever way it is asked for.
      for (const input of [
        { SecretId: name, VersionId: token, VersionStage: 'AWSPENDING' },
        { SecretId: name, VersionStage: 'AWSPENDING' },
        { SecretId: name, VersionId: token },
      ]) {
        await expect(sm.client.send(new GetSecretValueCommand(input))).rejects.toThrowError(ResourceNotFoundException);
      }
      const password = (await sm.client.send(new GetRandomPasswordCommand({ ExcludeCharacters: '/@"\'\\' })))
        .RandomPassword!;
      const put = await sm.client.send(
        new PutSecretValueCommand({
          SecretId: name,
          ClientRequestToken: token,
          SecretString: JSON.stringify({ password }),
          VersionStages: ['AWSPENDING'],
        }),
      );
      expect(put).toMatchObject({ VersionId: token, VersionStages: ['AWSPENDING'] });
      const pending = await sm.client.send(
        new GetSecretValueCommand({ SecretId: name, VersionId: token, VersionStage: 'AWSPENDING' }),
      );
      expect(JSON.parse(pending.SecretString!)).toEqual({ password });
      expect(sm.server.current(name)).toBe('{"password":"old-password"}');

      // finishSecret: move AWSCURRENT; AWSPREVIOUS follows the old version.
      await sm.client.send(
        new UpdateSecretVersionStageCommand({
          SecretId: name,
          VersionStage: 'AWSCURRENT',
          MoveToVersionId: token,
          RemoveFromVersionId: currentId,
        }),
      );
      expect(sm.server.stages(name)).toEqual({ [currentId]: ['AWSPREVIOUS'], [token]: ['AWSPENDING', 'AWSCURRENT'] });
      expect(JSON.parse(sm.server.current(name)!)).toEqual({ password });

      // AWSPENDING left on the current version does not block the next rotation; it moves to the new token.
      const next = sm.server.beginRotation(name);
      expect(sm.server.stages(name)).toEqual({
        [currentId]: ['AWSPREVIOUS'],
        [token]: ['AWSCURRENT'],
        [next]: ['AWSPENDING'],
      });
      // A rotation that did not finish (AWSPENDING on another version than AWSCURRENT) blocks a new one, as RotateSecret does.
      expect(() => sm.server.beginRotation(name)).toThrow(/previous rotation/);
    });

    it('will not take a label from a version that RemoveFromVersionId does not name', async () => {
      const name = uniqueName('stage');
      sm.server.putSecret(name, 'one');
      const current = Object.keys(sm.server.stages(name))[0]!;
      const token = sm.server.beginRotation(name);
      await sm.client.send(
        new PutSecretValueCommand({
          SecretId: name,
          ClientRequestToken: token,
          SecretString: 'two',
          VersionStages: ['AWSPENDING'],
        }),
      );
      const missingRemove = sm.client.send(
        new UpdateSecretVersionStageCommand({ SecretId: name, VersionStage: 'AWSCURRENT', MoveToVersionId: token }),
      );
      await expect(missingRemove).rejects.toThrowError(InvalidParameterException);
      await expect(missingRemove).rejects.toMatchObject({ message: expect.stringContaining(current) });
      await expect(
        sm.client.send(
          new UpdateSecretVersionStageCommand({
            SecretId: name,
            VersionStage: 'AWSCURRENT',
            MoveToVersionId: current,
            RemoveFromVersionId: token,
          }),
        ),
      ).rejects.toThrowError(InvalidParameterException);
      await expect(
        sm.client.send(
          new UpdateSecretVersionStageCommand({
            SecretId: name,
            VersionStage: 'AWSCURRENT',
            MoveToVersionId: 'ffffffff-ffff-4fff-8fff-ffffffffffff',
            RemoveFromVersionId: current,
          }),
        ),
      ).rejects.toThrowError(InvalidParameterException);
      await expect(
        sm.client.send(
          new UpdateSecretVersionStageCommand({
            SecretId: name,
            VersionStage: 'AWSCURRENT',
            RemoveFromVersionId: current,
          }),
        ),
      ).rejects.toThrowError(InvalidParameterException);
      expect(sm.server.stages(name)).toEqual({ [current]: ['AWSCURRENT'], [token]: ['AWSPENDING'] });

      // Removing AWSPENDING alone is allowed (what the service does after a rotation).
      const removed = await sm.client.send(
        new UpdateSecretVersionStageCommand({ SecretId: name, VersionStage: 'AWSPENDING', RemoveFromVersionId: token }),
      );
      expect(removed.Name).toBe(name);
      expect(sm.server.stages(name)).toEqual({ [current]: ['AWSCURRENT'] });
      // A custom label can be put on a version that has none.
      await sm.client.send(
        new UpdateSecretVersionStageCommand({ SecretId: name, VersionStage: 'MINE', MoveToVersionId: token }),
      );
      expect(sm.server.stages(name)).toEqual({ [current]: ['AWSCURRENT'], [token]: ['MINE'] });
    });

    it('refuses a VersionStage that the given VersionId does not carry', async () => {
      const name = uniqueName('mismatch');
      sm.server.putSecret(name, 'one');
      const current = Object.keys(sm.server.stages(name))[0]!;
      await expect(
        sm.client.send(new GetSecretValueCommand({ SecretId: name, VersionId: current, VersionStage: 'AWSPENDING' })),
      ).rejects.toThrowError(InvalidRequestException);
    });

    it('reports rotation as turned off when the operator turns it off', async () => {
      const name = uniqueName('off');
      sm.server.putSecret(name, 'x');
      sm.server.beginRotation(name);
      sm.server.setRotationEnabled(name, false);
      expect((await sm.client.send(new DescribeSecretCommand({ SecretId: name }))).RotationEnabled).toBe(false);
    });
  });

  describe('GetRandomPassword', () => {
    const generate = async (input: GetRandomPasswordCommandInput) =>
      (await sm.client.send(new GetRandomPasswordCommand(input))).RandomPassword!;
    const PUNCTUATION = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';
    const has = (password: string, chars: string) => [...password].some((c) => chars.includes(c));

    it('defaults to 32 characters with at least one of each type', async () => {
      for (let i = 0; i < 20; i++) {
        const p = await generate({});
        expect(p).toHaveLength(32);
        expect(p).toMatch(/[a-z]/);
        expect(p).toMatch(/[A-Z]/);
        expect(p).toMatch(/[0-9]/);
        expect(has(p, PUNCTUATION)).toBe(true);
        expect(p).not.toContain(' ');
      }
    });

    it('requires each included type even at the shortest possible length', async () => {
      for (let i = 0; i < 20; i++) {
        const p = await generate({ PasswordLength: 4 });
        expect(p).toMatch(/^(?=.*[a-z])(?=.*[A-Z])(?=.*[0-9])(?=.*[^a-zA-Z0-9]).{4}$/);
      }
      await expect(generate({ PasswordLength: 3 })).rejects.toThrowError(InvalidParameterException);
      expect(await generate({ PasswordLength: 1, RequireEachIncludedType: false })).toHaveLength(1);
    });

    it('honours the exclusions and IncludeSpace', async () => {
      const alnum = await generate({ PasswordLength: 200, ExcludePunctuation: true });
      expect(alnum).toMatch(/^[a-zA-Z0-9]{200}$/);
      const digits = await generate({
        PasswordLength: 50,
        ExcludeLowercase: true,
        ExcludeUppercase: true,
        ExcludePunctuation: true,
      });
      expect(digits).toMatch(/^[0-9]{50}$/);
      const excluded = await generate({ PasswordLength: 4096, ExcludeCharacters: '/@"\'\\abcXYZ0' });
      expect(has(excluded, '/@"\'\\abcXYZ0')).toBe(false);
      expect(await generate({ PasswordLength: 4096, IncludeSpace: true })).toContain(' ');
      await expect(
        generate({ ExcludeLowercase: true, ExcludeUppercase: true, ExcludeNumbers: true, ExcludePunctuation: true }),
      ).rejects.toThrowError(InvalidParameterException);
      await expect(generate({ PasswordLength: 4097 })).rejects.toMatchObject({ name: 'ValidationException' });
    });
  });

  describe('test controls', () => {
    it('counts requests per operation and injects faults the SDK sees as AWS errors', async () => {
      const name = uniqueName('faults');
      sm.server.putSecret(name, 'x');
      const before = sm.server.requestCount('GetSecretValue');
      const total = sm.server.requestCount();
      sm.server.failNext('GetSecretValue');
      await expect(sm.client.send(new GetSecretValueCommand({ SecretId: name }))).rejects.toMatchObject({
        name: 'InternalServiceError',
        $metadata: { httpStatusCode: 500 },
      });
      expect((await sm.client.send(new GetSecretValueCommand({ SecretId: name }))).SecretString).toBe('x');
      expect(sm.server.requestCount('GetSecretValue')).toBe(before + 2);
      expect(sm.server.requestCount()).toBe(total + 2);

      sm.server.failNext('DescribeSecret', 1, 'ThrottlingException');
      const retrying = localSecretsManagerClient(sm.endpoint, { maxAttempts: 3 });
      try {
        // The SDK retries throttling; the second attempt gets through.
        const described = await retrying.send(new DescribeSecretCommand({ SecretId: name }));
        expect(described.Name).toBe(name);
      } finally {
        retrying.destroy();
      }
    });

    it('putSecret adds an AWSCURRENT version to an existing secret; unknown names are refused', () => {
      const name = uniqueName('ctl');
      const arn = sm.server.putSecret(name, { a: 1 });
      expect(sm.server.putSecret(name, { a: 2 })).toBe(arn);
      expect(sm.server.current(name)).toBe('{"a":2}');
      expect(Object.values(sm.server.stages(name))).toEqual([['AWSPREVIOUS'], ['AWSCURRENT']]);
      expect(sm.server.current('nothing')).toBeUndefined();
      expect(() => sm.server.beginRotation('nothing')).toThrow(/no secret named nothing/);
    });

    it('answers an operation it does not serve as AWS answers an unknown action', async () => {
      const invalidAction = {
        __type: 'InvalidAction',
        message: 'The action or operation requested is invalid. Verify that the action is typed correctly.',
      };
      for (const target of ['secretsmanager.Nope', 'secretsmanager.constructor', 'secretsmanager.toString']) {
        const res = await fetch(sm.endpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target },
          body: '{}',
        });
        expect(res.status).toBe(400);
        expect(await res.json()).toEqual(invalidAction);
      }
      // An operation the product never calls reaches the SDK as an AWS error, and creates nothing.
      const name = uniqueName('unserved');
      const refused = sm.client.send(new CreateSecretCommand({ Name: name, SecretString: 'x' }));
      await expect(refused).rejects.toThrowError(SecretsManagerServiceException);
      await expect(refused).rejects.toMatchObject({ name: 'InvalidAction', $metadata: { httpStatusCode: 400 } });
      expect(sm.server.current(name)).toBeUndefined();
    });
  });
});
