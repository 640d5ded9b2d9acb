import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '../support/wait-until';

/**
 * Microsoft's public SCIM conformance collection (PostmanCollection.json of
 * https://github.com/AzureAD/SCIMReferenceCode, MIT) run with newman against the local bridge exactly as a user starts
 * it: `vox-admin-bridge dev` (what `npm start` runs) in a child process, SIM_SEED=empty (the collection counts users
 * and expects an empty store), a fixed DEV_SCIM_TOKEN. The Users folders only: this is a Users-only provider, and the
 * Group folders test group CRUD. The collection is read where CI puts it, next to the repository
 * (../shared/conformance/scim), or from the directory in SCIM_CONFORMANCE_COLLECTION; it is never copied in. A clone on
 * its own has no collection: the test is then skipped with the reason, except under CI=true, where a missing collection
 * fails the run. Needs the built CLI: `npm test` builds first.
 */
const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const CLI = join(ROOT, 'dist', 'cli', 'index.mjs');
const COLLECTION_DIR = resolve(
  ROOT,
  process.env.SCIM_CONFORMANCE_COLLECTION || join('..', 'shared', 'conformance', 'scim'),
);
const COLLECTION = join(COLLECTION_DIR, 'PostmanCollection.json');
const IN_CI = process.env.CI === 'true';
const MISSING = existsSync(COLLECTION)
  ? undefined
  : `the SCIM conformance collection is not at ${COLLECTION}: check out shared/ next to the repository, or set ` +
    'SCIM_CONFORMANCE_COLLECTION to the directory that holds PostmanCollection.json';
// Said once at collection time, so the reason shows in the run's output and not only as a skipped count.
if (MISSING !== undefined && !IN_CI) console.warn(`conformance test skipped: ${MISSING}`);
const NEWMAN = join(ROOT, 'node_modules', '.bin', 'newman');
const FOLDERS = ['Endpoint tests', 'User tests', 'ComplexAttribute tests', 'User tests with garbage'];
const TOKEN = 'conformance-scim-token-4f7c2a9e1b';
/** newman's whole run takes about 2 s here; the bound only keeps a hang from stalling CI. */
const NEWMAN_TIMEOUT_MS = 90_000;

interface NewmanReport {
  run: {
    stats: { requests: { total: number; failed: number }; assertions: { total: number; failed: number } };
    failures: { error: { name: string; message: string; test?: string }; source?: { name?: string } }[];
  };
}

function runNewman(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((done) => {
    const child = spawn(NEWMAN, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      output += d.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), NEWMAN_TIMEOUT_MS);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, output });
    });
  });
}

describe('the Microsoft SCIM conformance collection, where it is checked out', () => {
  it('is present under CI=true, and skipped with the reason elsewhere', (ctx) => {
    if (MISSING === undefined) return;
    if (IN_CI) throw new Error(MISSING);
    ctx.skip(MISSING);
  });
});

describe.skipIf(MISSING !== undefined)(
  'the Microsoft SCIM conformance collection against `vox-admin-bridge dev`',
  () => {
    let dev: ChildProcess | undefined;
    let exited: Promise<number | null> = Promise.resolve(null);
    let port = 0;
    let log = '';
    let work = '';

    beforeAll(async () => {
      work = mkdtempSync(join(tmpdir(), 'vab-scim-conformance-'));
      if (!existsSync(CLI)) throw new Error('dist/cli/index.mjs is missing: run `npm run build` first (npm test does)');
      dev = spawn(process.execPath, [CLI, 'dev'], {
        cwd: ROOT,
        env: {
          ...process.env,
          // Port 0: the bridge and the simulator bind free ports themselves, and the banner names them. Choosing ports
          // here and handing them over would race with every other test binding a random port.
          PORT: '0',
          SIM_PORT: '0',
          SIM_SEED: 'empty',
          DEV_SCIM_TOKEN: TOKEN,
          LOG_LEVEL: 'warn',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const child = dev;
      exited = new Promise((done) => child.on('exit', (code) => done(code)));
      child.stdout?.on('data', (d: Buffer) => {
        log += d.toString();
      });
      child.stderr?.on('data', (d: Buffer) => {
        log += d.toString();
      });
      port = await waitUntil(
        'the banner',
        async () => {
          const found = /bridge\s+http:\/\/127\.0\.0\.1:(\d+)/.exec(log)?.[1];
          return found === undefined ? undefined : Number(found);
        },
        { timeoutMs: 30_000, intervalMs: 100, ignoreErrors: true },
      ).catch((error: unknown) => {
        throw new Error(`${(error as Error).message}\n${log}`);
      });
      const status = await waitUntil(
        'the local bridge to answer on /scim/v2',
        async () => {
          const res = await fetch(`http://127.0.0.1:${port}/scim/v2/ServiceProviderConfig`, {
            headers: { authorization: `Bearer ${TOKEN}` },
          });
          return res.status;
        },
        { timeoutMs: 30_000, intervalMs: 100, ignoreErrors: true },
      ).catch((error: unknown) => {
        throw new Error(`${(error as Error).message}\n${log}`);
      });
      if (status !== 200) {
        throw new Error(
          `GET /scim/v2/ServiceProviderConfig on the local bridge answered ${status}: the dev runtime does not serve ` +
            `ANY /scim/v2/{proxy+} from functions/scim.ts\n${log}`,
        );
      }
    }, 45_000);

    afterAll(async () => {
      if (dev !== undefined && dev.exitCode === null && dev.signalCode === null) {
        dev.kill('SIGINT');
        const stopped = await Promise.race([exited, new Promise<'hung'>((r) => setTimeout(() => r('hung'), 10_000))]);
        if (stopped === 'hung') {
          dev.kill('SIGKILL');
          await exited;
        }
      }
      if (work !== '') rmSync(work, { recursive: true, force: true });
    }, 20_000);

    it(
      'passes with zero failed assertions',
      async () => {
        const report = join(work, 'newman.json');
        const { code, output } = await runNewman([
          'run',
          COLLECTION,
          ...FOLDERS.flatMap((f) => ['--folder', f]),
          '--env-var',
          'Protocol=http',
          '--env-var',
          'Server=127.0.0.1',
          '--env-var',
          `Port=:${port}`,
          '--env-var',
          'Api=scim/v2',
          '--env-var',
          `token=${TOKEN}`,
          '--timeout-request',
          '20000',
          '--reporters',
          'cli,json',
          '--reporter-json-export',
          report,
        ]);
        expect(existsSync(report), output).toBe(true);
        const { run } = JSON.parse(readFileSync(report, 'utf8')) as NewmanReport;
        const failures = run.failures.map(
          (f) => `${f.source?.name ?? '?'}: ${f.error.test ?? f.error.name}: ${f.error.message}`,
        );
        expect(failures, output).toEqual([]);
        expect(run.stats.assertions.failed).toBe(0);
        expect(run.stats.requests.failed).toBe(0);
        // The four folders hold 45 requests and 69 assertions; fewer means the run did not cover them.
        expect(run.stats.requests.total).toBe(45);
        expect(run.stats.assertions.total).toBe(69);
        expect(code, output).toBe(0);
      },
      NEWMAN_TIMEOUT_MS + 10_000,
    );
  },
);
