import { parseCommandArgs } from '../args';
import { usageError } from '../cli-error';
import type { Command } from '../command';
import { asCliError, formatReports, heldOperations, OPERATOR_HELP, OPERATOR_OPTIONS } from './held-access';

const help = `Usage: vox-admin-bridge release (<id> | --all) (--local | --table <name> --credentials-secret <id>)

Applies held changes, oldest ordering time first, through the same apply step as the worker:
protected admins, the ordering rule and the re-activation policy still apply, so a change that
became stale while it was held (a newer change was applied) stays unapplied. Only the guard is
skipped, and only for the released change. <id> is the event id, the hold id or the idempotency
key that \`held\` prints. A change that must be retried stays held and the release stops there.

Options:
  --all                       release every held change
  -h, --help                  show this help

${OPERATOR_HELP}

Exit status: 0 when every selected change ended (applied, stale, ...), 1 when one stays held.`;

export const releaseCommand: Command = {
  name: 'release',
  summary: 'apply held changes in order (one, or --all)',
  help,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs('release', argv, {
      ...OPERATOR_OPTIONS,
      all: { type: 'boolean' },
    });
    if (values.help === true) {
      io.out(help);
      return 0;
    }
    if (positionals.length > 1)
      throw usageError(`unexpected argument "${positionals[1]}" (see: vox-admin-bridge release --help)`);
    const [id] = positionals;
    if ((id === undefined) === (values.all !== true)) {
      throw usageError('give one <id> or --all (see: vox-admin-bridge release --help)');
    }
    const operations = heldOperations(values, io, 'apply');
    const reports = await asCliError(() => operations.release(id === undefined ? { all: true } : { id }));
    io.out(formatReports(reports));
    return reports.some((r) => r.outcome === 'retry') ? 1 : 0;
  },
};
