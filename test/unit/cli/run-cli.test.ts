import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { commands } from '../../../src/cli/commands';
import { cli } from '../../support/cli-io';

describe('vox-admin-bridge (dispatch, help, errors)', () => {
  it('lists every command in the overview', async () => {
    const ran = await cli(['--help']);
    expect(ran.code).toBe(0);
    for (const name of ['dev', 'send', 'plan', 'doctor', 'sim']) {
      if (commands.some((c) => c.name === name)) expect(ran.stdout).toMatch(new RegExp(`^  ${name} `, 'm'));
    }
  });

  it('without a command prints the overview on stderr and exits 2', async () => {
    const ran = await cli([]);
    expect(ran.code).toBe(2);
    expect(ran.stderr).toContain('Usage: vox-admin-bridge <command>');
  });

  it('refuses an unknown command in one line, exit 2', async () => {
    const ran = await cli(['deploy']);
    expect(ran.code).toBe(2);
    expect(ran.stderr.split('\n')).toHaveLength(1);
    expect(ran.stderr).toContain('unknown command "deploy"');
  });

  it.each(commands.map((c) => c.name))('%s --help prints its usage and exits 0', async (name) => {
    const ran = await cli([name, '--help']);
    expect(ran.code).toBe(0);
    expect(ran.stdout).toMatch(new RegExp(`^Usage: vox-admin-bridge ${name}`));
    expect(ran.stderr).toBe('');
  });

  it.each(commands.map((c) => c.name))('%s --help names no document outside the repository', async (name) => {
    const ran = await cli([name, '--help']);
    expect(ran.stdout).not.toMatch(/CONTRACT(\.md)? §|research|\.\.\/shared|\/work\//);
  });

  it.each(commands.map((c) => c.name))('%s with an unknown option is a one-line usage error, exit 2', async (name) => {
    const ran = await cli([name, '--no-such-option']);
    expect(ran.code).toBe(2);
    expect(ran.stderr.split('\n')).toHaveLength(1);
    expect(ran.stderr).toMatch(/^error: .*no-such-option.*--help\)$/);
    expect(ran.stderr).not.toMatch(/\n\s+at /);
  });

  it.each(commands.map((c) => c.name))('%s -h prints the same usage as --help', async (name) => {
    expect((await cli([name, '-h'])).stdout).toBe((await cli([name, '--help'])).stdout);
  });

  it.each(commands.map((c) => c.name))('%s refuses positionals it does not take, exit 2', async (name) => {
    const ran = await cli([name, 'one', 'two', 'three']);
    expect(ran.code).toBe(2);
    // `roster` takes two positionals (plan|apply and the file), so its first extra one is the third.
    expect(ran.stderr).toMatch(
      /^error: unexpected argument "(one|two|three)" \(see: vox-admin-bridge [\w-]+ --help\)$/,
    );
  });

  it('--version prints the version in package.json', async () => {
    const { version } = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'));
    for (const flag of ['--version', '-v']) {
      const ran = await cli([flag]);
      expect(ran.code).toBe(0);
      expect(ran.stdout.trim()).toBe(version);
    }
  });
});
