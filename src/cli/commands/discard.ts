import { defineCommand } from '../command';
import { asCliError, heldOperations, OPERATOR_HELP, OPERATOR_OPTIONS } from './held-access';

const help = `Usage: vox-admin-bridge discard <id> (--local | --table <name>)

Drops one held change for good: it is never applied, and an audit line records it (in this
command's output and, with --local, in the bridge's log). <id> is the event id, the hold id or the
idempotency key that \`held\` prints. A producer that sends the same event again, or an IdP that
retries the request, makes a new decision of the guard: fix the cause at the source first.

Options:
  -h, --help                  show this help

${OPERATOR_HELP}`;

export const discardCommand = defineCommand({
  name: 'discard',
  summary: 'drop one held change (with an audit line)',
  help,
  options: OPERATOR_OPTIONS,
  positionals: ['id'],
  async run({ values, positionals }, io) {
    const [id] = positionals;
    const result = await asCliError(() => heldOperations(values, io, 'read').discard(id));
    io.out(JSON.stringify({ audit: 'held change discarded', ...result, at: new Date().toISOString() }));
    return result.outcome === 'discarded' ? 0 : 1;
  },
});
