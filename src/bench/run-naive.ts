import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SQSRecord } from 'aws-lambda';
import { measure } from './measure';
import { naiveBaseline } from './naive-baseline';
import type { RunFigures } from './run-figures';
import { type BenchServices, countsBetween } from './services';

/** The naive baseline in one fresh container (its Secrets Manager client built once, as a module-level client is). */
export async function runNaive(input: {
  services: BenchServices;
  apiUrl: string;
  latencyMs: number;
  batches: readonly SQSRecord[][];
}): Promise<RunFigures> {
  const secrets = new SecretsManagerClient({ maxAttempts: 3 });
  const naive = naiveBaseline({
    apiUrl: input.apiUrl,
    secretId: input.services.endpoints.credentialsSecretId,
    secrets,
  });
  let failures = 0;
  const before = await input.services.counts();
  const run = await measure(async () => {
    for (const batch of input.batches) {
      try {
        await naive.handle(batch);
      } catch {
        failures += batch.length;
      }
    }
  });
  const calls = countsBetween(before, await input.services.counts());
  secrets.destroy();
  return {
    implementation: 'naive',
    latencyMs: input.latencyMs,
    events: input.batches.reduce((n, b) => n + b.length, 0),
    wallMs: run.wallMs,
    cpuMs: run.cpuMs,
    voximplantCalls: calls.voximplant,
    secretsCalls: calls.secrets,
    dynamoCalls: 0,
    jwtSigns: naive.signs,
    failures,
  };
}
