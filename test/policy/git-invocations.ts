/**
 * What a git TUI, an editor or an agent runs: the invocations the git
 * profile must accept, shared by the table test and the real-git test (which
 * runs each one on a repository that has `src/x.ts`, `order.txt`,
 * `inside.txt`, `file`, `README.md`, a branch `main` and two commits).
 */
export const COMMON_GIT_INVOCATIONS: readonly (readonly string[])[] = [
  ['status', '--porcelain=v2', '-z', '--branch'],
  ['status', '-sb', '--untracked-files=all', '--', 'src'],
  ['log', '--format=%H%x00%s', '-n', '50', '--date=iso-strict'],
  ['log', '--oneline', '--graph', '--decorate', '-20', '--all'],
  ['log', '--grep=/api/', '--author', 'Ann', '--since', '2 weeks ago'],
  ['log', '-S/usr/bin', '-p', '--follow', '--', 'src/x.ts'],
  ['log', '-L1,1:src/x.ts', '--no-patch'],
  ['diff', '--cached', '--stat'],
  ['diff', 'HEAD~1..HEAD', '--', 'src'],
  ['diff', '-U5', '--color=always', '--word-diff=color', 'HEAD~1'],
  ['diff', '-Oorder.txt', '--name-status', '-M50%', 'HEAD~1'],
  ['show', '--name-status', 'HEAD'],
  ['show', '-pOorder.txt', 'HEAD:src/x.ts'],
  ['blame', '-L', '10,20', '--porcelain', 'file'],
  ['blame', '--contents', 'inside.txt', 'file'],
  ['rev-parse', '--show-toplevel', '--abbrev-ref', 'HEAD'],
  ['rev-parse', '--git-dir', '--is-inside-work-tree', '--short=12', 'HEAD'],
  ['for-each-ref', '--format=%(refname)', 'refs/heads'],
  ['for-each-ref', '--sort=-committerdate', '--count', '10', '--merged'],
  ['cat-file', '-p', 'HEAD:README.md'],
  ['cat-file', '--batch-check=%(objectname) %(objecttype)', '--batch-all-objects'],
  ['ls-tree', '-r', '-z', '--name-only', 'HEAD'],
  ['ls-files', '-z', '--others', '--exclude-standard'],
  ['ls-files', '--exclude-from=.gitignore', '--exclude-per-directory=.gitignore', '-io'],
  ['shortlog', '-sne', 'HEAD'],
  ['describe', '--tags', '--always', '--abbrev=7'],
  ['rev-list', '--count', '--left-right', 'HEAD...main'],
  ['merge-base', '--is-ancestor', 'HEAD', 'main'],
  ['name-rev', '--name-only', '--tags', 'HEAD'],
  ['version', '--build-options'],
];
