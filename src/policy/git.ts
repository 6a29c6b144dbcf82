/**
 * A ready-made argument policy for git, and the shape of one for any binary
 * with subcommands. git can be talked into running arbitrary programs through
 * its own options (`-c core.sshCommand=…`, `--upload-pack=…`, `--exec=…`,
 * `--ext-diff`), into writing files (`--output=…`) or into reading files
 * outside the repository (`diff --no-index`, `blame --contents`); these are refused.
 */

/** Options of git that execute a program, redirect the repository or write files. */
export const GIT_DANGEROUS_OPTIONS: readonly string[] = [
  '-c', '--config-env', '--exec-path', '-C', '--git-dir', '--work-tree', '--namespace', '--super-prefix',
  '--upload-pack', '--receive-pack', '--exec', '-u', '--output', '--ext-diff', '--open-files-in-pager', '-O',
  '--run', '--template', '--separate-git-dir', '--config',
  // these read files outside the repository (and so outside the root)
  '--no-index', '--contents',
];

/** Read-only subcommands allowed by {@link gitReadOnly}. */
export const GIT_READ_ONLY_SUBCOMMANDS: readonly string[] = [
  'status', 'log', 'diff', 'show', 'rev-parse', 'ls-files', 'blame', 'shortlog', 'describe', 'rev-list',
  'for-each-ref', 'merge-base', 'cat-file', 'ls-tree', 'name-rev', 'version',
];

function matchesOption(arg: string, option: string): boolean {
  if (option.startsWith('--')) {
    if (!arg.startsWith('--')) return false;
    // git accepts any unambiguous abbreviation (`--upload-pa=…`), so a prefix is as good as the name
    const name = arg.slice(2).split('=', 1)[0] ?? '';
    return name.length > 0 && option.slice(2).startsWith(name);
  }
  // short options may glue their value on: `-cfoo`
  return arg.startsWith(option) && !arg.startsWith('--');
}

/**
 * Builds a predicate for `binaries.git.args`: the first argument must be one
 * of `subcommands` (so no global option can precede it) and no argument may be
 * a dangerous option. Arguments after `--` are paths and are not inspected.
 */
export function gitPolicy(subcommands: readonly string[]): (args: readonly string[]) => true | string {
  return (args) => {
    const [subcommand, ...rest] = args;
    if (subcommand === undefined) return 'a git subcommand is required';
    if (!subcommands.includes(subcommand)) return `git subcommand ${JSON.stringify(subcommand)} is not allowed (allowed: ${subcommands.join(', ')})`;
    for (const arg of rest) {
      if (arg === '--') break;
      const option = GIT_DANGEROUS_OPTIONS.find((candidate) => matchesOption(arg, candidate));
      if (option !== undefined) return `git option ${JSON.stringify(arg)} is not allowed (${option} can run programs or write files)`;
    }
    return true;
  };
}

/** `status`, `log`, `diff` and other read-only subcommands, with dangerous options refused. */
export const gitReadOnly = gitPolicy(GIT_READ_ONLY_SUBCOMMANDS);
