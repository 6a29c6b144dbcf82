/**
 * The options each history command parses itself before (or after) handing
 * the rest to revision.c (git 2.39). These layers come first in their
 * subcommand's table: `blame -n` is blame's "show line numbers", never
 * revision.c's `-n <count>`, because blame's parser sees it first.
 */
import { family } from './options-syntax.js';
import { LINE_RANGE, PATH_FROM_TOP, PRETTY_FORMAT, TEXT, oneOf } from './options-values.js';

/**
 * log and show (builtin/log.c `cmd_log_init_finish`): parse-options with
 * unknown options kept, so never abbreviated; `-L` reads its file from the
 * commit, named relative to cwd.
 */
export const LOG_OPTIONS = family({
  flags: `
    -q --quiet --no-quiet --[no-]source --[no-]use-mailmap --[no-]mailmap --clear-decorations
    --no-decorate-refs --no-decorate-refs-exclude --no-decorate`,
  optional: { '--decorate': TEXT },
  required: { '--decorate-refs --decorate-refs-exclude': TEXT, '-L': LINE_RANGE },
});

/**
 * diff (builtin/diff.c): what is left after setup_revisions, plus the
 * revision.c options that shape a diff. Any path outside the work tree turns
 * diff into `--no-index`, which is why positionals are policed.
 */
export const DIFF_COMMAND_OPTIONS = family({
  flags: '--cached --staged --merge-base --base --ours --theirs -q -r -t -c --cc -m',
});

/** rev-list (builtin/rev-list.c): its own loop over what setup_revisions left. */
export const REV_LIST_OPTIONS = family({
  flags: `
    --header --timestamp --bisect-all --bisect-vars --use-bitmap-index --filter-provided-objects
    --filter-print-omitted --object-names --no-object-names --commit-header --no-commit-header --exclude-promisor-objects`,
  optional: { '--disk-usage': oneOf('human') },
  stuck: { '--progress': TEXT, '--missing': oneOf('error', 'allow-any', 'allow-promisor', 'print') },
});

/**
 * shortlog (builtin/shortlog.c): parse-options first, then revision.c for
 * what it does not know. `--group=format:…` (or any value with `%`) is a
 * pretty format.
 */
export const SHORTLOG_OPTIONS = family({
  flags: '-c --[no-]committer -n --[no-]numbered -s --[no-]summary -e --[no-]email --no-group',
  optional: { '-w': TEXT },
  required: { '--group': PRETTY_FORMAT },
});

/**
 * blame (builtin/blame.c): parse-options first, then revision.c. `-S`,
 * `--contents` and `--ignore-revs-file` are opened from the top of the work
 * tree (blame runs after git chdir()s there), not from cwd. `--no-textconv`
 * (diff.c, reached through revision.c) is the one diff option blame needs.
 */
export const BLAME_OPTIONS = family({
  flags: `
    --[no-]incremental -b --[no-]root --[no-]show-stats --[no-]progress --[no-]score-debug -f --[no-]show-name
    -n --[no-]show-number -p --[no-]porcelain --[no-]line-porcelain -c -t -l -s -e --[no-]show-email -w
    --no-ignore-rev --no-ignore-revs-file --[no-]color-lines --[no-]color-by-age --[no-]minimal --no-contents
    --no-abbrev --no-textconv`,
  optional: { '-C -M --abbrev': TEXT },
  required: { '--ignore-rev -L': TEXT, '--ignore-revs-file -S --contents': PATH_FROM_TOP },
});
