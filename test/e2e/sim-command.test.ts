import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { requireBuiltCli, runCli, spawnCli } from './built-cli';

/** `vox-admin-bridge sim` as a user runs it, checked with `doctor` from another process, then Ctrl-C. */
describe('vox-admin-bridge sim (built CLI)', () => {
  it('prints its API URL and credentials file, passes doctor, and cleans up on SIGINT', async () => {
    requireBuiltCli();
    const sim = spawnCli(['sim', '--port', '0']);
    const exited = new Promise<number | null>((done) => sim.on('exit', (code) => done(code)));
    let stdout = '';
    sim.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    try {
      const deadline = Date.now() + 15_000;
      while (!/credentials\s+\S+/.test(stdout) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      const apiUrl = /api url\s+(\S+)/.exec(stdout)?.[1];
      const credentials = /credentials\s+(\S+)/.exec(stdout)?.[1];
      expect(apiUrl, stdout).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/platform_api$/);
      expect(existsSync(credentials ?? '')).toBe(true);

      const doctor = await runCli(['doctor', '--credentials', credentials ?? '', '--api-url', apiUrl ?? '']);
      expect(doctor.code, doctor.stdout).toBe(0);
      expect(doctor.stdout).toContain('All checks passed.');

      sim.kill('SIGINT');
      expect(await exited).toBe(0);
      expect(existsSync(credentials ?? '')).toBe(false); // the temporary directory is removed
    } finally {
      if (sim.exitCode === null) sim.kill('SIGKILL');
    }
  }, 30_000);
});
