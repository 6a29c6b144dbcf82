/**
 * A binary's env rule: the variables a request may set for it, and nothing
 * else. Names or `PREFIX*` patterns, each allowed with any value (`true`) or
 * with a zod schema its value must pass. No rule means no request variables
 * at all: which variables change what a tool runs is the tool's business,
 * and only the host, knowing the tool, can say which ones are harmless.
 *
 * @example
 * env: ['NO_COLOR', 'MYTOOL_*']
 * env: { NO_COLOR: true, MYTOOL_LEVEL: z.enum(['debug', 'info']) }
 */
import type * as z from 'zod';
import { JobHostError, describeValue } from '../../errors.js';

/** What a request may set for one binary: names or `PREFIX*` patterns, as a list (any value) or a map to `true` or a value schema. */
export type EnvRule = readonly string[] | Readonly<Record<string, true | z.ZodType>>;

/** How a matched variable's value is checked: `true` for any value. */
export type EnvValueRule = true | z.ZodType;

/** A compiled {@link EnvRule}: exact names first, then prefixes longest first. */
export interface CompiledEnvRule {
  readonly exact: ReadonlyMap<string, EnvValueRule>;
  readonly prefixes: readonly (readonly [prefix: string, rule: EnvValueRule])[];
  /** The patterns as the host wrote them, for refusal messages. */
  readonly shown: string;
}

/** The rule of a binary without `env`: nothing may be set. */
export const NO_ENV: CompiledEnvRule = { exact: new Map(), prefixes: [], shown: '' };

/** A portable variable name: what POSIX shells can export, so no `=`, NUL or spaces. */
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function isSchema(value: unknown): value is z.ZodType {
  return typeof value === 'object' && value !== null && typeof (value as { safeParse?: unknown }).safeParse === 'function';
}

/** Checks and compiles `binaries.<name>.env`; throws `ERR_INVALID_OPTIONS` naming the bad entry. */
export function compileEnvRule(binary: string, rule: unknown): CompiledEnvRule {
  if (rule === undefined) return NO_ENV;
  const bad = (what: string): never => {
    throw new JobHostError('ERR_INVALID_OPTIONS', `Expected \`binaries.${binary}.env\` ${what}`, { details: { option: `binaries.${binary}.env` } });
  };
  let entries: [string, unknown][];
  if (Array.isArray(rule)) entries = (rule as unknown[]).map((pattern) => [pattern as string, true]);
  else if (typeof rule === 'object' && rule !== null && !isSchema(rule)) entries = Object.entries(rule);
  else return bad(`to be a list of names or a map of names to \`true\` or a zod schema, got ${describeValue(rule)}`);
  const exact = new Map<string, EnvValueRule>();
  const prefixes: [string, EnvValueRule][] = [];
  for (const [pattern, value] of entries) {
    if (typeof pattern !== 'string') return bad(`to list names, got ${describeValue(pattern)}`);
    const prefix = pattern.endsWith('*') ? pattern.slice(0, -1) : null;
    if (!ENV_NAME.test(prefix ?? pattern)) {
      bad(`to hold variable names or \`PREFIX*\` patterns (a non-empty prefix: allowing every variable would make the rule pointless), got ${describeValue(pattern)}`);
    }
    if (value !== true && !isSchema(value)) bad(`entry ${describeValue(pattern)} to be \`true\` or a zod schema, got ${describeValue(value)}`);
    if (prefix === null) exact.set(pattern, value as EnvValueRule);
    else prefixes.push([prefix, value as EnvValueRule]);
  }
  prefixes.sort(([a], [b]) => b.length - a.length);
  return { exact, prefixes, shown: entries.map(([pattern]) => pattern).join(', ') };
}

/** The value rule that lets a request set `name` (case-sensitive, like the environment itself), or `undefined`. */
export function matchEnvRule(rule: CompiledEnvRule, name: string): EnvValueRule | undefined {
  const exact = rule.exact.get(name);
  if (exact !== undefined) return exact;
  for (const [prefix, value] of rule.prefixes) if (name.startsWith(prefix)) return value;
  return undefined;
}
