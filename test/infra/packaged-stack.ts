// Builds the bundles and packages the stack with `node scripts/package.mjs` (osls, offline) in a private copy of
// the project, and reads what came out: .serverless/cloudformation-template-update-stack.json and the entries of
// each function's zip.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The seven Lambda functions of docs/CONTRACT.md#functions and their CloudFormation logical ids (the framework's naming).
 */
export const FUNCTIONS = {
  events: 'EventsLambdaFunction',
  okta: 'OktaLambdaFunction',
  scim: 'ScimLambdaFunction',
  worker: 'WorkerLambdaFunction',
  rotate: 'RotateLambdaFunction',
  'rotate-key': 'RotateDashkeyLambdaFunction',
  reconcile: 'ReconcileLambdaFunction',
} as const;
export type FunctionName = keyof typeof FUNCTIONS;
export const FUNCTION_NAMES = Object.keys(FUNCTIONS) as FunctionName[];

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export interface Resource {
  Type: string;
  Properties?: Record<string, Json>;
  DependsOn?: string | string[];
  Condition?: string;
  Metadata?: Record<string, Json>;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
}
export interface Template {
  Parameters?: Record<
    string,
    { Type: string; Default?: string; AllowedPattern?: string; MinValue?: number; MaxValue?: number }
  >;
  Resources: Record<string, Resource>;
  Outputs?: Record<string, { Value: Json; Description?: string }>;
  Conditions?: Record<string, Json>;
}
export interface PackagedStack {
  dir: string;
  template: Template;
  /** Entries of each function's zip. */
  zipEntries: Record<FunctionName, string[]>;
  close(): Promise<void>;
}

/** `node scripts/build.mjs --quiet`, bounded. */
export async function buildBundles(): Promise<void> {
  await run(process.execPath, ['scripts/build.mjs', '--quiet'], { cwd: root, timeout: 120_000, killSignal: 'SIGKILL' });
}

export function missingBundles(): string[] {
  return FUNCTION_NAMES.map((n) => join('dist', n, 'index.mjs')).filter((f) => !existsSync(join(root, f)));
}

/**
 * `npm run package` (after the build) in a private copy of the project: serverless.yml, infra/, the two scripts,
 * the six bundles, and node_modules linked. osls always works in <service>/.serverless, so runs in the real tree
 * would clash with each other (two test runs at once, or a developer's own `npm run package`); in a copy they
 * cannot. The script kills osls after PACKAGE_TIMEOUT_MS; the outer timeout is a second guard so a hang cannot
 * stall CI.
 */
export async function packageStack(args: string[]): Promise<PackagedStack> {
  const dir = await mkdtemp(join(tmpdir(), 'vab-package-'));
  const close = () => rm(dir, { recursive: true, force: true });
  try {
    for (const path of [
      'package.json',
      'serverless.yml',
      'infra',
      'scripts/package.mjs',
      'scripts/bundle-budget.mjs',
      ...FUNCTION_NAMES.map((n) => `dist/${n}/index.mjs`),
    ]) {
      await cp(join(root, path), join(dir, path), { recursive: true });
    }
    await symlink(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
    await run(process.execPath, ['scripts/package.mjs', '--quiet', ...args], {
      cwd: dir,
      timeout: 150_000,
      killSignal: 'SIGKILL',
      env: { ...process.env, PACKAGE_TIMEOUT_MS: '120000' },
      maxBuffer: 10 * 1024 * 1024,
    });
  } catch (error) {
    await close();
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`npm run package failed: ${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
  }
  const output = join(dir, '.serverless');
  const template = JSON.parse(
    await readFile(join(output, 'cloudformation-template-update-stack.json'), 'utf8'),
  ) as Template;
  const zipEntries = {} as Record<FunctionName, string[]>;
  for (const name of FUNCTION_NAMES) zipEntries[name] = zipEntryNames(await readFile(join(output, `${name}.zip`)));
  return { dir, template, zipEntries, close };
}

/** File names in a zip archive, read from its central directory (no unzip tool needed). */
export function zipEntryNames(zip: Buffer): string[] {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error('not a zip archive');
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error('corrupt zip central directory');
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    names.push(zip.toString('utf8', at + 46, at + 46 + nameLength));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

export function resourcesOfType(template: Template, type: string): [string, Resource][] {
  return Object.entries(template.Resources).filter(([, r]) => r.Type === type);
}

export function resource(template: Template, logicalId: string, type?: string): Resource {
  const r = template.Resources[logicalId];
  if (r === undefined) throw new Error(`resource ${logicalId} is not in the template`);
  if (type !== undefined && r.Type !== type) throw new Error(`${logicalId} is a ${r.Type}, not a ${type}`);
  return r;
}

export function props(template: Template, logicalId: string, type?: string): Record<string, Json> {
  return resource(template, logicalId, type).Properties ?? {};
}

/** {Ref: X} and {Fn::GetAtt: [X, attr]} → 'X' / 'X.attr'; '*' stays '*'; anything else → JSON. */
export function refName(value: Json | undefined): string {
  if (typeof value === 'string') return value;
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    if (typeof value.Ref === 'string') return value.Ref;
    const getAtt = value['Fn::GetAtt'];
    if (Array.isArray(getAtt)) return `${getAtt[0]}.${getAtt[1]}`;
  }
  return JSON.stringify(value);
}

export function asArray<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}
