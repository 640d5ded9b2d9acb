import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SQSRecord } from 'aws-lambda';
import { measureBatches } from './measure';
import { naiveBaseline } from './naive-baseline';
import type { RunFigures } from './run-figures';
import type { BenchServices } from './services';

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
  const run = await measureBatches(input.services, input.batches, async (batch) => {
    try {
      await naive.handle(batch);
      return 0;
    } catch {
      return batch.length;
    }
  });
  secrets.destroy();
  return { implementation: 'naive', latencyMs: input.latencyMs, ...run, dynamoCalls: 0, jwtSigns: naive.signs };
}
