import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { Context } from 'aws-lambda';
import { createApplyDeps } from '../../src/apply/create-apply-deps';
import { loadConfig } from '../../src/config';
import { storeHeldOperations } from '../../src/guard/held-operations';
import { DynamoHeldStore } from '../../src/guard/held-store';
import { createLogger } from '../../src/observability/logger';
import type { ReconcileResult } from '../../src/reconcile/reconcile-result';
import { dynamoDocumentClient } from '../../src/state/dynamo';
import { type RunningSimulator, runSimulatorServer } from '../sim/simulator';
import { type DeadLetterView, type DeadLetterWatcher, watchDeadLetters } from './dead-letter-watcher';
import { type DevHttpServer, type DevRoute, startDevHttpServer } from './dev-http-server';
import type { DevLog } from './dev-log';
import { type DevSecrets, devSecrets } from './dev-secrets';
import { type LocalDynamo, startLocalDynamo } from './dynamodb-local';
import { type EventSourceMapping, startEventSourceMapping } from './event-source-mapping';
import { localLambdaContext } from './lambda-context';
import { type LocalQueues, startLocalQueues } from './local-queues';
import { operatorRoutes } from './operator-routes';
import { type LocalSecretsManager, startSecretsManager } from './secrets-manager-server';
import { ensureStateTable, localAwsClientConfig } from './state-table';

export interface DevRuntimeOptions {
  /** 127.0.0.1 port of the bridge's routes; 0 picks a free one. */
  port: number;
  simPort: number;
  simSeed: 'demo' | 'empty';
  /** Where DEV_* secrets and user overrides (PROTECTED_ADMIN_USERS, LOG_LEVEL, ...) are read. */
  env: Record<string, string | undefined>;
  log: DevLog;
  /** Seconds before a batch item failure is redelivered (SQS visibility timeout after a failure). */
  retryDelaySec?: number;
  /** Seconds between reconcile runs (the deployed schedule's 15 minutes, shortened); default RECONCILE_INTERVAL_SECONDS or 10. */
  reconcileIntervalSec?: number;
}

export interface DevRuntime {
  url: string;
  simUrl: string;
  simApiUrl: string;
  credentialsFile: string;
  secrets: DevSecrets;
  /** The routes served, as API Gateway route keys. */
  routes: string[];
  /**
   * What the functions were given (docs/CONTRACT.md#configuration), secrets excluded: they live in the local Secrets
   * Manager.
   */
  functionEnv: Record<string, string>;
  /** Seconds between the local reconcile runs. */
  reconcileIntervalSec: number;
  deadLetters(): DeadLetterView[];
  /** Stops everything, in the reverse order of start. Safe to call twice. */
  close(): Promise<void>;
}

/** Raised when a part cannot start; the message says what to change (a port in use names the variable). */
export class DevStartError extends Error {
  constructor(
    readonly code: 'port_in_use' | 'start_failed',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DevStartError';
  }
}

export const STATE_TABLE = 'vox-admin-bridge-state';
export const SECRET_IDS = {
  webhook: 'vox-admin-bridge/webhook',
  okta: 'vox-admin-bridge/okta-hook',
  scim: 'vox-admin-bridge/scim-token',
} as const;

/** The worker's Lambda timeout locally (the deployed one is set in the template); its retries fit inside it. */
const WORKER_TIMEOUT_MS = 30_000;
/** The reconcile function's timeout locally: a run over the demo admins takes well under a second. */
const RECONCILE_TIMEOUT_MS = 60_000;

/** RECONCILE_INTERVAL_SECONDS: a whole number of seconds, 1 to 3600. */
export function reconcileIntervalSeconds(value: string | undefined): number {
  if (value === undefined || value.trim() === '') return 10;
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < 1 || n > 3600) {
    throw new DevStartError(
      'start_failed',
      `RECONCILE_INTERVAL_SECONDS must be a whole number from 1 to 3600, got "${value}"`,
    );
  }
  return n;
}

/**
 * The functions build their clients from process.env once per module, as a Lambda container does; a second
 * runtime in the same process would find them wired to the first one's (closed) endpoints.
 */
let handlersLoaded = false;

function portInUse(error: unknown, what: string, variable: string, port: number): never {
  if ((error as { code?: unknown }).code === 'EADDRINUSE') {
    throw new DevStartError(
      'port_in_use',
      `${what} port ${port} on 127.0.0.1 is in use; set ${variable} to another port`,
    );
  }
  throw error;
}

/**
 * The whole bridge on one machine (docs/CONTRACT.md#commands, docs/LOCAL.md): DynamoDB (DynamoDB Local, a child process), Secrets
 * Manager (local server), SQS FIFO (fauxqs, in-process), the Voximplant simulator, and the SAME function handlers as in
 * Lambda: the HTTP ones behind an API Gateway v2 adapter, the worker behind an SQS event source mapping.
 *
 * The functions read their configuration from process.env on first use, exactly as in Lambda, so the environment
 * is set BEFORE their modules are loaded (dynamic imports: esbuild keeps them lazily initialised in the bundle).
 * One runtime per process: the environment is process-wide.
 */
