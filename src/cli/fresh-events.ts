import { randomUUID } from 'node:crypto';
import { CliError } from './cli-error';

/**
 * `send --fresh`: a new `id` and the current `time` for every event, so a file can be sent again and again. The bridge
 * keys idempotency on `source` + `id` and orders by `time` (docs/CONTRACT.md#idempotency, #ordering), so a replayed
 * example would otherwise be answered as a duplicate, or skipped as stale after a newer change.
 */
export function freshenEvents(text: string, now: Date = new Date()): string {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new CliError('invalid_json', '--fresh needs a JSON file: this one does not parse');
  }
  const events = Array.isArray(json) ? json : [json];
  const suffix = randomUUID().slice(0, 8);
  for (const event of events) {
    if (event === null || typeof event !== 'object' || Array.isArray(event)) {
      throw new CliError('invalid_event', '--fresh needs CloudEvent objects (or an array of them)');
    }
    const e = event as Record<string, unknown>;
    e.id = `${typeof e.id === 'string' ? e.id : 'evt'}-${suffix}`;
    e.time = now.toISOString();
  }
  return `${JSON.stringify(json, null, 2)}\n`;
}
