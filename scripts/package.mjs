// `npm run package` (after `node scripts/build.mjs --quiet`): the CloudFormation template and one zip per function
// in .serverless/, offline. Runs the project's osls (the open-source Serverless Framework fork, a devDependency),
// because the `serverless` v4 npm package is only an installer that downloads the framework from
// install.serverless.com at run time, which fails offline. Extra arguments go
// to osls: `npm run package -- --stage prod --param="adminPasswordSecrets=ops-bot"`.
//
// It checks the bundles first (osls would only say "No file matches include / exclude patterns"), then runs osls
// in its own process group under a hard timeout, so a hang can never stall CI.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { budgetProblems, formatTable, measureBundles } from './bundle-budget.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const timeoutMs = Number(process.env.PACKAGE_TIMEOUT_MS ?? 180_000);
const osls = join(root, 'node_modules', 'osls', 'bin', 'serverless.js');

const rows = measureBundles();
const problems = budgetProblems(rows);
if (problems.length > 0) {
  for (const p of problems) console.error(`package: ${p}`);
  process.exit(1);
}
if (!process.argv.includes('--quiet')) console.log(formatTable(rows));
if (!existsSync(osls)) {
  console.error('package: node_modules/osls is missing; run npm ci');
  process.exit(1);
}

// Packaging must never reach an AWS account: dummy credentials, no profile, no telemetry or notifications.
const env = {
  ...process.env,
  SLS_TELEMETRY_DISABLED: '1',
  SLS_NOTIFICATIONS_MODE: 'off',
  AWS_ACCESS_KEY_ID: 'AKIAPACKAGEONLY00000',
  AWS_SECRET_ACCESS_KEY: 'package-only-not-a-real-secret',
  AWS_SESSION_TOKEN: '',
};
delete env.AWS_PROFILE;
delete env.AWS_DEFAULT_PROFILE;

const args = process.argv.slice(2).filter((a) => a !== '--quiet');
const child = spawn(process.execPath, [osls, 'package', ...args], {
  cwd: root,
  env,
  stdio: 'inherit',
  detached: true, // its own process group, so the timeout can stop osls and anything it started
});

const timer = setTimeout(() => {
  console.error(`package: osls did not finish within ${timeoutMs} ms; stopping it`);
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
}, timeoutMs);

child.on('exit', (code, signal) => {
  clearTimeout(timer);
  if (signal) {
    console.error(`package: osls stopped by ${signal}`);
    process.exit(1);
  }
  process.exit(code ?? 1);
});
