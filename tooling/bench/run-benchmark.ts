import { cpus } from 'node:os';
import { dynamoDocumentClient } from '../../src/state/dynamo';
import { benchEvents, sqsBatches } from './bench-events';
import { bundleBytes, coldInitMs, lambdaBundles } from './cold-start';
import { countDynamoRequests } from './dynamo-counter';
import { type BenchReport, contractLine, formatReport } from './report';
import type { RunFigures } from './run-figures';
import { runNaive } from './run-naive';
import { runWorker } from './run-worker';
import { BenchServices } from './services';

export interface BenchOptions {
  events: number;
  admins: number;
  latencyMs: number;
  /** The worker's WORKER_CONCURRENCY; undefined = the product default. */
  concurrency?: number;
  /** This bundle (dist/bench/index.mjs): it is forked again to run the services. */
  entry: string;
  distDir: string;
  log: (line: string) => void;
}

/** Events through both implementations before measuring, so neither pays for the JIT's first compilations. */
const WARM_UP_EVENTS = 60;

/**
 * `npm run bench`: the worker and the naive baseline side by side against the simulator with no added
 * latency and with `latencyMs`, then the cold start and size of every Lambda bundle. Prints the table, then the
 * JSON line of docs/CONTRACT.md#benchmark last.
 */
export async function runBenchmark(opts: BenchOptions): Promise<void> {
  const services = await BenchServices.start(opts.entry, { admins: opts.admins, latencyMs: opts.latencyMs });
  try {
    const { endpoints } = services;
    // The product's AWS clients read their endpoints from the environment, as in Lambda
    // (docs/CONTRACT.md#configuration).
    Object.assign(process.env, {
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamoEndpoint,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: endpoints.secretsEndpoint,
      POWERTOOLS_METRICS_DISABLED: 'true',
    });
    const dynamo = countDynamoRequests(dynamoDocumentClient());
    const batches = (runId: string, count: number) => sqsBatches(benchEvents(count, endpoints.adminIds, runId));

    opts.log(`warming up (${WARM_UP_EVENTS} events each)...`);
    await runWorker({
      services,
      apiUrl: endpoints.apiUrl,
      latencyMs: 0,
      batches: batches('warm', WARM_UP_EVENTS),
      tableName: 'bench-warm',
      dynamo,
    });
    await runNaive({ services, apiUrl: endpoints.apiUrl, latencyMs: 0, batches: batches('warm', WARM_UP_EVENTS) });

    const runs: RunFigures[] = [];
    for (const latencyMs of [0, opts.latencyMs]) {
      const apiUrl = latencyMs === 0 ? endpoints.apiUrl : endpoints.slowApiUrl;
      opts.log(`worker, ${latencyMs} ms latency...`);
      runs.push(
        await runWorker({
          services,
          apiUrl,
          latencyMs,
          batches: batches(`w${latencyMs}`, opts.events),
          tableName: `bench-${latencyMs}`,
          dynamo,
          ...(opts.concurrency !== undefined && { concurrency: opts.concurrency }),
        }),
      );
      opts.log(`naive baseline, ${latencyMs} ms latency...`);
      runs.push(await runNaive({ services, apiUrl, latencyMs, batches: batches(`n${latencyMs}`, opts.events) }));
    }

    opts.log('cold starts...');
    const coldInit: Record<string, number> = {};
    const sizes: Record<string, number> = {};
    for (const bundle of lambdaBundles(opts.distDir)) {
      coldInit[bundle.name] = await coldInitMs(bundle.file);
      sizes[bundle.name] = bundleBytes(bundle.file);
    }

    const cpu = cpus();
    const report: BenchReport = {
      eventsPerRun: opts.events,
      headlineLatencyMs: opts.latencyMs,
      runs,
      coldInitMs: coldInit,
      bundleBytes: sizes,
      machine: `Node ${process.version}, ${cpu.length} CPU(s) (${cpu[0]?.model.trim() ?? 'unknown'}), ${new Date().toISOString().slice(0, 10)}`,
    };
    process.stdout.write(`\n${formatReport(report)}\n\n${contractLine(report)}\n`);
  } finally {
    await services.stop();
  }
}
