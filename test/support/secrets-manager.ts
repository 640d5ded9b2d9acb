import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll } from 'vitest';
import { type LocalSecretsManager, startSecretsManager } from '../../tooling/local/secrets-manager-server';
import { localSecretsManagerClient } from './aws';

export interface SecretsManagerFixture {
  server: LocalSecretsManager;
  endpoint: string;
  /** The real SDK client against the server; maxAttempts 1 unless asked, so injected faults surface at once. */
  client: SecretsManagerClient;
}

/** A local Secrets Manager server for this test file (started in beforeAll, closed in afterAll); fields are set in beforeAll. */
export function useSecretsManager(opts: { now?: () => number; maxAttempts?: number } = {}): SecretsManagerFixture {
  const fixture = {} as SecretsManagerFixture;
  beforeAll(async () => {
    const server = await startSecretsManager(opts.now === undefined ? {} : { now: opts.now });
    Object.assign(fixture, {
      server,
      endpoint: server.endpoint,
      client: localSecretsManagerClient(
        server.endpoint,
        opts.maxAttempts === undefined ? {} : { maxAttempts: opts.maxAttempts },
      ),
    });
  });
  afterAll(async () => {
    fixture.client?.destroy();
    await fixture.server?.close();
  });
  return fixture;
}
