/**
 * The one place options are checked. Every options object jobhost takes
 * (the host's, a binary policy's, a plugin's, a catalog's, a client's) is
 * read through an {@link OptionsReader}, so every integer, duration, byte
 * size and enum is checked the same way and refused in the same words:
 *
 *   Expected `maxConcurrent` to be an integer from 1 and up, got `0` (number)
 *
 * A JavaScript caller gets the same help as a TypeScript one: a wrong shape
 * is refused at construction (never later as a `TypeError` deep inside a
 * spawn), and an option nobody reads is refused with a "did you mean"
 * (`maxConcurent` → `maxConcurrent`), because an ignored misspelling leaves
 * the default in force without a word. Reading goes through a guard, so a
 * getter that throws is a refusal too, not a crash.
 */
import { JobHostError, QUOTED_CHARS, describeValue, type JobhostError } from '../errors.js';
import { MAX_TIMER_MS } from '../util/timer.js';
import { suggest } from './suggest.js';

/** Builds the error an invalid option becomes; `option` is its dotted name. Each area passes its own class. */
export type OptionsErrorFactory = (message: string, option: string, cause?: unknown) => JobhostError;

/** The default: a `JobHostError` with code `ERR_INVALID_OPTIONS` and `details.option`. */
export const hostOptionsError: OptionsErrorFactory = (message, option, cause) =>
  new JobHostError('ERR_INVALID_OPTIONS', message, { details: { option }, ...(cause === undefined ? {} : { cause }) });


/** Bounds of a number option. */
export interface IntegerBounds {
  readonly min?: number;
  readonly max?: number;
}

/** How the reader refers to the object and reports its errors. */
export interface ReaderSettings {
  /** What the object is, for messages: `'JobHost options'`, `'binaries.git'`. */
  readonly what: string;
  /** Prefix of every option name in messages (`'buffer.'`, `'binaries.git.'`). @default '' */
  readonly prefix?: string;
  /** @default {@link hostOptionsError} */
  readonly error?: OptionsErrorFactory;
  /** Wrong names that are not misspellings, mapped to the right one (`timeout` → `timeoutSecs`). */
  readonly aliases?: Readonly<Record<string, string>>;
}

/**
 * Reads one options object: each accessor checks one key and returns its
 * value (or the default); {@link OptionsReader.done} then refuses every key
 * that was not read. Declaring a key is reading it, so the list of known
 * options cannot drift from the code that uses them.
 */
export class OptionsReader {
  readonly #object: Readonly<Record<string, unknown>>;
  readonly #settings: ReaderSettings;
  readonly #read = new Set<string>();

  /** Throws unless `value` is a plain object (or `undefined` when `optional`, read as `{}`). */
  constructor(value: unknown, settings: ReaderSettings, optional = false) {
    this.#settings = settings;
    if (value === undefined && optional) {
      this.#object = {};
      return;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw this.#error(`Expected ${settings.what} to be an object, got ${describeValue(value)}`, settings.prefix?.replace(/\.$/, '') ?? '');
    }
    this.#object = value as Record<string, unknown>;
  }

  /** The dotted name of `key`, as messages and `details.option` give it. */
  name(key: string): string {
    return `${this.#settings.prefix ?? ''}${key}`;
  }

  /** The raw value of `key` (marked as read); a throwing getter is a refusal. */
  raw(key: string): unknown {
    this.#read.add(key);
    try {
      return this.#object[key];
    } catch (cause) {
      throw this.#error(`Reading \`${this.name(key)}\` threw: ${cause instanceof Error ? cause.message : String(cause)}`, this.name(key), cause);
    }
  }

  /** Throws the area's error for `key`: `Expected \`key\` to be <expected>, got <value>`. */
  fail(key: string, expected: string, value: unknown, cause?: unknown): never {
    throw this.#error(`Expected \`${this.name(key)}\` to be ${expected}, got ${describeValue(value)}`, this.name(key), cause);
  }

  /** Throws the area's error for `key` with a message of the caller's own (one that needs more than "expected … got …"). */
  refuse(key: string, message: string, cause?: unknown): never {
    throw this.#error(message, this.name(key), cause);
  }

