import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runSimulatorServer } from '../../../tooling/sim/simulator';
import { parsePort, parseSeed } from '../args';
import { CliError } from '../cli-error';
import { defineCommand } from '../command';
import { waitForStop } from '../io';

const help = `Usage: vox-admin-bridge sim [--port <n>] [--seed demo|empty] [--credentials-out <file>]

Runs the Voximplant Management API simulator alone on 127.0.0.1 (for your own tests and CI)
and prints its URL and where its credentials.json is. Ctrl-C stops it.

Options:
  --port <n>               the port (default: $SIM_PORT or 8788; 0 picks a free one)
  --seed <s>               demo (default: $SIM_SEED or demo): the protected owner and four demo
                           admins; empty: only the owner
  --credentials-out <file> write the credentials.json here (default: a new temporary directory,
                           removed when the simulator stops)
  -h, --help               show this help

Point the bridge at it with VOXIMPLANT_API_URL=<api url> and
VOXIMPLANT_CREDENTIALS_FILE=<credentials file>. Control routes: GET /__sim/admins,
GET /__sim/calls, POST /__sim/faults, POST /__sim/reset (tooling/sim/README.md describes
each).`;

export const simCommand = defineCommand({
  name: 'sim',
  summary: 'run the Voximplant simulator alone; print its URL and credentials file',
  help,
  options: {
    port: { type: 'string' },
    seed: { type: 'string' },
    'credentials-out': { type: 'string' },
  },
  positionals: [],
  async run({ values }, io) {
    const port = parsePort(values.port === undefined ? 'SIM_PORT' : '--port', values.port ?? io.env.SIM_PORT ?? '8788');
    const seed = parseSeed(values.seed, io.env.SIM_SEED);

    const tempDir =
      values['credentials-out'] === undefined ? await mkdtemp(join(tmpdir(), 'vox-admin-bridge-sim-')) : undefined;
    const credentialsFile =
      tempDir === undefined ? resolve(io.cwd, values['credentials-out'] ?? '') : join(tempDir, 'credentials.json');
    try {
      let sim: Awaited<ReturnType<typeof runSimulatorServer>>;
      try {
        sim = await runSimulatorServer({ seed, port, host: '127.0.0.1', credentialsFile });
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        if (code === 'EADDRINUSE')
          throw new CliError('port_in_use', `port ${port} on 127.0.0.1 is in use; use --port or SIM_PORT`);
        if (typeof code === 'string') throw new CliError('start_failed', `the simulator could not start: ${code}`);
        throw error;
      }
      io.out(
        [
          '',
          'Voximplant simulator running (Ctrl-C stops it)',
          '',
          `  api url       ${sim.apiUrl}`,
          `  credentials   ${credentialsFile}`,
          `  admins        ${sim.url}/__sim/admins`,
          `  calls         ${sim.url}/__sim/calls`,
          '',
          `  VOXIMPLANT_API_URL=${sim.apiUrl} VOXIMPLANT_CREDENTIALS_FILE=${credentialsFile}`,
          '',
        ].join('\n'),
      );
      await waitForStop(io.signal);
      await sim.close();
      io.err('[sim] stopped');
      return 0;
    } finally {
      if (tempDir !== undefined) await rm(tempDir, { recursive: true, force: true });
    }
  },
});
