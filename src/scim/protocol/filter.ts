import { type AttributePath, canonicalPath, parseAttributePath } from './attribute-path';
import { toBoolean } from './scim-boolean';
import { badRequest } from './scim-error';

/**
 * RFC 7644 §3.4.2.2 filters, parsed into a tree: `attrPath op value`, `attrPath pr`, `and`/`or`/`not`, parentheses
 * and value paths (`emails[type eq "work"]`), plus what real clients send beyond the grammar:
 * - Entra's matching attribute `emails[type eq "work"].value eq "…"` (a sub-attribute after a value path);
 * - unquoted values (`name.familyName eq Employee`, `meta.created gt 2015-10-10T14:38:21.86-07:00`): the Microsoft
 *   conformance suite and Entra's own documentation (`externalId eq jyoung`) send them;
 * - keywords and attribute names in any case (RFC 7643 §2.1: attribute names are case-insensitive).
 */
export type CompareOperator = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le';
export type FilterValue = string | number | boolean | null;

export interface FilterPath extends AttributePath {
  /** A value filter on a multi-valued attribute: `emails[type eq "work"]`, relative to each value. */
  valueFilter?: Filter;
}

export type Filter =
  | { op: 'and' | 'or'; left: Filter; right: Filter }
  | { op: 'not'; filter: Filter }
  | { op: 'pr'; path: FilterPath }
  | { op: 'has'; path: FilterPath & { valueFilter: Filter } }
  | { op: CompareOperator; path: FilterPath; value: FilterValue };

const COMPARE_OPERATORS: readonly CompareOperator[] = ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le'];

/** Longer filters are refused: no IdP sends one, and the parser's work stays bounded. */
const MAX_FILTER_LENGTH = 4096;
const MAX_DEPTH = 32;

type Token =
  | { kind: '(' | ')' | '[' | ']'; at: number }
  | { kind: 'string'; value: string; at: number }
  | { kind: 'word'; value: string; at: number };

function invalid(detail: string) {
  return badRequest('invalidFilter', `the filter is invalid: ${detail}`);
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i += 1;
    } else if (c === '(' || c === ')' || c === '[' || c === ']') {
      tokens.push({ kind: c, at: i });
      i += 1;
    } else if (c === '"') {
      const start = i;
      i += 1;
      while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
      if (i >= text.length) throw invalid(`a string opened at position ${start + 1} is not closed`);
      i += 1;
      let value: unknown;
      try {
        value = JSON.parse(text.slice(start, i));
      } catch {
        throw invalid(`the string at position ${start + 1} has a bad escape`);
      }
      tokens.push({ kind: 'string', value: value as string, at: start });
    } else {
      const start = i;
      while (i < text.length && !/[\s()[\]"]/.test(text[i]!)) i += 1;
      tokens.push({ kind: 'word', value: text.slice(start, i), at: start });
    }
  }
  return tokens;
}

