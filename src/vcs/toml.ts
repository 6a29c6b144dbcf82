/**
 * Just enough TOML for a TA `plugin.toml`: tables (`[staging_env]`), bare and
 * quoted keys, basic and literal strings (multi-line too), integers, floats,
 * booleans, arrays (over several lines, trailing comma allowed) and inline
 * tables. Dotted keys, arrays of tables and dates are refused with a clear
 * message rather than misread; so are duplicate keys, as in TOML.
 */

/** A parsed TOML value. */
export type TomlValue = string | number | boolean | TomlValue[] | TomlTable;
/** A parsed TOML table. */
export interface TomlTable {
  [key: string]: TomlValue;
}

/** A TOML document this parser cannot read, with the line it stopped on. */
export class TomlSyntaxError extends Error {
  constructor(message: string, line: number) {
    super(`line ${line}: ${message}`);
  }
}

const ESCAPES: Readonly<Record<string, string>> = { b: '\b', t: '\t', n: '\n', f: '\f', r: '\r', '"': '"', '\\': '\\' };
const BARE_KEY = /[A-Za-z0-9_-]/;

class Scanner {
  #at = 0;
  constructor(private readonly text: string) {}

  get done(): boolean {
    return this.#at >= this.text.length;
  }
  peek(offset = 0): string {
    return this.text[this.#at + offset] ?? '';
  }
  startsWith(token: string): boolean {
    return this.text.startsWith(token, this.#at);
  }
  next(): string {
    return this.text[this.#at++] ?? '';
  }
  fail(message: string): never {
    throw new TomlSyntaxError(message, this.text.slice(0, this.#at).split('\n').length);
  }
  /** Spaces and tabs. */
  blank(): void {
    while (this.peek() === ' ' || this.peek() === '\t') this.#at++;
  }
  /** Spaces, newlines and comments (inside arrays). */
  gap(): void {
    for (;;) {
      this.blank();
      if (this.peek() === '#') while (!this.done && this.peek() !== '\n') this.#at++;
      if (this.peek() === '\n' || this.startsWith('\r\n')) this.#at += this.peek() === '\n' ? 1 : 2;
      else return;
    }
  }
  /** The rest of a line after a value: blanks, a comment, then the line end. */
  endOfLine(): void {
    this.blank();
    if (this.peek() === '#') while (!this.done && this.peek() !== '\n') this.#at++;
    if (this.startsWith('\r\n')) this.#at += 2;
    else if (this.peek() === '\n') this.#at++;
    else if (!this.done) this.fail(`unexpected ${JSON.stringify(this.peek())} after a value`);
  }
  take(pattern: RegExp): string {
    let out = '';
    while (!this.done && pattern.test(this.peek())) out += this.next();
    return out;
  }
}

function key(s: Scanner): string {
  const quote = s.peek();
  const name = quote === '"' || quote === "'" ? string(s) : s.take(BARE_KEY);
  if (name === '' && quote !== '"' && quote !== "'") s.fail('expected a key');
  s.blank();
  if (s.peek() === '.') s.fail(`dotted keys are not supported ("${name}.…")`);
  return name;
}

function string(s: Scanner): string {
  const quote = s.next();
  const multi = s.startsWith(quote.repeat(2));
  if (multi) {
    s.next();
    s.next();
    if (s.startsWith('\r\n')) s.next();
    if (s.peek() === '\n') s.next();
  }
  let out = '';
  for (;;) {
    if (s.done) s.fail('unterminated string');
    if (multi ? s.startsWith(quote.repeat(3)) : s.peek() === quote) {
      for (let i = multi ? 3 : 1; i > 0; i--) s.next();
      return out;
    }
    const char = s.next();
    if (char === '\n' && !multi) s.fail('newline in a single-line string');
    if (char !== '\\' || quote === "'") {
      out += char;
      continue;
    }
    const escape = s.next();
    if (escape === 'u' || escape === 'U') {
      const hex = Array.from({ length: escape === 'u' ? 4 : 8 }, () => s.next()).join('');
      const code = /^[0-9A-Fa-f]+$/.test(hex) ? Number.parseInt(hex, 16) : Number.NaN;
      if (!(code <= 0x10ffff) || (code >= 0xd800 && code <= 0xdfff)) s.fail(`invalid escape \\${escape}${hex}`);
      out += String.fromCodePoint(code);
    } else if (multi && (escape === '\n' || escape === ' ' || escape === '\t' || escape === '\r')) {
      s.gap(); // a line-ending backslash trims the whitespace that follows
    } else if (ESCAPES[escape] !== undefined) {
      out += ESCAPES[escape];
    } else {
      s.fail(`invalid escape \\${escape}`);
    }
  }
}

function scalar(s: Scanner): number | boolean {
  const word = s.take(/[0-9A-Za-z_+\-.:]/);
  if (word === 'true' || word === 'false') return word === 'true';
  if (/^[+-]?(0|[1-9](_?[0-9])*)$/.test(word)) return Number(word.replace(/_/g, ''));
  if (/^0x[0-9A-Fa-f](_?[0-9A-Fa-f])*$/.test(word)) return Number.parseInt(word.slice(2).replace(/_/g, ''), 16);
  if (/^0o[0-7](_?[0-7])*$/.test(word)) return Number.parseInt(word.slice(2).replace(/_/g, ''), 8);
  if (/^0b[01](_?[01])*$/.test(word)) return Number.parseInt(word.slice(2).replace(/_/g, ''), 2);
  if (/^[+-]?(0|[1-9](_?[0-9])*)(\.[0-9](_?[0-9])*)?([eE][+-]?[0-9](_?[0-9])*)?$/.test(word)) return Number(word.replace(/_/g, ''));
  if (/^[+-]?(inf|nan)$/.test(word)) return word.endsWith('inf') ? (word.startsWith('-') ? -Infinity : Infinity) : Number.NaN;
  if (/^\d{4}-\d{2}-\d{2}/.test(word) || /^\d{2}:\d{2}/.test(word)) s.fail(`dates and times are not supported (${word})`);
  return s.fail(word === '' ? `expected a value, got ${JSON.stringify(s.peek() || 'end of file')}` : `invalid value ${JSON.stringify(word)}`);
}

function value(s: Scanner): TomlValue {
  const first = s.peek();
  if (first === '"' || first === "'") return string(s);
  if (first === '[') {
    s.next();
    const items: TomlValue[] = [];
    for (;;) {
      s.gap();
      if (s.peek() === ']') break;
      items.push(value(s));
      s.gap();
      if (s.peek() === ',') s.next();
      else if (s.peek() !== ']') s.fail('expected "," or "]" in an array');
    }
    s.next();
    return items;
  }
  if (first === '{') {
    s.next();
    const table: TomlTable = {};
    s.blank();
    if (s.peek() === '}') return (s.next(), table);
    for (;;) {
      s.blank();
      assign(s, table);
      s.blank();
      const end = s.next();
      if (end === '}') return table;
      if (end !== ',') s.fail('expected "," or "}" in an inline table');
    }
  }
  return scalar(s);
}

function assign(s: Scanner, table: TomlTable): void {
  const name = key(s);
  if (s.next() !== '=') s.fail(`expected "=" after the key "${name}"`);
  s.blank();
  if (Object.hasOwn(table, name)) s.fail(`the key "${name}" is defined twice`);
  Object.defineProperty(table, name, { value: value(s), enumerable: true, writable: true, configurable: true });
}

/** Parses a TOML document; throws {@link TomlSyntaxError} naming the line of the first fault. */
export function parseToml(text: string): TomlTable {
  const s = new Scanner(text.startsWith('\uFEFF') ? text.slice(1) : text);
  const root: TomlTable = {};
  let current = root;
  for (;;) {
    s.gap();
    if (s.done) return root;
    if (s.peek() === '[') {
      if (s.peek(1) === '[') s.fail('arrays of tables ([[…]]) are not supported');
      s.next();
      s.blank();
      const name = key(s);
      if (s.next() !== ']') s.fail(`expected "]" after the table name "${name}"`);
      if (Object.hasOwn(root, name)) s.fail(`the table "${name}" is defined twice`);
      current = {};
      Object.defineProperty(root, name, { value: current, enumerable: true, writable: true, configurable: true });
    } else {
      assign(s, current);
    }
    s.endOfLine();
  }
}