  /** An integer in `[min, max]` (safe integers only), or `fallback` when absent. */
  integer(key: string, fallback: number, bounds?: IntegerBounds): number;
  integer(key: string, fallback: undefined, bounds?: IntegerBounds): number | undefined;
  integer(key: string, fallback: number | undefined, bounds: IntegerBounds = {}): number | undefined {
    const value = this.raw(key);
    if (value === undefined) return fallback;
    const min = bounds.min ?? Number.MIN_SAFE_INTEGER;
    const max = bounds.max ?? Number.MAX_SAFE_INTEGER;
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) this.fail(key, describeRange(min, max), value);
    return value;
  }

  /**
   * Milliseconds: an integer from `min` (default 0) up to what one timer can
   * wait (`max`, default 2^31 − 1); pass `max: Infinity` where the wait is
   * chained past that (`longTimeout`).
   */
  duration(key: string, fallback: number, bounds?: IntegerBounds): number;
  duration(key: string, fallback: undefined, bounds?: IntegerBounds): number | undefined;
  duration(key: string, fallback: number | undefined, bounds: IntegerBounds = {}): number | undefined {
    const max = bounds.max === Number.POSITIVE_INFINITY ? Number.MAX_SAFE_INTEGER : (bounds.max ?? MAX_TIMER_MS);
    return this.integer(key, fallback as number, { min: bounds.min ?? 0, max });
  }

  /** A byte size: an integer from `min` (default 1) and up. */
  bytes(key: string, fallback: number, min = 1): number {
    return this.integer(key, fallback, { min });
  }

  /** One of `values`, or `fallback` when absent. */
  oneOf<T extends string>(key: string, values: readonly T[], fallback: T): T;
  oneOf<T extends string>(key: string, values: readonly T[], fallback: undefined): T | undefined;
  oneOf<T extends string>(key: string, values: readonly T[], fallback: T | undefined): T | undefined {
    const value = this.raw(key);
    if (value === undefined) return fallback;
    if (!values.includes(value as T)) this.fail(key, `one of ${values.map((item) => `'${item}'`).join(', ')}`, value);
    return value as T;
  }

  /** A boolean, or `fallback` when absent. */
  boolean(key: string, fallback: boolean): boolean {
    const value = this.raw(key);
    if (value === undefined) return fallback;
    if (typeof value !== 'boolean') this.fail(key, 'a boolean', value);
    return value;
  }

  /** A string (non-empty unless `allowEmpty`), or `fallback` when absent. */
  string(key: string, fallback: string, allowEmpty?: boolean): string;
  string(key: string, fallback: undefined, allowEmpty?: boolean): string | undefined;
  string(key: string, fallback: string | undefined, allowEmpty = false): string | undefined {
    const value = this.raw(key);
    if (value === undefined) return fallback;
    if (typeof value !== 'string' || (!allowEmpty && value === '')) this.fail(key, allowEmpty ? 'a string' : 'a non-empty string', value);
    return value;
  }

  /** A function, or `undefined` when absent. */
  callback<F extends (...args: never[]) => unknown>(key: string): F | undefined {
    const value = this.raw(key);
    if (value !== undefined && typeof value !== 'function') this.fail(key, 'a function', value);
    return value as F | undefined;
  }

  /** A value `check` accepts (`expected` says what that is), or `undefined` when absent. */
  custom<T>(key: string, expected: string, check: (value: unknown) => boolean): T | undefined {
    const value = this.raw(key);
    if (value !== undefined && !check(value)) this.fail(key, expected, value);
    return value as T | undefined;
  }

  /** A reader for the nested object at `key` (absent reads as `{}`); call its `done()` too. */
  nested(key: string): OptionsReader {
    const value = this.raw(key);
    return new OptionsReader(value, { ...this.#settings, what: `\`${this.name(key)}\``, prefix: `${this.name(key)}.` }, true);
  }

  /** Marks keys as known without reading them (they are read elsewhere). */
  allow(...keys: string[]): this {
    for (const key of keys) this.#read.add(key);
    return this;
  }

  /** Refuses every own key nobody read, naming the closest known one. */
  done(): void {
    let keys: string[];
    try {
      keys = Object.keys(this.#object);
    } catch (cause) {
      throw this.#error(`Listing the keys of ${this.#settings.what} threw`, this.#settings.prefix ?? '', cause);
    }
    for (const key of keys) {
      if (this.#read.has(key)) continue;
      // a plugin may choose the key (spawn options): what the refusal quotes and compares is bounded
      const shown = key.length > QUOTED_CHARS ? `${key.slice(0, QUOTED_CHARS).toWellFormed()}…` : key;
      const meant = key.length > QUOTED_CHARS ? undefined : suggest(key, this.#read, this.#settings.aliases);
      const hint = meant === undefined ? '' : ` (did you mean \`${this.name(meant)}\`?)`;
      const known = [...this.#read].sort().map((name) => `\`${name}\``).join(', ');
      throw this.#error(`Unknown option \`${this.name(shown)}\`${hint}; ${this.#settings.what} has ${known}`, this.name(shown));
    }
  }

  #error(message: string, option: string, cause?: unknown): JobhostError {
    return (this.#settings.error ?? hostOptionsError)(message, option, cause);
  }
}

/** `an integer from 1 and up`, `an integer from 0 to 100`, `an integer`. */
function describeRange(min: number, max: number): string {
  if (min === Number.MIN_SAFE_INTEGER && max === Number.MAX_SAFE_INTEGER) return 'an integer';
  if (max === Number.MAX_SAFE_INTEGER) return `an integer from ${min} and up`;
  return `an integer from ${min} to ${max}`;
}

/** Reads `value` with `read`, then refuses the keys it did not read: the usual shape of a resolver. */
export function readOptions<T>(value: unknown, settings: ReaderSettings, read: (reader: OptionsReader) => T, optional = false): T {
  const reader = new OptionsReader(value, settings, optional);
  const result = read(reader);
  reader.done();
  return result;
}

/** One integer argument (not an options object), checked like an option: `drainEvents(max)`. */
export function integerArgument(name: string, value: unknown, bounds: IntegerBounds, error?: OptionsErrorFactory): number | undefined {
  return readOptions({ [name]: value }, { what: 'the arguments', ...(error === undefined ? {} : { error }) }, (read) => read.integer(name, undefined, bounds));
}