class Parser {
  private pos = 0;
  private depth = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly relative: boolean,
  ) {}

  parse(): Filter {
    const filter = this.parseOr();
    const extra = this.tokens[this.pos];
    if (extra !== undefined) throw invalid(`unexpected ${describe(extra)} at position ${extra.at + 1}`);
    return filter;
  }

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  private isKeyword(token: Token | undefined, keyword: string): boolean {
    return token?.kind === 'word' && token.value.toLowerCase() === keyword;
  }

  private parseOr(): Filter {
    this.depth += 1;
    if (this.depth > MAX_DEPTH) throw invalid('it is nested too deeply');
    let left = this.parseAnd();
    while (this.isKeyword(this.peek(), 'or')) {
      this.pos += 1;
      left = { op: 'or', left, right: this.parseAnd() };
    }
    this.depth -= 1;
    return left;
  }

  private parseAnd(): Filter {
    let left = this.parseUnary();
    while (this.isKeyword(this.peek(), 'and')) {
      this.pos += 1;
      left = { op: 'and', left, right: this.parseUnary() };
    }
    return left;
  }

  private parseUnary(): Filter {
    const token = this.peek();
    if (token === undefined) throw invalid('it ends where an expression was expected');
    if (this.isKeyword(token, 'not') && this.tokens[this.pos + 1]?.kind === '(') {
      this.pos += 1;
      return { op: 'not', filter: this.parseGroup() };
    }
    if (token.kind === '(') return this.parseGroup();
    return this.parseAttributeExpression();
  }

  private parseGroup(): Filter {
    this.expect('(');
    const inner = this.parseOr();
    this.expect(')');
    return inner;
  }

  private expect(kind: '(' | ')' | '[' | ']'): void {
    const token = this.peek();
    if (token?.kind !== kind) {
      throw invalid(
        token === undefined ? `"${kind}" expected at the end` : `"${kind}" expected at position ${token.at + 1}`,
      );
    }
    this.pos += 1;
  }

  private parseAttributeExpression(): Filter {
    const token = this.peek();
    if (token?.kind !== 'word')
      throw invalid(`an attribute name expected${token ? ` at position ${token.at + 1}` : ''}`);
    this.pos += 1;
    let path = this.attributePath(token.value, token.at);
    if (this.peek()?.kind === '[') {
      if (path.sub !== undefined) throw invalid(`a value filter follows a sub-attribute at position ${token.at + 1}`);
      this.pos += 1;
      const valueFilter = new Parser(this.innerTokens(), true).parse();
      path = { ...path, valueFilter };
      const next = this.peek();
      if (next?.kind === 'word' && next.value.startsWith('.')) {
        this.pos += 1;
        const sub = next.value.slice(1);
        if (!/^(\$ref|[A-Za-z][A-Za-z0-9_-]*)$/.test(sub))
          throw invalid(`bad sub-attribute at position ${next.at + 1}`);
        path = { ...path, ...canonicalSub(path, sub) };
      }
    }
    const opToken = this.peek();
    if (opToken?.kind !== 'word' || !isOperator(opToken.value)) {
      if (path.valueFilter !== undefined && path.sub === undefined) {
        return { op: 'has', path: path as FilterPath & { valueFilter: Filter } };
      }
      throw invalid(`an operator expected after "${token.value}"`);
    }
    this.pos += 1;
    const op = opToken.value.toLowerCase();
    if (op === 'pr') return { op: 'pr', path };
    const valueToken = this.peek();
    if (valueToken === undefined || (valueToken.kind !== 'string' && valueToken.kind !== 'word')) {
      throw invalid(`a value expected after "${opToken.value}"`);
    }
    this.pos += 1;
    return { op: op as CompareOperator, path, value: compareValue(valueToken) };
  }

  /** The tokens between `[` and its `]`, consumed here; the value filter is parsed on its own. */
  private innerTokens(): Token[] {
    const start = this.pos;
    let depth = 1;
    while (this.pos < this.tokens.length) {
      const kind = this.tokens[this.pos]!.kind;
      if (kind === '[') depth += 1;
      if (kind === ']') depth -= 1;
      if (depth === 0) break;
      this.pos += 1;
    }
    if (depth !== 0) throw invalid('a "[" is not closed');
    const inner = this.tokens.slice(start, this.pos);
    this.pos += 1;
    return inner;
  }

  private attributePath(text: string, at: number): FilterPath {
    if (this.relative) {
      // Inside a value filter names are sub-attributes of each value: `type`, `value`, `primary`.
      if (!/^(\$ref|[A-Za-z][A-Za-z0-9_-]*)$/.test(text)) throw invalid(`bad attribute name at position ${at + 1}`);
      return { attr: text };
    }
    const path = parseAttributePath(text);
    if (path === undefined || path.attr === '') throw invalid(`bad attribute name at position ${at + 1}`);
    return path;
  }
}

function canonicalSub(path: FilterPath, sub: string): { sub: string } {
  const canonical = canonicalPath({ ...(path.schema !== undefined && { schema: path.schema }), attr: path.attr, sub });
  return { sub: canonical.sub ?? sub };
}

function isOperator(word: string): boolean {
  const lower = word.toLowerCase();
  return lower === 'pr' || (COMPARE_OPERATORS as readonly string[]).includes(lower);
}

function compareValue(token: Token & { kind: 'string' | 'word' }): FilterValue {
  if (token.kind === 'string') return token.value;
  const bool = toBoolean(token.value);
  if (bool !== undefined) return bool;
  if (token.value.toLowerCase() === 'null') return null;
  if (/^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(token.value)) return Number(token.value);
  return token.value;
}

function describe(token: Token): string {
  return token.kind === 'string' || token.kind === 'word' ? `"${token.value}"` : `"${token.kind}"`;
}

/** Parses a filter or throws a 400 `invalidFilter` ScimError that says where it went wrong. */
export function parseFilter(text: string): Filter {
  if (text.length > MAX_FILTER_LENGTH) throw invalid(`it is longer than ${MAX_FILTER_LENGTH} characters`);
  const tokens = tokenize(text);
  if (tokens.length === 0) throw invalid('it is empty');
  return new Parser(tokens, false).parse();
}

/** Parses a value filter on its own (the part inside `[...]` of a PATCH path). */
export function parseValueFilter(text: string): Filter {
  const tokens = tokenize(text);
  if (tokens.length === 0) throw invalid('the value filter is empty');
  return new Parser(tokens, true).parse();
}
