import { consoleDevLog } from '../../../tooling/local/dev-log';
import { parsePort, parseSeed } from '../args';
import { CliError, usageError } from '../cli-error';
import { defineCommand } from '../command';
import { waitForStop } from '../io';

const help = `Usage: vox-admin-bridge dev [--port <n>] [--sim-port <n>] [--seed demo|empty]

Runs the whole bridge on this machine (what \`npm start\` runs): the same handlers as in
Lambda (events, okta, scim, worker) behind a local HTTP API on 127.0.0.1, a local SQS FIFO
queue feeding the worker, local DynamoDB and Secrets Manager, and the Voximplant simulator
seeded with demo admins.
Nothing leaves this machine. Ctrl-C stops everything.

Options:
  --port <n>      the bridge's port (default: $PORT or 8787)
  --sim-port <n>  the simulator's port (default: $SIM_PORT or 8788)
  --seed <s>      demo (default: $SIM_SEED or demo): the owner and four demo admins;
                  empty: only the owner
  -h, --help      show this help

Environment:
  DEV_WEBHOOK_SECRET, DEV_OKTA_AUTH, DEV_SCIM_TOKEN  fix the dev secrets (random otherwise)
  PROTECTED_ADMIN_USERS  more protected admins (owner always is); LOG_LEVEL, DRY_RUN,
  WORKER_CONCURRENCY, OKTA_NAME_FROM, WEBHOOK_TOLERANCE_SECONDS, SCIM_DEFAULT_ROLE_NAME,
  SCIM_DELETE_MODE as in Lambda
See docs/LOCAL.md.`;

export const devCommand = defineCommand({
  name: 'dev',
  summary: 'run the whole bridge on this machine with the simulator (npm start)',
  help,
  options: {
    port: { type: 'string' },
    'sim-port': { type: 'string' },
    seed: { type: 'string' },
  },
  positionals: [],
  async run({ values }, io) {
    const port = parsePort(values.port === undefined ? 'PORT' : '--port', values.port ?? io.env.PORT ?? '8787');
    const simPort = parsePort(
      values['sim-port'] === undefined ? 'SIM_PORT' : '--sim-port',
      values['sim-port'] ?? io.env.SIM_PORT ?? '8788',
    );
    if (port !== 0 && port === simPort) throw usageError('the bridge and the simulator need different ports');
    const simSeed = parseSeed(values.seed, io.env.SIM_SEED);

    // Loaded here, not at the top: the runtime imports the function handlers, which `send` or `plan` never need.
    const { startDevRuntime } = await import('../../../tooling/local/dev-runtime');
    const { devBanner } = await import('../../../tooling/local/banner');
    const log = consoleDevLog(io.err);
    let runtime: Awaited<ReturnType<typeof startDevRuntime>>;
    try {
      runtime = await startDevRuntime({ port, simPort, simSeed, env: io.env, log });
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      throw new CliError(typeof code === 'string' ? code : 'start_failed', (error as Error).message, 1, {
        cause: error,
      });
    }
    io.out(devBanner(runtime, { simSeed }));
    await waitForStop(io.signal);
    log.info('stopping');
    await runtime.close();
    log.info('stopped');
    return 0;
  },
});
