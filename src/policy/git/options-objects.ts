/**
 * Options of the commands that read objects and refs (git 2.39): cat-file,
 * ls-tree, for-each-ref, describe, name-rev, merge-base and version use
 * parse-options; rev-parse matches whole arguments by hand (builtin/rev-parse.c)
 * and passes any other `-…` through as output, so it never bundles.
 */
import { family } from './options-syntax.js';
import { PATH_FROM_TOP, TEXT, oneOf } from './options-values.js';

/** rev-parse; its `--git-dir` is a query, not git's global `--git-dir=<path>`. */
export const REV_PARSE_OPTIONS = family({
  flags: `
    --revs-only --no-revs --flags --no-flags --verify -q --quiet --sq --not --symbolic --symbolic-full-name --all
    --bisect --show-toplevel --show-superproject-working-tree --show-prefix --show-cdup --git-dir
    --absolute-git-dir --git-common-dir --is-inside-git-dir --is-inside-work-tree --is-bare-repository
    --is-shallow-repository --shared-index-path --local-env-vars`,
  optional: {
    '--short --branches --tags --remotes': TEXT,
    '--abbrev-ref': oneOf('strict', 'loose'),
    '--show-object-format': oneOf('storage', 'input', 'output'),
  },
  stuck: {
    '--path-format': oneOf('absolute', 'relative'),
    '--disambiguate --glob --exclude --exclude-hidden --since --after --before --until': TEXT,
  },
  // --git-path only prints a path inside .git; --resolve-git-dir looks into the directory it names, from
  // cwd when it comes first and from the top of the work tree after any other argument
  required: { '--default --git-path -n': TEXT, '--resolve-git-dir': PATH_FROM_TOP },
  refused: { '--prefix': 'it changes the directory later paths are read from, so they could not be checked' },
});

/** cat-file. */
export const CAT_FILE_OPTIONS = family({
  flags: `
    -e -p -t -s --[no-]allow-unknown-type --[no-]use-mailmap --[no-]mailmap -z --batch-all-objects --[no-]buffer
    --[no-]follow-symlinks --[no-]unordered --no-path`,
  optional: { '--batch --batch-check --batch-command': TEXT },
  refused: {
    '--textconv': 'it runs the textconv program that config and attributes name',
    '--filters': 'it runs the filter programs that config and attributes name',
    '--path': 'it only names the path for --textconv and --filters',
  },
});

/** ls-tree. */
export const LS_TREE_OPTIONS = family({
  flags: '-d -r -t -z -l --long --name-only --name-status --object-only --[no-]full-name --[no-]full-tree --no-abbrev',
  optional: { '--abbrev': TEXT },
  required: { '--format': TEXT },
});

/** for-each-ref; `--merged`, `--contains` and their opposites default to HEAD when last. */
export const FOR_EACH_REF_OPTIONS = family({
  flags: '-s --[no-]shell -p --[no-]perl --[no-]python --[no-]tcl --no-count --no-format --no-color --no-sort --no-points-at --[no-]ignore-case',
  optional: { '--color': TEXT },
  required: { '--count --format --sort --points-at': TEXT },
  lastArgDefault: { '--merged --no-merged --contains --no-contains': TEXT },
});

/** describe. */
export const DESCRIBE_OPTIONS = family({
  flags: `
    --[no-]contains --[no-]debug --[no-]all --[no-]tags --[no-]long --[no-]first-parent --[no-]exact-match
    --[no-]always --no-candidates --no-match --no-exclude --no-abbrev --no-dirty --no-broken`,
  optional: { '--abbrev': TEXT },
  required: { '--candidates --match --exclude': TEXT },
  refused: {
    '--dirty': 'it refreshes and rewrites the index and looks into submodule work trees (running git status there)',
    '--broken': 'it runs git diff-index, which looks into submodule work trees',
  },
});

/** name-rev. */
export const NAME_REV_OPTIONS = family({
  flags: `
    --[no-]name-only --[no-]tags --no-refs --no-exclude --[no-]all --[no-]stdin --[no-]annotate-stdin
    --[no-]undefined --[no-]always --[no-]peel-tag`,
  required: { '--refs --exclude': TEXT },
});

/** merge-base. */
export const MERGE_BASE_OPTIONS = family({ flags: '-a --[no-]all --octopus --independent --is-ancestor --fork-point' });

/** version. */
export const VERSION_OPTIONS = family({ flags: '--[no-]build-options' });
