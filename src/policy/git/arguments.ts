/**
 * The allow-list argument checker for git (2.39). A deny list of dangerous
 * options cannot name every option whose value is a path, nor every spelling
 * git accepts (abbreviations, bundles like `-pO/etc/passwd`); so every option
 * must be in its subcommand's table, read exactly as git's parsers read it,
 * and every path — option values and positionals alike — must stay in the root.
 *
 * Three rules go beyond the tables, each because git's parsers disagree with
 * one another:
 * - a value in the next argument must not start with `-`: log's parse-options
 *   layer runs before revision.c and would take `--author -L…` as its own
 *   `-L`; diff scans for `--no-index` and setup_revisions for `--` before
 *   either knows which arguments are values;
 * - after `--end-of-options` nothing may start with `-` (diff's `--no-index`
 *   scan ignores it); use `--` for paths that do;
 * - a short bundle is read letter by letter: flags until one that takes a
 *   value, which takes the rest (or the next argument).
 */
import { quote } from '../../errors.js';
import { GIT_OPTION_TABLES, GLOBAL_REFUSALS, INJECTED_OPTIONS } from './option-tables.js';
import type { OptionSpec, SubcommandTable } from './options-syntax.js';
import { pathLeaves, type GitArgsContext } from './options-values.js';

/** Where git runs: both are real paths. */
export type { GitArgsContext } from './options-values.js';

/** The subcommands that have an option table (anything else cannot be allowed). */
export const GIT_POLICED_SUBCOMMANDS: readonly string[] = Object.freeze([...GIT_OPTION_TABLES.keys()]);

/** The read-only subcommands gitReadOnly allows (a subset of the above). */
export const GIT_READ_ONLY_SUBCOMMANDS: readonly string[] = Object.freeze([
  'status', 'log', 'diff', 'show', 'rev-parse', 'ls-files', 'blame', 'shortlog', 'describe', 'rev-list',
  'for-each-ref', 'merge-base', 'cat-file', 'ls-tree', 'name-rev', 'version',
]);

/** Elements consumed by one option, or a refusal reason. */
type Step = number | string;


function refuseOption(arg: string, why: string): string {
  return `git option ${quote(arg)} is not allowed: ${why}`;
}

function refuseArgument(arg: string, why: string): string {
  return `git argument ${quote(arg)} is not allowed: ${why}`;
}

/** A refusal when `value` is not allowed for `spec`, else null; `detached` when it is the next argument. */
function checkValue(arg: string, spec: OptionSpec, value: string, detached: boolean, context: GitArgsContext): string | null {
  if (detached && value.startsWith('-') && value !== '-') {
    return refuseOption(arg, `its value ${quote(value)} (the next argument) looks like an option; attach it to the option instead`);
  }
  const why = spec.value?.check(value, context) ?? null;
  return why === null ? null : refuseOption(arg, `its value ${quote(value)} ${why}`);
}

/** Why an unknown long option is refused: a known danger, an abbreviation, or simply not listed. */
function unknownLong(table: SubcommandTable, subcommand: string, name: string): string {
  const known = table.refused.get(name) ?? GLOBAL_REFUSALS.get(name);
  if (known !== undefined) return known;
  const spellings = new Set([...table.refused.keys(), ...GLOBAL_REFUSALS.keys(), ...table.options.keys()]);
  const expansions = name.length > 2 ? [...spellings].filter((spelling) => spelling.startsWith(name)) : [];
  if (expansions.length > 0) {
    return `abbreviations are refused (it abbreviates ${expansions.slice(0, 3).join(' or ')}; git might expand it to an option nobody vetted)`;
  }
  return `it is not in the allow-list for git ${subcommand}`;
}

