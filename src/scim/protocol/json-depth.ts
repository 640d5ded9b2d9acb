/**
 * Whether JSON text nests objects and arrays deeper than `limit` (the outermost value is level 1). A single pass
 * over the text, without recursion, and before anything parses or walks the value: a body of 128 KiB can nest
 * 65,000 levels, and every recursive step of normalising, patching or storing it would otherwise risk the stack.
 * Brackets inside strings do not count. The text is not validated here; JSON.parse does that afterwards.
 */
export function nestsDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      depth++;
      if (depth > limit) return true;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      depth--;
    }
  }
  return false;
}
