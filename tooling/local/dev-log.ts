/**
 * The dev runtime's own messages, for a person at a terminal: short plain lines. The handlers keep logging their
 * structured JSON (Powertools) as they do in Lambda; these lines say what the local machinery did around them.
 */
export interface DevLog {
  info(message: string): void;
  warn(message: string): void;
}

export function consoleDevLog(write: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): DevLog {
  return {
    info: (message) => write(`[dev] ${message}`),
    warn: (message) => write(`[dev] warning: ${message}`),
  };
}

export const silentDevLog: DevLog = { info: () => undefined, warn: () => undefined };
