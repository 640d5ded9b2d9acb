// cfn-lint (https://github.com/aws-cloudformation/cfn-lint) on the templates `npm run package` writes: the default
// stage, prod, and a stage with every optional part (admin password secrets, an external one, an alarm topic, a
// credentials reader role). Any error fails; warnings are printed and do not. Without cfn-lint on the PATH the test
// is skipped with the reason, except under CI=true, where it must run.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBundles, missingBundles, type PackagedStack, packageStack } from './packaged-stack';

const run = promisify(execFile);
const IN_CI = process.env.CI === 'true';

const VARIANTS: Record<string, string[]> = {
  default: [],
  prod: ['--stage', 'prod', '--region', 'eu-central-1'],
  'admin passwords': [
    '--stage',
    'ops',
    '--param=adminPasswordSecrets=ops-bot,backup.admin',
    '--param=adminPasswordExternalSecretArns=arn:aws:secretsmanager:us-east-1:123456789012:secret:ops/by-hand-AbC123',
    '--param=alarmTopicArn=arn:aws:sns:us-east-1:123456789012:vox-ops',
    '--param=credentialsReaderRoleArn=arn:aws:iam::123456789012:role/vox-operator',
    '--param=keyRotationEnabled=false',
  ],
};

interface Finding {
  Rule: { Id: string };
  Level: 'Error' | 'Warning' | 'Informational';
  Message: string;
  Location: { Path: (string | number)[] };
}

async function cfnLintVersion(): Promise<string | undefined> {
  try {
    const { stdout } = await run('cfn-lint', ['--version'], { timeout: 30_000 });
    return stdout.trim();
  } catch {
    return undefined;
  }
}

const version = await cfnLintVersion();
const MISSING = version === undefined ? 'cfn-lint is not on the PATH (pip install cfn-lint)' : undefined;
if (MISSING !== undefined && !IN_CI) console.warn(`cfn-lint test skipped: ${MISSING}`);

describe('cfn-lint, where it is installed', () => {
  it('is present under CI=true, and skipped with the reason elsewhere', (ctx) => {
    if (MISSING === undefined) return;
    if (IN_CI) throw new Error(MISSING);
    ctx.skip(MISSING);
  });
});

describe.skipIf(MISSING !== undefined)('cfn-lint on the packaged templates', () => {
  const stacks: Record<string, PackagedStack> = {};

  beforeAll(async () => {
    // As in stack-template.test.ts: `npm test` builds first; build only when run alone on a tree without bundles.
    if (missingBundles().length > 0) await buildBundles();
    // One after the other: three osls runs at once are heavy on a shared machine, and each takes a few seconds.
    for (const [name, args] of Object.entries(VARIANTS)) stacks[name] = await packageStack(args);
  }, 300_000);

  afterAll(async () => {
    for (const s of Object.values(stacks)) await s.close();
  });

  it.each(Object.keys(VARIANTS))('finds no error in the %s template', async (name) => {
    const file = join(stacks[name]!.dir, '.serverless', 'cloudformation-template-update-stack.json');
    // Exit codes 2 (errors), 4 (warnings) and 8 (informational) are findings, reported as JSON on stdout.
    const { stdout } = await run('cfn-lint', ['--format', 'json', '--', file], {
      timeout: 120_000,
      maxBuffer: 10 * 1024 * 1024,
    }).catch((error: { stdout?: string; code?: number; message: string }) => {
      if (typeof error.stdout === 'string' && error.stdout.trim().startsWith('[')) return { stdout: error.stdout };
      throw new Error(`cfn-lint did not run: ${error.message}`);
    });
    const findings = JSON.parse(stdout) as Finding[];
    const line = (f: Finding) => `${f.Rule.Id} ${f.Location.Path.join('/')}: ${f.Message}`;
    const warnings = findings.filter((f) => f.Level !== 'Error').map(line);
    if (warnings.length > 0)
      console.log(`cfn-lint ${version}, ${name} template, not failing:\n  ${warnings.join('\n  ')}`);
    expect(findings.filter((f) => f.Level === 'Error').map(line)).toEqual([]);
  });
});