export async function startDevRuntime(opts: DevRuntimeOptions): Promise<DevRuntime> {
  const { log } = opts;
  if (handlersLoaded) {
    throw new DevStartError('start_failed', 'one local bridge per process: the functions are already wired to another');
  }
  const secrets = devSecrets(opts.env);
  const reconcileIntervalSec =
    opts.reconcileIntervalSec ?? reconcileIntervalSeconds(opts.env.RECONCILE_INTERVAL_SECONDS);
  const cleanups: (() => Promise<void>)[] = [];
  const closeAll = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      try {
        await cleanup();
      } catch (error) {
        log.warn(`stopping a part failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  };

  try {
    const dynamo: LocalDynamo = await startLocalDynamo();
    cleanups.push(() => dynamo.close());
    await ensureStateTable(dynamo.endpoint, STATE_TABLE);

    const secretsManager: LocalSecretsManager = await startSecretsManager();
    cleanups.push(() => secretsManager.close());
    secretsManager.putSecret(SECRET_IDS.webhook, { secrets: [secrets.webhookSecret] });
    secretsManager.putSecret(SECRET_IDS.okta, { authorization: secrets.oktaAuthorization });
    secretsManager.putSecret(SECRET_IDS.scim, { tokens: [secrets.scimToken] });

    const dir = await mkdtemp(join(tmpdir(), 'vox-admin-bridge-dev-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const credentialsFile = join(dir, 'credentials.json');
    const sim: RunningSimulator = await runSimulatorServer({
      seed: opts.simSeed,
      port: opts.simPort,
      host: '127.0.0.1',
      credentialsFile,
    }).catch((error: unknown) => portInUse(error, 'the simulator', 'SIM_PORT', opts.simPort));
    cleanups.push(() => sim.close());

    const queues: LocalQueues = await startLocalQueues();
    cleanups.push(() => queues.close());

    const protectedList = new Set(['owner', ...(opts.env.PROTECTED_ADMIN_USERS ?? '').split(',')]);
    const functionEnv: Record<string, string> = {
      STATE_TABLE,
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: secretsManager.endpoint,
      AWS_ENDPOINT_URL_SQS: queues.endpoint,
      VOXIMPLANT_API_URL: sim.apiUrl,
      VOXIMPLANT_CREDENTIALS_FILE: credentialsFile,
      WEBHOOK_SECRET_ID: SECRET_IDS.webhook,
      OKTA_HOOK_SECRET_ID: SECRET_IDS.okta,
      SCIM_TOKEN_SECRET_ID: SECRET_IDS.scim,
      QUEUE_URL: queues.queueUrl,
      DEAD_LETTER_QUEUE_URL: queues.deadLetterQueueUrl,
      PROTECTED_ADMIN_USERS: [...protectedList]
        .map((s) => s.trim())
        .filter(Boolean)
        .join(','),
      // Local endpoints check no signature, but the SDK insists on credentials and a region.
      AWS_REGION: localAwsClientConfig.region,
      AWS_ACCESS_KEY_ID: localAwsClientConfig.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: localAwsClientConfig.credentials.secretAccessKey,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      // EMF metric blobs are for CloudWatch; on a terminal they only bury the log lines (opt back in with the
      // variable).
      POWERTOOLS_METRICS_DISABLED: opts.env.POWERTOOLS_METRICS_DISABLED ?? 'true',
    };
    const saved = applyEnv(functionEnv, [
      // Each would win over what the dev runtime sets, and point a function at a real AWS resource.
      'VOXIMPLANT_CREDENTIALS_SECRET_ID',
      'AWS_SESSION_TOKEN',
      'AWS_PROFILE',
    ]);
    cleanups.push(async () => restoreEnv(saved));
    // The functions read their configuration on their first request; a bad value (WEBHOOK_TOLERANCE_SECONDS above
    // its limit) would then answer 500 on every route. Checked now, so `npm start` refuses to start and says why.
    try {
      loadConfig(process.env);
    } catch (error) {
      throw new DevStartError('start_failed', (error as Error).message, { cause: error });
    }

    handlersLoaded = true;
    const [events, okta, scim, worker, reconcile] = await Promise.all([
      import('../../functions/events'),
      import('../../functions/okta'),
      import('../../functions/scim'),
      import('../../functions/worker'),
      import('../../functions/reconcile'),
    ]);

    const sqs = new SQSClient({ ...localAwsClientConfig, endpoint: queues.endpoint });
    cleanups.push(async () => sqs.destroy());
    const mapping: EventSourceMapping = startEventSourceMapping({
      sqs,
      queueUrl: queues.queueUrl,
      queueArn: queues.queueArn,
      handler: worker.handler,
      log,
      functionName: 'worker',
      timeoutMs: WORKER_TIMEOUT_MS,
      retryDelaySec: opts.retryDelaySec ?? 3,
    });
    cleanups.push(() => mapping.stop());
    const deadLetters: DeadLetterWatcher = watchDeadLetters({ sqs, queueUrl: queues.deadLetterQueueUrl, log });
    cleanups.push(() => deadLetters.stop());
    // What an operator's CLI does with its own credentials in AWS: the same apply core and state table as the
    // functions (built from the same environment), so a release is applied exactly as the worker would.
    const operatorLogger = createLogger('operator');
    const operatorApply = () => createApplyDeps(loadConfig(process.env), operatorLogger);
    const heldStore = new DynamoHeldStore(dynamoDocumentClient(), STATE_TABLE);

    const routes: DevRoute[] = [
      { routeKey: 'ANY /events', functionName: 'events', handler: events.handler },
      { routeKey: 'GET /hooks/okta', functionName: 'okta', handler: okta.handler },
      { routeKey: 'POST /hooks/okta', functionName: 'okta', handler: okta.handler },
      { routeKey: 'ANY /scim/v2/{proxy+}', functionName: 'scim', handler: scim.handler },
    ];
    const schedule = startReconcileSchedule(reconcile.handler, reconcileIntervalSec, log);
    cleanups.push(() => schedule.stop());
    // What the operator commands' --local reads (src/cli/bridge-target.ts): where this bridge keeps its state.
    const runtimeInfo = {
      state_table: STATE_TABLE,
      dynamodb_endpoint: dynamo.endpoint,
      voximplant_api_url: sim.apiUrl,
      credentials_file: credentialsFile,
      protected_admin_users: functionEnv.PROTECTED_ADMIN_USERS,
      reactivation_sources: process.env.REACTIVATION_SOURCES ?? '',
      region: localAwsClientConfig.region,
      reconcile_interval_seconds: reconcileIntervalSec,
    };
    const http: DevHttpServer = await startDevHttpServer({
      port: opts.port,
      routes,
      devRoutes: [
        { path: '/__dev/dead-letters', answer: () => deadLetters.list() },
        { path: '/__dev/runtime', answer: () => runtimeInfo },
        ...operatorRoutes({
          held: storeHeldOperations({ apply: operatorApply, held: heldStore, logger: operatorLogger }),
          deadLetters,
          sqs,
          queueUrl: queues.queueUrl,
          log,
        }),
      ],
      log,
    }).catch((error: unknown) => portInUse(error, 'the bridge', 'PORT', opts.port));
    cleanups.push(() => http.close());

    let closing: Promise<void> | undefined;
    return {
      url: http.url,
      simUrl: sim.url,
      simApiUrl: sim.apiUrl,
      credentialsFile,
      secrets,
      routes: routes.map((r) => r.routeKey),
      functionEnv,
      reconcileIntervalSec,
      deadLetters: () => deadLetters.list(),
      close: () => {
        closing ??= closeAll();
        return closing;
      },
    };
  } catch (error) {
    await closeAll();
    if (error instanceof DevStartError) throw error;
    throw new DevStartError(
      'start_failed',
      `the local bridge could not start: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
}

/**
 * The reconcile schedule of the template (EventBridge, every 15 minutes), every few seconds: the same handler, one
 * run at a time (a run that is still going when the next is due is not doubled), each logged when it found drift.
 */
function startReconcileSchedule(
  handler: (event: unknown, context: Context) => Promise<ReconcileResult>,
  intervalSec: number,
  log: DevLog,
): { stop(): Promise<void> } {
  let running: Promise<void> | undefined;
  const tick = () => {
    if (running !== undefined) return;
    running = handler({ source: 'local.schedule' }, localLambdaContext('reconcile', RECONCILE_TIMEOUT_MS))
      .then((result) => {
        if (result.drift_found > 0 || !result.complete) {
          log.info(
            `reconcile: ${result.drift_found} drift found, ${result.drift_repaired} repaired${result.complete ? '' : ' (incomplete)'}`,
          );
        }
      })
      .catch((error: unknown) =>
        log.warn(`reconcile failed: ${error instanceof Error ? error.message : String(error)}`),
      )
      .finally(() => {
        running = undefined;
      });
  };
  const timer = setInterval(tick, intervalSec * 1000);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}

type SavedEnv = Map<string, string | undefined>;

function applyEnv(values: Record<string, string>, unset: readonly string[]): SavedEnv {
  const saved: SavedEnv = new Map();
  for (const name of [...Object.keys(values), ...unset]) saved.set(name, process.env[name]);
  for (const name of unset) delete process.env[name];
  Object.assign(process.env, values);
  return saved;
}

function restoreEnv(saved: SavedEnv): void {
  for (const [name, value] of saved) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
}
