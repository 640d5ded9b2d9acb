import type { SQSRecord } from 'aws-lambda';
import { createApplyDeps } from '../apply/create-apply-deps';
import { loadConfig } from '../config';
import { ensureStateTable } from '../local/dynalite';
import { createLogger } from '../observability/logger';
import { deadlineIn } from '../runtime/deadline';
import { processBatch, type WorkerDeps } from '../worker/process-batch';
import { measure } from './measure';
import type { RunFigures } from './run-figures';
import { type BenchServices, countsBetween } from './services';

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
  });
  let failures = 0;
  const deps: WorkerDeps = {
    apply: createApplyDeps(config, createLogger('bench-worker', 'silent')),
    deadLetter: async () => {
      failures += 1;
    },
    concurrency: input.concurrency ?? config.WORKER_CONCURRENCY,
  };
  const before = await input.services.counts();
  const dynamoBefore = input.dynamo.count;
  const run = await measure(async () => {
    for (const batch of input.batches) {
      const response = await processBatch(batch, deps, deadlineIn(60_000));
      failures += response.batchItemFailures.length;
    }
  });
  const calls = countsBetween(before, await input.services.counts());
  return {
    implementation: 'worker',
    latencyMs: input.latencyMs,
    events: input.batches.reduce((n, b) => n + b.length, 0),
    wallMs: run.wallMs,
    cpuMs: run.cpuMs,
    voximplantCalls: calls.voximplant,
    secretsCalls: calls.secrets,
    dynamoCalls: input.dynamo.count - dynamoBefore,
    jwtSigns: deps.apply.voximplant.stats.jwtSigns,
    failures,
  };
}
