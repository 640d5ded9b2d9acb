import type { SQSRecord } from 'aws-lambda';
import { createApplyDeps } from '../../src/apply/create-apply-deps';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/observability/logger';
import { deadlineIn } from '../../src/runtime/deadline';
import { processBatch, type WorkerDeps } from '../../src/worker/process-batch';
import { ensureStateTable } from '../local/state-table';
import { measureBatches } from './measure';
import type { RunFigures } from './run-figures';
import type { BenchServices } from './services';

/**
 * The product: one fresh worker container (createApplyDeps, as functions/worker.ts builds it) runs every batch
 * through processBatch against a fresh state table, as Lambda would after a cold start.
 */
export async function runWorker(input: {
  services: BenchServices;
  apiUrl: string;
  latencyMs: number;
  batches: readonly SQSRecord[][];
  tableName: string;
  dynamo: { readonly count: number };
  /** Changes applied at once; default WORKER_CONCURRENCY's default. */
  concurrency?: number;
}): Promise<RunFigures> {
  const { endpoints } = input.services;
  await ensureStateTable(endpoints.dynamoEndpoint, input.tableName);
  const config = loadConfig({
    VOXIMPLANT_API_URL: input.apiUrl,
    VOXIMPLANT_CREDENTIALS_SECRET_ID: endpoints.credentialsSecretId,
    STATE_TABLE: input.tableName,
    PROTECTED_ADMIN_USERS: 'owner',
    // Bursts far past the blast-radius guard's thresholds are this run's point; the guard has its own tests.
    GUARD_ENABLED: 'false',
  });
  let deadLetters = 0;
  const deps: WorkerDeps = {
    apply: createApplyDeps(config, createLogger('bench-worker', 'silent')),
    deadLetter: async () => {
      deadLetters += 1;
    },
    concurrency: input.concurrency ?? config.WORKER_CONCURRENCY,
  };
  const dynamoBefore = input.dynamo.count;
  const run = await measureBatches(input.services, input.batches, async (batch) => {
    const response = await processBatch(batch, deps, deadlineIn(60_000));
    return response.batchItemFailures.length;
  });
  return {
    implementation: 'worker',
    latencyMs: input.latencyMs,
    ...run,
    dynamoCalls: input.dynamo.count - dynamoBefore,
    jwtSigns: deps.apply.voximplant.stats.jwtSigns,
    failures: run.failures + deadLetters,
  };
}
