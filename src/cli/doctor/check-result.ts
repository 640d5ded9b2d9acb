/** One line of the doctor's checklist. `skip` is a check that could not run because an earlier one failed. */
export interface CheckResult {
  status: 'ok' | 'fail' | 'warn' | 'skip';
  name: string;
  detail: string;
  /** What to do about it, for `fail` and `warn`. */
  fix?: string;
}

const MARK: Record<CheckResult['status'], string> = { ok: '✓', fail: '✗', warn: '!', skip: '-' };

export function formatChecks(title: string, checks: readonly CheckResult[]): string {
  const lines = [title, ''];
  for (const c of checks) {
    lines.push(`  ${MARK[c.status]} ${c.name}: ${c.detail}`);
    if (c.fix !== undefined && (c.status === 'fail' || c.status === 'warn')) lines.push(`      fix: ${c.fix}`);
  }
  const failed = checks.filter((c) => c.status === 'fail').length;
  lines.push('', failed === 0 ? 'All checks passed.' : `${failed} problem${failed === 1 ? '' : 's'} found.`);
  return lines.join('\n');
}
