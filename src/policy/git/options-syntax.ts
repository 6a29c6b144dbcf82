/**
 * How an option table is written down and put together. A table names every
 * spelling git accepts that we allow — exactly, because git's parse-options
 * expands abbreviations we did not vet — and says how each one takes its
 * value, because a table that gets the arity wrong lets a value pass as a
 * positional (or a path pass as free text).
 */
import type { ValueKind } from './options-values.js';

/**
 * How git 2.39 takes an option's value:
 * - `flag`: none; `--name=v` is an error in git and refused here.
 * - `required`: `--name=v` / `-xv`, or the next argument (`--name v` / `-x v`).
 * - `optional`: only attached (`--name=v` / `-xv`); git reads a following argument as a positional.
 * - `stuck`: only `--name=v`; the bare form is an error or means something we refuse.
 * - `lastArgDefault`: like `required`, but may be the last argument (git then uses `HEAD`).
 */
export type Arity = 'flag' | 'required' | 'optional' | 'stuck' | 'lastArgDefault';

/** One allowed spelling. */
export interface OptionSpec {
  readonly arity: Arity;
  /** What the value is and how it is policed; absent for flags. */
  readonly value?: ValueKind;
}

/** A family of options as one parser layer of git knows them, with the spellings we refuse and why. */
export interface OptionFamily {
  readonly options: ReadonlyMap<string, OptionSpec>;
  readonly refused: ReadonlyMap<string, string>;
}

/** A subcommand's complete allow-list, merged from its parser layers. */
export interface SubcommandTable {
  readonly options: ReadonlyMap<string, OptionSpec>;
  readonly refused: ReadonlyMap<string, string>;
  /** Whether `-abc` means `-a -b -c` (parse-options) or every short option is a whole argument (rev-parse). */
  readonly bundles: boolean;
  /** Whether `-<n>` means `--max-count=<n>` (revision.c). */
  readonly digits: boolean;
}

/** Spellings with the value kind they take, keyed by space-separated spellings: `{ '-U --unified': TEXT }`. */
type Valued = Readonly<Record<string, ValueKind>>;

/** The parts of a family, grouped by arity; `--[no-]name` also allows `--no-name` as a flag. */
export interface FamilyParts {
  readonly flags?: string;
  readonly required?: Valued;
  readonly optional?: Valued;
  readonly stuck?: Valued;
  readonly lastArgDefault?: Valued;
  readonly refused?: Readonly<Record<string, string>>;
}

function spellings(list: string): string[] {
  const out: string[] = [];
  for (const word of list.split(/\s+/)) {
    if (word === '') continue;
    if (word.startsWith('--[no-]')) out.push(`--${word.slice(7)}`, `--no-${word.slice(7)}`);
    else out.push(word);
  }
  return out;
}

function add(options: Map<string, OptionSpec>, spelling: string, spec: OptionSpec): void {
  if (options.has(spelling)) throw new Error(`option table lists ${spelling} twice`);
  options.set(spelling, spec);
}

/** Builds a family; a spelling listed twice is a table bug and throws at load time. */
export function family(parts: FamilyParts): OptionFamily {
  const options = new Map<string, OptionSpec>();
  for (const spelling of spellings(parts.flags ?? '')) add(options, spelling, { arity: 'flag' });
  const valued: ReadonlyArray<[Arity, Valued | undefined]> = [
    ['required', parts.required], ['optional', parts.optional], ['stuck', parts.stuck], ['lastArgDefault', parts.lastArgDefault],
  ];
  for (const [arity, group] of valued) {
    for (const [list, value] of Object.entries(group ?? {})) {
      for (const word of list.split(/\s+/)) {
        if (word === '') continue;
        const negatable = word.startsWith('--[no-]');
        const name = negatable ? `--${word.slice(7)}` : word;
        add(options, name, { arity, value });
        if (negatable) add(options, `--no-${word.slice(7)}`, { arity: 'flag' });
      }
    }
  }
  const refused = new Map<string, string>();
  for (const [list, why] of Object.entries(parts.refused ?? {})) {
    for (const spelling of spellings(list)) refused.set(spelling, why);
  }
  return { options, refused };
}

/**
 * Merges parser layers in the order git consults them: the first layer that
 * knows a spelling (allowing or refusing it) decides, as git's first parser
 * consumes the argument before the next one sees it.
 */
export function subcommandTable(layers: readonly OptionFamily[], shape: { bundles: boolean; digits: boolean }): SubcommandTable {
  const options = new Map<string, OptionSpec>();
  const refused = new Map<string, string>();
  for (const layer of layers) {
    for (const [spelling, spec] of layer.options) {
      if (!options.has(spelling) && !refused.has(spelling)) options.set(spelling, spec);
    }
    for (const [spelling, why] of layer.refused) {
      if (!options.has(spelling) && !refused.has(spelling)) refused.set(spelling, why);
    }
  }
  return { options, refused, ...shape };
}
