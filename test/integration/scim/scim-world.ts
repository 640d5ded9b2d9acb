import { afterAll, beforeAll } from 'vitest';
import type { ApplyDeps } from '../../../src/apply/apply-change';
import { changeStoreOn } from '../../../src/apply/create-apply-deps';
import { ProtectedGuard } from '../../../src/apply/protected-guard';
import { loadConfig } from '../../../src/config';
import { protectedAdmins } from '../../../src/events/protected-admins';
import { createLogger } from '../../../src/observability/logger';
import { ReactivationPolicy } from '../../../src/ordering/reactivation-policy';
import { sleep } from '../../../src/runtime/sleep';
import { loadScimConfig } from '../../../src/scim/scim-config';
import type { ScimDeps } from '../../../src/scim/scim-deps';
import { scimLambdaHandler } from '../../../src/scim/scim-lambda-handler';
import { DynamoNameCache } from '../../../src/state/name-cache';
import { DynamoOrderingStore } from '../../../src/state/ordering-store';
import { DynamoScimRecordStore } from '../../../src/state/scim-records';
import { type DevHttpServer, startDevHttpServer } from '../../../tooling/local/dev-http-server';
import { silentDevLog } from '../../../tooling/local/dev-log';
import { localLambdaContext } from '../../../tooling/local/lambda-context';
import { ensureStateTable } from '../../../tooling/local/state-table';
import { createSimulator, type Simulator } from '../../../tooling/sim/simulator';
import { useStateTable } from '../../support/dynamo';
import { simulatorClient } from '../../support/simulator-client';

export const TOKEN = 'scim-test-token-0123456789';
export const OTHER_TOKEN = 'scim-test-token-rotated-abcdef';

export interface ScimWorldOptions {
  env?: Record<string, string>;
  protectedList?: string[];
  dryRun?: boolean;
}

/**
 * The SCIM function over real parts: the Voximplant simulator (empty seed: only the protected owner), DynamoDB Local, and
 * the Lambda handler itself behind the dev runtime's API Gateway v2 server on 127.0.0.1:0. Every line the function
 * logs is kept in `logs` for the secret scan.
 */
export function useScimWorld(opts: ScimWorldOptions = {}) {
  const table = useStateTable();
  const world = {
    sim: undefined as unknown as Simulator,
    /** The simulator's Management API base. */
    apiUrl: '',
    base: '',
    logs: [] as string[],
    tableName: '',
    http: undefined as DevHttpServer | undefined,
    deps: undefined as unknown as ScimDeps,
    /** When set, requests run with a Lambda context that has this much time left (short deadlines for retry tests). */
    remainingMs: undefined as number | undefined,
  };

  const logger = createLogger('scim-test', 'debug');
  // Powertools writes through console; capture instead of printing.
  const capture = (line: unknown) => {
    world.logs.push(String(line));
  };
  (logger as unknown as { console: Console }).console = {
    ...console,
    log: capture,
    info: capture,
    warn: capture,
    error: capture,
    debug: capture,
    trace: capture,
  } as Console;

  async function build(tableName: string): Promise<ScimDeps> {
    const { doc } = table;
    const sim = world.sim;
    const list = opts.protectedList ?? ['owner'];
    const apply: ApplyDeps = {
      changes: changeStoreOn(doc, tableName),
      ordering: new DynamoOrderingStore(doc, tableName),
      names: new DynamoNameCache(doc, tableName),
      voximplant: simulatorClient(sim, world.apiUrl, logger),
      protectedGuard: new ProtectedGuard(protectedAdmins(list)),
      reactivation: new ReactivationPolicy(loadConfig(opts.env ?? {}).REACTIVATION_SOURCES),
      logger,
      dryRun: opts.dryRun ?? false,
      now: Date.now,
      sleep,
    };
    return {
      tokens: { get: async () => ({ tokens: [OTHER_TOKEN, TOKEN] }) },
      records: new DynamoScimRecordStore(doc, tableName),
      apply,
      protectedAdmins: protectedAdmins(list),
      config: loadScimConfig(opts.env ?? {}),
    };
  }

  beforeAll(async () => {
    world.sim = await createSimulator({ seed: 'empty' });
    const { apiUrl } = await world.sim.listen(0);
    world.apiUrl = apiUrl;
    world.tableName = table.tableName;
    world.deps = await build(table.tableName);
    const handler = scimLambdaHandler({ logger, init: () => world.deps });
    world.http = await startDevHttpServer({
      port: 0,
      routes: [
        {
          routeKey: 'ANY /scim/v2/{proxy+}',
          functionName: 'scim',
          // The dev server's own 30 s context is replaced: none by default, or one with `remainingMs` left.
          handler: (event) =>
            handler(event, world.remainingMs === undefined ? undefined : localLambdaContext('scim', world.remainingMs)),
        },
      ],
      log: silentDevLog,
    });
    world.base = `${world.http.url}/scim/v2`;
  });

  afterAll(async () => {
    await world.http?.close();
    await world.sim?.close();
  });

  /** A clean slate: the simulator back to its seed and a fresh state table, the same handler. */
  async function fresh(): Promise<void> {
    world.sim.reset();
    const tableName = `state-${Math.random().toString(16).slice(2)}`;
    await ensureStateTable(table.endpoint, tableName);
    Object.assign(world.deps, await build(tableName));
    world.tableName = tableName;
  }

  async function scim(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; headers: Headers; text: string; json: () => Record<string, unknown> }> {
    const response = await fetch(`${world.base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${TOKEN}`,
        ...(body !== undefined && { 'content-type': 'application/scim+json' }),
        ...headers,
      },
      ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) };
  }

  return { world, table, scim, fresh };
}
