/**
 * Commit formatting options (revision.c, git 2.39), shared by log, show,
 * rev-list, shortlog and blame. `--pretty` takes its value only attached
 * (revision.c: "Detached form not allowed, since the argument is optional");
 * `--format` only as `--format=…`.
 */
import { family } from './options-syntax.js';
import { PRETTY_FORMAT, TEXT } from './options-values.js';

/** How commits, dates, notes and the graph are shown. */
export const PRETTY_OPTIONS = family({
  flags: `
    --oneline --abbrev-commit --no-abbrev-commit --no-expand-tabs --no-notes --standard-notes --no-standard-notes
    --relative-date --log-size --graph --no-graph --encode-email-headers --no-encode-email-headers --no-abbrev
    --parents --children --left-right --always --root --no-commit-id -v --no-show-signature`,
  optional: {
    '--pretty': PRETTY_FORMAT,
    '--expand-tabs --notes --show-notes --show-linear-break --abbrev': TEXT,
  },
  required: { '--encoding --date': TEXT },
  stuck: { '--format': PRETTY_FORMAT },
});
