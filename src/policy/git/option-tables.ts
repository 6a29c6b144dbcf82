/**
 * Which option families make up each policed subcommand, in the order git's
 * parsers see an argument, and which options the profile injects. Anything a
 * table does not name is refused; the refusal maps only say why.
 */
import { DIFF_OPTIONS, DIFF_REFUSALS } from './options-diff.js';
import { BLAME_OPTIONS, DIFF_COMMAND_OPTIONS, LOG_OPTIONS, REV_LIST_OPTIONS, SHORTLOG_OPTIONS } from './options-history.js';
import {
  CAT_FILE_OPTIONS, DESCRIBE_OPTIONS, FOR_EACH_REF_OPTIONS, LS_TREE_OPTIONS, MERGE_BASE_OPTIONS, NAME_REV_OPTIONS,
  REV_PARSE_OPTIONS, VERSION_OPTIONS,
} from './options-objects.js';
import { PRETTY_OPTIONS } from './options-pretty.js';
import { REVISION_OPTIONS, REVISION_REFUSALS } from './options-revision.js';
import { subcommandTable, type SubcommandTable } from './options-syntax.js';
import { LS_FILES_OPTIONS, STATUS_OPTIONS } from './options-worktree.js';

/** parse-options commands bundle short options; revision.c commands also read `-<n>` as a count. */
const PARSE_OPTIONS = { bundles: true, digits: false };
const REVISION_WALK = { bundles: true, digits: true };

const LOG = subcommandTable([LOG_OPTIONS, REVISION_OPTIONS, PRETTY_OPTIONS, DIFF_OPTIONS], REVISION_WALK);

/** Every subcommand that has a table. */
export const GIT_OPTION_TABLES: ReadonlyMap<string, SubcommandTable> = new Map([
  ['status', subcommandTable([STATUS_OPTIONS], PARSE_OPTIONS)],
  ['log', LOG],
  // show is log with other defaults (builtin/log.c cmd_show → cmd_log_init)
  ['show', LOG],
  ['diff', subcommandTable([DIFF_OPTIONS, DIFF_COMMAND_OPTIONS], REVISION_WALK)],
  ['rev-list', subcommandTable([REVISION_OPTIONS, PRETTY_OPTIONS, DIFF_OPTIONS, REV_LIST_OPTIONS], REVISION_WALK)],
  ['shortlog', subcommandTable([SHORTLOG_OPTIONS, REVISION_OPTIONS, PRETTY_OPTIONS], REVISION_WALK)],
  ['blame', subcommandTable([BLAME_OPTIONS, REVISION_OPTIONS, PRETTY_OPTIONS], REVISION_WALK)],
  ['rev-parse', subcommandTable([REV_PARSE_OPTIONS], { bundles: false, digits: false })],
  ['ls-files', subcommandTable([LS_FILES_OPTIONS], PARSE_OPTIONS)],
  ['ls-tree', subcommandTable([LS_TREE_OPTIONS], PARSE_OPTIONS)],
  ['cat-file', subcommandTable([CAT_FILE_OPTIONS], PARSE_OPTIONS)],
  ['for-each-ref', subcommandTable([FOR_EACH_REF_OPTIONS], PARSE_OPTIONS)],
  ['describe', subcommandTable([DESCRIBE_OPTIONS], PARSE_OPTIONS)],
  ['name-rev', subcommandTable([NAME_REV_OPTIONS], PARSE_OPTIONS)],
  ['merge-base', subcommandTable([MERGE_BASE_OPTIONS], PARSE_OPTIONS)],
  ['version', subcommandTable([VERSION_OPTIONS], PARSE_OPTIONS)],
]);

const REDIRECTS = 'it points git at another repository, work tree or namespace';

/** Why well-known dangerous long options are refused wherever a table does not say otherwise. */
export const GLOBAL_REFUSALS: ReadonlyMap<string, string> = new Map(Object.entries({
  ...DIFF_REFUSALS,
  ...REVISION_REFUSALS,
  '--git-dir': REDIRECTS, '--work-tree': REDIRECTS, '--namespace': REDIRECTS, '--super-prefix': REDIRECTS,
  '--separate-git-dir': REDIRECTS, '--exec-path': 'it chooses the directory git runs its programs from',
  '--template': 'it copies files from a template directory', '--config-env': 'it injects configuration',
  '--config': 'it injects configuration', '--help': 'it launches man or a web browser', '--paginate': 'it runs a pager',
  '--open-files-in-pager': 'it runs a pager or editor', '--output-directory': 'it writes files',
  '--recurse-submodules': 'it recurses into submodules', '--upload-pack': 'it runs a program',
  '--receive-pack': 'it runs a program', '--exec': 'it runs a program',
}));

const NO_DRIVERS = ['--no-ext-diff', '--no-textconv'];
const HISTORY = Object.freeze([...NO_DRIVERS, '--submodule=short', '--no-show-signature']);

/**
 * Put right after the subcommand so config and attributes cannot make git run
 * a diff driver, textconv or gpg, or look into submodule work trees.
 */
export const INJECTED_OPTIONS: ReadonlyMap<string, readonly string[]> = new Map([
  ['diff', Object.freeze([...NO_DRIVERS, '--ignore-submodules=dirty', '--submodule=short'])],
  ['log', HISTORY],
  ['show', HISTORY],
  ['rev-list', Object.freeze(['--no-textconv'])],
  ['blame', Object.freeze(['--no-textconv'])],
  ['status', Object.freeze(['--ignore-submodules=dirty'])],
]);
