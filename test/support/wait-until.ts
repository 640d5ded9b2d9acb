/**
 * Polls `check` until it returns a value (anything but undefined), or fails after `timeoutMs` naming `what`.
 * `ignoreErrors` treats a throwing check as "not yet" (a server that is still starting refuses connections).
 */
export async function waitUntil<T>(
  what: string,
  check: () => T | undefined | Promise<T | undefined>,
  { timeoutMs = 15_000, intervalMs = 50, ignoreErrors = false } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = ignoreErrors
      ? await Promise.resolve()
          .then(check)
          .catch(() => undefined)
      : await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
