import confusables from 'unhomoglyph/data.json' with { type: 'json' };

/**
 * The one comparison key for protected names (PROTECTED_ADMIN_USERS): two names that a person cannot tell apart get
 * the same key, so neither a rename nor a new admin can take a protected name in disguise, and a protected admin
 * cannot shed its protection by a near-miss of its own name. Every check of a name against the list goes through
 * this function, on both sides: the listed names and the candidate.
 *
 * One round is:
 * 1. Unicode NFKC (UAX #15): compatibility forms become their plain letters (`ｏｗｎｅｒ` → `owner`, `ﬁ` → `fi`).
 * 2. Default_Ignorable_Code_Point removed (Unicode DerivedCoreProperties.txt): zero-width spaces and joiners, soft
 *    hyphens, variation selectors, bidi marks and the like render as nothing, so `owner\u200B` reads as `owner`.
 * 3. Trimmed of white space (ECMAScript String.prototype.trim: Unicode White_Space and line terminators).
 * 4. Case folded: upper-cased, then lower-cased, so `ß` and `SS` fold alike, as Unicode full case folding does.
 * 5. The confusable skeleton of Unicode TS #39 §4: skeleton(X) = NFD(map each character of NFD(X) by
 *    confusables.txt). The mapping is the `unhomoglyph` package's copy of confusables.txt (Unicode 13.0.0), one
 *    entry per source code point: Cyrillic `о` (U+043E) → `o`, `0` → `O`, `m` → `rn`. Its data is used directly,
 *    looked up code point by code point as TS #39 describes; the package's own function compiles a regular
 *    expression of all 6,311 sources when it loads, which every cold start would pay for.
 * The skeleton's targets are not always lower case (`0` → `O`), and a target may itself be a compatibility form, so
 * rounds repeat until the key stops changing: the result is a fixed point, which makes the key idempotent. Every
 * single code point settles within three rounds; the cap only bounds the work for a pathological input.
 */
export function protectedNameKey(name: string): string {
  let current = name;
  for (let round = 0; round < MAX_ROUNDS; round += 1) {
    const next = oneRound(current);
    if (next === current) return next;
    current = next;
  }
  return current;
}

/** True when the two names are the same for protection: their keys are equal. */
export function sameProtectedName(a: string, b: string): boolean {
  return protectedNameKey(a) === protectedNameKey(b);
}

const MAX_ROUNDS = 8;

// ECMAScript regular expressions with the `u` flag accept this binary property by its long name (the table of
// binary Unicode property aliases in the ECMAScript specification); Node 20 and 22 support it.
const DEFAULT_IGNORABLE = /\p{Default_Ignorable_Code_Point}/gu;

function oneRound(text: string): string {
  const folded = text.normalize('NFKC').replace(DEFAULT_IGNORABLE, '').trim().toUpperCase().toLowerCase();
  return skeleton(folded);
}

let prototypes: Map<string, string> | undefined;

/** TS #39 §4 skeleton(X); iterating a string yields code points, so astral sources map whole. */
function skeleton(text: string): string {
  prototypes ??= new Map(Object.entries(confusables as Record<string, string>));
  let out = '';
  for (const char of text.normalize('NFD')) out += prototypes.get(char) ?? char;
  return out.normalize('NFD');
}
