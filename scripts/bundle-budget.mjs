// Bundle budget: every Lambda bundle (dist/<name>/index.mjs, written by scripts/build.mjs) must stay within the
// size stated in infra/bundle-budgets.json. Bigger bundles cost cold-start time (module evaluation grows with the
// code: the cold init figures in docs/PERFORMANCE.md) and usually mean an accidental dependency. Run by `npm run package` and by
// test/infra; alone: `node scripts/bundle-budget.mjs` (prints the table docs/DEPLOY.md shows).
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** {function name: budget in bytes}, in the order of docs/CONTRACT.md#functions. */
export function readBudgets() {
  const { budgets } = JSON.parse(readFileSync(join(root, 'infra', 'bundle-budgets.json'), 'utf8'));
  return budgets;
}

/** One row per function: its bundle path, size (undefined when missing) and budget. */
export function measureBundles(budgets = readBudgets()) {
  return Object.entries(budgets).map(([name, budget]) => {
    const file = join('dist', name, 'index.mjs');
    let bytes;
    try {
      bytes = statSync(join(root, file)).size;
    } catch {
      bytes = undefined;
    }
    return { name, file, bytes, budget };
  });
}

/** Problems as sentences; empty when every bundle exists and fits. */
export function budgetProblems(rows) {
  const problems = [];
  for (const r of rows) {
    if (r.bytes === undefined) {
      problems.push(
        `${r.file} is missing: functions/${r.name}.ts does not exist yet or the build failed (npm run build)`,
      );
    } else if (r.bytes > r.budget) {
      problems.push(
        `${r.file} is ${r.bytes} bytes, over its budget of ${r.budget} (infra/bundle-budgets.json): ` +
          'find the new dependency (esbuild --analyze) or raise the budget on purpose',
      );
    }
  }
  return problems;
}

function kib(bytes) {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

export function formatTable(rows) {
  const lines = ['| function | bundle (minified) | budget |', '|---|---:|---:|'];
  for (const r of rows)
    lines.push(`| \`${r.name}\` | ${r.bytes === undefined ? 'missing' : kib(r.bytes)} | ${kib(r.budget)} |`);
  return lines.join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const rows = measureBundles();
  console.log(formatTable(rows));
  const problems = budgetProblems(rows);
  for (const p of problems) console.error(`bundle budget: ${p}`);
  process.exitCode = problems.length > 0 ? 1 : 0;
}
