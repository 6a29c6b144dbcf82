/**
 * Options of the commands that look at the work tree and the index: status
 * (builtin/commit.c) and ls-files (git 2.39). Both use parse-options, which
 * would accept abbreviations; the tables hold exact names only.
 */
import { family } from './options-syntax.js';
import { FILE_NAME, PATH_FROM_TOP, TEXT, oneOf } from './options-values.js';

const SUBMODULE_STATUS = 'git then runs git status inside each submodule work tree';

/** status; the profile injects `--ignore-submodules=dirty`. */
export const STATUS_OPTIONS = family({
  flags: `
    --no-verbose -s --[no-]short -b --[no-]branch --[no-]show-stash --[no-]ahead-behind --no-porcelain
    --[no-]long -z --[no-]null --no-untracked-files --no-ignored --no-column --no-renames --renames`,
  optional: {
    '--porcelain': oneOf('v1', 'v2'),
    '-u --untracked-files': oneOf('no', 'normal', 'all'),
    '--ignored': oneOf('traditional', 'matching', 'no'),
    '--ignore-submodules': oneOf('dirty', 'all'),
    '--column -M --find-renames': TEXT,
  },
  refused: {
    '-v --verbose': 'it shows the staged diff, running the textconv programs that config and attributes name',
    '--no-ignore-submodules': `it cancels the injected --ignore-submodules=dirty, and ${SUBMODULE_STATUS}`,
  },
});

/** ls-files; `-X` is read from the top of the work tree, `--exclude-per-directory` in every directory. */
export const LS_FILES_OPTIONS = family({
  flags: `
    -z -t -v -f -c --[no-]cached -d --[no-]deleted -m --[no-]modified -o --[no-]others -i --[no-]ignored
    -s --[no-]stage -k --[no-]killed --[no-]directory --[no-]eol --[no-]empty-directory -u --[no-]unmerged
    --[no-]resolve-undo --exclude-standard --full-name --[no-]error-unmatch --no-with-tree --no-abbrev
    --[no-]debug --[no-]deduplicate --[no-]sparse --no-exclude-per-directory --no-recurse-submodules`,
  optional: { '--abbrev': TEXT },
  required: {
    '-x --exclude --with-tree --format': TEXT,
    '-X --exclude-from': PATH_FROM_TOP,
    '--exclude-per-directory': FILE_NAME,
  },
  refused: { '--recurse-submodules': 'it lists inside submodules' },
});
