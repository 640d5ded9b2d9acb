import type { SQSRecord } from 'aws-lambda';
import type { RunFigures } from './run-figures';
import { type BenchServices, countsBetween } from './services';

/** Wall-clock and CPU time (user + system, the whole process: the libuv pool's signing work included). */
export interface Measured<T> {
  value: T;
  wallMs: number;
  cpuMs: number;
}

export async function measure<T>(work: () => Promise<T>): Promise<Measured<T>> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const value = await work();
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { value, wallMs, cpuMs: (used.user + used.system) / 1000 };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** What both implementations' runs measure the same way. */
export type MeasuredRun = Pick<
  RunFigures,
  'events' | 'wallMs' | 'cpuMs' | 'voximplantCalls' | 'secretsCalls' | 'failures'
>;

/**
 * Every batch through `handle`, one after another as one container takes them, measured, with the Voximplant and
 * Secrets Manager requests the services received meanwhile. `handle` answers how many of the batch's records failed.
 */
export async function measureBatches(
  services: BenchServices,
  batches: readonly SQSRecord[][],
  handle: (batch: readonly SQSRecord[]) => Promise<number>,
): Promise<MeasuredRun> {
  let failures = 0;
  const before = await services.counts();
  const run = await measure(async () => {
    for (const batch of batches) failures += await handle(batch);
  });
  const calls = countsBetween(before, await services.counts());
  return {
    events: batches.reduce((n, b) => n + b.length, 0),
    wallMs: run.wallMs,
    cpuMs: run.cpuMs,
    voximplantCalls: calls.voximplant,
    secretsCalls: calls.secrets,
    failures,
  };
}
