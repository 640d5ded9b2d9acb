import { usageError } from '../cli-error';
import { defineCommand } from '../command';
import { freshenEvents } from '../fresh-events';
import { fetchOrExplain, formatBody, parseUrl } from '../http-call';
import { readInputFile } from '../read-input-file';
import { contentTypeFor, signedHeaders, webhookSigner } from '../signed-request';

const help = `Usage: vox-admin-bridge send <file> [--url <url>] [--secret <whsec_...>] [options]

Signs an event file with Standard Webhooks and POSTs it, then prints the answer.
The file is one CloudEvent, or a JSON array of them (sent as a batch). Its bytes are
sent exactly as they are in the file, so the signature covers what you wrote.

Options:
  --url <url>           where to post (default: http://127.0.0.1:$PORT/events, PORT=8787)
  --secret <whsec_...>  the webhook secret (default: $DEV_WEBHOOK_SECRET); npm start prints it
  --fresh               give every event a new id and the current time first, so a file
                        can be replayed without being answered as a duplicate
  --authorization <v>   send this Authorization header instead of signing (Okta event hooks:
                        --url http://127.0.0.1:8787/hooks/okta --authorization <DEV_OKTA_AUTH>)
  --id <webhook-id>     the webhook-id header (default: a random msg_... id)
  -h, --help            show this help

Exit status: 0 when the answer is 2xx, 1 otherwise.

Example:
  vox-admin-bridge send examples/admin.deactivated.json \\
    --url http://127.0.0.1:8787/events --secret whsec_...`;

export const sendCommand = defineCommand({
  name: 'send',
  summary: 'sign an event file (Standard Webhooks) and POST it; print the answer',
  help,
  options: {
    url: { type: 'string' },
    secret: { type: 'string' },
    fresh: { type: 'boolean' },
    authorization: { type: 'string' },
    id: { type: 'string' },
  },
  positionals: ['file'],
  async run({ values, positionals }, io) {
    const [file] = positionals;
    const url = parseUrl('--url', values.url ?? `http://127.0.0.1:${io.env.PORT || '8787'}/events`);

    let body = await readInputFile(io.cwd, file);
    if (values.fresh) body = freshenEvents(body);

    const headers: Record<string, string> = { 'content-type': contentTypeFor(body) };
    if (values.authorization !== undefined) {
      // Okta event hooks carry a shared secret in Authorization and no signature
      // (https://developer.okta.com/docs/concepts/event-hooks/).
      headers['content-type'] = 'application/json';
      headers.authorization = values.authorization;
    } else {
      const secret = values.secret ?? io.env.DEV_WEBHOOK_SECRET;
      if (secret === undefined || secret === '') {
        throw usageError('--secret is required (or set DEV_WEBHOOK_SECRET); npm start prints the dev secret');
      }
      Object.assign(
        headers,
        signedHeaders(webhookSigner(secret), body, values.id === undefined ? {} : { id: values.id }),
      );
    }

    const response = await fetchOrExplain(
      io.fetch,
      url.href,
      { method: 'POST', headers, body },
      url.hostname === '127.0.0.1' || url.hostname === 'localhost' ? 'is `npm start` running?' : undefined,
    );
    const text = await response.text();
    io.out(`HTTP ${response.status} ${response.statusText}`.trimEnd());
    io.out(formatBody(text));
    return response.ok ? 0 : 1;
  },
});
