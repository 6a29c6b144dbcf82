/**
 * Revision-walk options (revision.c `handle_revision_opt`,
 * `handle_revision_pseudo_opt`, diff-merges.c; git 2.39), shared by log,
 * show, rev-list, shortlog and blame. revision.c matches whole arguments by
 * hand — no bundling, no abbreviation; `--name value` only where it calls
 * `parse_long_opt`, `--name=value` only where it calls `skip_prefix`.
 */
import { family } from './options-syntax.js';
import { TEXT, oneOf } from './options-values.js';

/** Why these revision options are refused. */
export const REVISION_REFUSALS = {
  '--alternate-refs': 'it runs core.alternateRefsCommand',
  '--remerge-diff': 'it re-merges each merge, running the merge drivers that config and attributes name, and writes objects',
  '--show-signature': 'it runs gpg.program to verify signatures',
} as const;

/** Walk, limit, grep and merge-diff options. */
export const REVISION_OPTIONS = family({
  flags: `
    --all --reflog --not --do-walk --bisect --indexed-objects --single-worktree --no-filter --stdin
    --first-parent --exclude-first-parent-only -g --walk-reflogs --merge --topo-order --date-order
    --author-date-order --simplify-merges --simplify-by-decoration --dense --sparse --in-commit-order
    --remove-empty --merges --no-merges --no-min-parents --no-max-parents --boundary --left-only --right-only
    --cherry --count --cherry-mark --cherry-pick --objects --objects-edge --objects-edge-aggressive
    --verify-objects --unpacked --reverse --ignore-missing --full-diff --show-pulls --full-history
    -r -t -E --extended-regexp -i --regexp-ignore-case -F --fixed-strings -P --perl-regexp --basic-regexp
    --all-match --invert-grep -m -c --cc --no-diff-merges --combined-all-paths`,
  optional: {
    '--branches --tags --remotes --ancestry-path --early-output': TEXT,
    '--no-walk': oneOf('sorted', 'unsorted'),
    '--no-kept-objects': oneOf('in-core', 'on-disk'),
  },
  required: {
    '-n --max-count --skip --max-age --min-age --since --since-as-filter --after --before --until': TEXT,
    '--author --committer --grep-reflog --grep --default --glob --exclude': TEXT,
    '--exclude-hidden': oneOf('fetch', 'receive', 'uploadpack'),
    // remerge (r) re-merges; see REVISION_REFUSALS
    '--diff-merges': oneOf('off', 'none', 'on', 'm', 'first-parent', '1', 'separate', 'combined', 'c', 'dense-combined', 'cc'),
  },
  stuck: { '--min-parents --max-parents --filter': TEXT },
  refused: REVISION_REFUSALS,
});
