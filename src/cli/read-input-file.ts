import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { CliError } from './cli-error';

/** Event files are small (the events endpoint takes at most 256 KiB); refuse anything absurdly larger early. */
const MAX_FILE_BYTES = 1024 * 1024;

/** Reads a file named on the command line, relative to the working directory, with a readable error. */
export async function readInputFile(cwd: string, path: string): Promise<string> {
  const full = resolve(cwd, path);
  let bytes: Buffer;
  try {
    bytes = await readFile(full);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : String(code ?? 'error');
    throw new CliError('file_unreadable', `cannot read ${path}: ${why}`);
  }
  if (bytes.length > MAX_FILE_BYTES) throw new CliError('file_too_large', `${path} is larger than 1 MiB`);
  return bytes.toString('utf8');
}

/** Parses JSON with a message that says where it broke, not a stack. */
export function parseJsonFile(path: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : 'invalid JSON';
    throw new CliError('invalid_json', `${path} is not valid JSON: ${detail}`);
  }
}