function longOption(args: readonly string[], i: number, table: SubcommandTable, subcommand: string, context: GitArgsContext): Step {
  const arg = args[i] as string;
  const equals = arg.indexOf('=');
  const name = equals < 0 ? arg : arg.slice(0, equals);
  const spec = table.options.get(name);
  if (spec === undefined) return refuseOption(arg, unknownLong(table, subcommand, name));
  if (equals >= 0) {
    if (spec.arity === 'flag') return refuseOption(arg, 'it takes no value');
    return checkValue(arg, spec, arg.slice(equals + 1), false, context) ?? 1;
  }
  switch (spec.arity) {
    case 'flag':
    case 'optional':
      return 1;
    case 'stuck':
      return refuseOption(arg, `it needs its value attached (${name}=<value>)`);
    case 'required':
    case 'lastArgDefault': {
      const next = args[i + 1];
      if (next === undefined) return spec.arity === 'required' ? refuseOption(arg, 'it needs a value') : 1;
      return checkValue(arg, spec, next, true, context) ?? 2;
    }
  }
}

/** `-abc`: flags until a letter that takes a value, which takes the rest of the argument or the next one. */
function shortOptions(args: readonly string[], i: number, table: SubcommandTable, subcommand: string, context: GitArgsContext): Step {
  const arg = args[i] as string;
  if (table.digits && /^-\d+$/.test(arg)) return 1;
  for (let at = 1; at < arg.length; at++) {
    const letter = `-${arg[at] as string}`;
    const spec = table.options.get(letter);
    if (spec === undefined) {
      return refuseOption(arg, table.refused.get(letter) ?? `the switch ${letter} is not in the allow-list for git ${subcommand}`);
    }
    const more = at + 1 < arg.length;
    if (spec.arity === 'flag') {
      if (more && !table.bundles) return refuseOption(arg, `git ${subcommand} reads ${letter} only as a whole argument`);
      continue;
    }
    if (more) return checkValue(arg, spec, arg.slice(at + 1), false, context) ?? 1;
    if (spec.arity !== 'required' && spec.arity !== 'lastArgDefault') return 1;
    const next = args[i + 1];
    if (next === undefined) return spec.arity === 'required' ? refuseOption(arg, `${letter} needs a value`) : 1;
    return checkValue(arg, spec, next, true, context) ?? 2;
  }
  return 1;
}

/**
 * Checks a git argv (args[0] is the subcommand) against the tables: returns
 * null when every argument is allowed, or a refusal reason that quotes the
 * offending argument and says why.
 */
export function checkGitArguments(args: readonly string[], allowed: ReadonlySet<string>, context: GitArgsContext): string | null {
  const subcommand = args[0];
  if (subcommand === undefined) return 'a git subcommand is required';
  if (!allowed.has(subcommand)) return `git subcommand ${quote(subcommand)} is not allowed (allowed: ${[...allowed].join(', ')})`;
  const table = GIT_OPTION_TABLES.get(subcommand);
  if (table === undefined) return `git subcommand ${quote(subcommand)} has no option table, so its arguments cannot be checked`;
  let mode: 'options' | 'end-of-options' | 'paths' = 'options';
  for (let i = 1; i < args.length;) {
    const arg = args[i] as string;
    if (mode !== 'paths' && arg === '--') {
      mode = 'paths';
      i++;
    } else if (mode !== 'paths' && arg.startsWith('-') && arg !== '-') {
      if (mode === 'end-of-options') {
        return refuseArgument(arg, 'it looks like an option after --end-of-options, which not every git 2.39 parser honours; put paths that start with "-" after --');
      }
      if (arg === '--end-of-options') {
        mode = 'end-of-options';
        i++;
        continue;
      }
      const step = arg.startsWith('--') ? longOption(args, i, table, subcommand, context) : shortOptions(args, i, table, subcommand, context);
      if (typeof step === 'string') return step;
      i += step;
    } else {
      const why = pathLeaves(arg, [context.cwd], context);
      if (why !== null) return refuseArgument(arg, why);
      i++;
    }
  }
  return null;
}

/**
 * Options the profile puts right after the subcommand so git never runs a
 * driver program or looks into submodule work trees (each verified against
 * git 2.39 by test/policy/git-arguments-real.test.ts).
 */
export function injectedOptions(subcommand: string): readonly string[] {
  return INJECTED_OPTIONS.get(subcommand) ?? [];
}
