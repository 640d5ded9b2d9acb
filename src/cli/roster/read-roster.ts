import * as z from 'zod';
import { CliError } from '../cli-error';
import { parseJsonFile } from '../read-input-file';

/** Voximplant admin names are shorter than 50 characters (docs/CONTRACT.md#events). */
const adminName = z.string().trim().min(1, 'an admin name may not be empty').max(49, 'admin names are shorter than 50');

/** JSON: an array of admin names, or of objects with `admin_user_name` (other fields are ignored). */
const jsonRosterSchema = z
  .array(z.union([adminName, z.looseObject({ admin_user_name: adminName })]))
  .min(1, 'the roster is empty');

/** Splits one CSV line (RFC 4180: quoted fields, doubled quotes). */
function csvFields(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i += 1) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else field += c;
  }
  fields.push(field);
  return fields;
}

/**
 * The people who should hold admin access, from an HR export: a JSON array, or CSV with a header row naming an
 * `admin_user_name` column. An empty roster is refused: read as "nobody", it would deactivate every admin.
 */
export function readRoster(path: string, text: string): string[] {
  const json = path.toLowerCase().endsWith('.json') || text.trimStart().startsWith('[');
  return [...new Set(json ? fromJson(path, text) : fromCsv(path, text))];
}

function fromJson(path: string, text: string): string[] {
  const parsed = jsonRosterSchema.safeParse(parseJsonFile(path, text));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CliError(
      'invalid_roster',
      `${path}: ${issue?.path.join('/') || '(roster)'}: ${issue?.message ?? 'invalid'}`,
    );
  }
  return parsed.data.map((e) => (typeof e === 'string' ? e : e.admin_user_name));
}

function fromCsv(path: string, text: string): string[] {
  const lines = text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '');
  const [header, ...rows] = lines;
  const column =
    header === undefined
      ? -1
      : csvFields(header)
          .map((h) => h.trim())
          .indexOf('admin_user_name');
  if (column < 0)
    throw new CliError('invalid_roster', `${path}: the CSV needs a header row with an admin_user_name column`);
  if (rows.length === 0) throw new CliError('invalid_roster', `${path}: the roster is empty`);
  return rows.map((row, i) => {
    const parsed = adminName.safeParse(csvFields(row)[column] ?? '');
    if (!parsed.success) {
      throw new CliError('invalid_roster', `${path}: line ${i + 2}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    }
    return parsed.data;
  });
}
