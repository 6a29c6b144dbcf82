/**
 * Diff options (diff.c `prep_parse_options`, git 2.39), shared by diff, log,
 * show and rev-list. git parses them with parse-options in one-shot mode with
 * unknown options kept, so they bundle (`-pR`) but are never abbreviated.
 * (`--no-ignore-matching-lines` is listed by git but hits a BUG() in 2.39.)
 */
import { family } from './options-syntax.js';
import { PATH, TEXT, oneOf } from './options-values.js';

/** Why each run-a-program, write-a-file or leave-the-repository option is refused. */
export const DIFF_REFUSALS = {
  '--output': 'it writes a file',
  '--ext-diff': 'it runs the external diff program that config or attributes name',
  '--textconv': 'it runs the textconv program that config and attributes name',
  '--no-index': 'it compares files outside the repository',
} as const;

/** The diff options; `--no-ext-diff`/`--no-textconv` are allowed and injected by the profile. */
export const DIFF_OPTIONS = family({
  flags: `
    -p --patch -u -s --no-patch -W --[no-]function-context --raw --patch-with-raw --patch-with-stat
    --numstat --shortstat --cumulative --check --summary --name-only --name-status --[no-]compact-summary
    --binary --[no-]full-index --no-color --no-prefix -z -D --irreversible-delete --[no-]find-copies-harder
    --no-renames --[no-]rename-empty --[no-]follow --[no-]minimal -w --ignore-all-space -b --ignore-space-change
    --ignore-space-at-eol --ignore-cr-at-eol --ignore-blank-lines --[no-]indent-heuristic --patience --histogram
    --no-color-moved --no-color-moved-ws --no-relative -a --[no-]text -R --[no-]exit-code --[no-]quiet
    --no-ext-diff --no-textconv --ita-invisible-in-index --ita-visible-in-index --pickaxe-all --pickaxe-regex
    --no-abbrev`,
  optional: {
    '-U --unified -X --dirstat --dirstat-by-file --stat --color --abbrev -B --break-rewrites -M --find-renames': TEXT,
    '-C --find-copies --word-diff --color-words --color-moved': TEXT,
    // a prefix of the paths shown; not opened, but policed like a path
    '--relative': PATH,
    // bare means "all"; none/untracked look into submodule work trees (and run git there)
    '--ignore-submodules': oneOf('dirty', 'all'),
  },
  required: {
    '--stat-width --stat-name-width --stat-graph-width --stat-count --ws-error-highlight': TEXT,
    '--src-prefix --dst-prefix --line-prefix --inter-hunk-context -l -I --ignore-matching-lines': TEXT,
    '--output-indicator-new --output-indicator-old --output-indicator-context': TEXT,
    '--diff-algorithm --anchored --word-diff-regex --color-moved-ws -S -G --find-object --diff-filter': TEXT,
    // the order file is read
    '-O': PATH,
    '--rotate-to --skip-to': PATH,
  },
  // bare --submodule means "log"; log and diff look into submodules (diff runs git there)
  stuck: { '--submodule': oneOf('short') },
  refused: DIFF_REFUSALS,
});
