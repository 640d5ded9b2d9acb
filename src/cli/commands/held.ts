import { defineCommand } from '../command';
import { asCliError, formatHeld, heldOperations, OPERATOR_HELP, OPERATOR_OPTIONS } from './held-access';

const help = `Usage: vox-admin-bridge held (--local | --table <name>) [--json]

Lists the changes the blast-radius guard holds, in the order a release applies them (ordering time),
each with its reason. A held change is not applied until it is released (vox-admin-bridge release)
or dropped (vox-admin-bridge discard).

Options:
  --json                      print the list as JSON
  -h, --help                  show this help

${OPERATOR_HELP}`;

export const heldCommand = defineCommand({
  name: 'held',
  summary: 'list the changes the blast-radius guard holds',
  help,
  options: { ...OPERATOR_OPTIONS, json: { type: 'boolean' } },
  positionals: [],
  async run({ values }, io) {
    const list = await asCliError(() => heldOperations(values, io, 'read').list());
    io.out(values.json === true ? JSON.stringify(list, null, 2) : formatHeld(list));
    return 0;
  },
});
