import { rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkGitArguments, GIT_POLICED_SUBCOMMANDS, GIT_READ_ONLY_SUBCOMMANDS, injectedOptions, type GitArgsContext,
} from '../../src/policy/git/arguments.js';
import { GIT_OPTION_TABLES } from '../../src/policy/git/option-tables.js';
import { COMMON_GIT_INVOCATIONS } from './git-invocations.js';
import { rootBesideOutside } from './git-sandbox.js';

/*
 * Layout (all real directories):
 *   <base>/outside/secret.txt, <base>/outside/order.txt
 *   <base>/root/{inside.txt,order.txt,file,src/x.ts,name.txt -> ../outside/secret.txt}
 *   <base>/root/out -> ../outside          (a symlink out of the root)
 *   <base>/root/sub/{name.txt,inside.txt}  (cwd for the top-of-work-tree cases)
 */
let base: string;
let root: string;
let outside: string;
let atRoot: GitArgsContext;
let inSub: GitArgsContext;
const ALL = new Set(GIT_READ_ONLY_SUBCOMMANDS);

beforeAll(() => {
  ({ base, root, outside } = rootBesideOutside('jobhost-git-args-'));
  for (const file of ['inside.txt', 'order.txt', 'file', 'src/x.ts', 'sub/name.txt', 'sub/inside.txt']) writeFileSync(join(root, file), 'x\n');
  writeFileSync(join(outside, 'secret.txt'), 'secret\n');
  writeFileSync(join(outside, 'order.txt'), 'b\na\n');
  symlinkSync('../outside', join(root, 'out'));
  symlinkSync('../outside/secret.txt', join(root, 'name.txt'));
  atRoot = { root, cwd: root };
  inSub = { root, cwd: join(root, 'sub') };
});

afterAll(() => rmSync(base, { recursive: true, force: true }));

function check(args: readonly string[], context: GitArgsContext = atRoot): string | null {
  return checkGitArguments(args, ALL, context);
}

/** The refusal reason, or a test failure when `args` are allowed. */
function refusal(args: readonly string[], context: GitArgsContext = atRoot): string {
  const reason = check(args, context);
  expect(reason, `expected ${JSON.stringify(args)} to be refused`).not.toBeNull();
  return reason as string;
}

describe('subcommand', () => {
  it('is required, exact and allowed; nothing may precede it', () => {
    expect(refusal([])).toContain('subcommand is required');
    expect(refusal(['Log'])).toContain('"Log" is not allowed');
    // global options (and a global -p for the pager) can only come before the subcommand
    for (const global of ['-c', '-C', '--git-dir=/tmp', '-p', '--exec-path=/tmp', '--config-env=a=b', '--paginate']) {
      expect(refusal([global, 'log'])).toContain('is not allowed');
    }
    expect(checkGitArguments(['log'], new Set(['status']), atRoot)).toContain('allowed: status');
  });

  it('refuses an allowed subcommand that has no option table', () => {
    expect(checkGitArguments(['push'], new Set(['push']), atRoot)).toContain('has no option table');
  });

  it('polices the 16 read-only subcommands and injects only options the tables allow', () => {
    expect(GIT_READ_ONLY_SUBCOMMANDS).toHaveLength(16);
    for (const subcommand of GIT_READ_ONLY_SUBCOMMANDS) {
      expect(GIT_POLICED_SUBCOMMANDS).toContain(subcommand);
      expect(check([subcommand, ...injectedOptions(subcommand)])).toBeNull();
    }
    expect(injectedOptions('diff')).toEqual(expect.arrayContaining(['--no-ext-diff', '--no-textconv', '--ignore-submodules=dirty']));
    expect(injectedOptions('blame')).toEqual(['--no-textconv']);
    expect(injectedOptions('merge-base')).toEqual([]);
  });
});

const COMMON_INVOCATIONS = COMMON_GIT_INVOCATIONS;

describe('common invocations', () => {
  it.each(COMMON_INVOCATIONS.map((args) => [args.join(' '), args] as const))('accepts %s', (_, args) => {
    expect(check(args)).toBeNull();
  });

  it('accepts absolute-looking free text: patterns, pickaxe strings, dates', () => {
    expect(check(['log', '--grep', '/etc/passwd', '-S', '/usr/bin', '--author=/x/'])).toBeNull();
  });
});

describe('bundled short options hiding a path value', () => {
  it.each([
    [['show', '-pO/etc/passwd']],
    [['show', '-pO', '/etc/passwd']],
    [['diff', '-RpO/etc/passwd']],
    [['log', '-RpO', '../../outside/order.txt']],
    [['log', '-qO/etc/passwd']],
    [['diff', '-O', 'out/order.txt']],
    [['diff', '-Oout/order.txt']],
  ])('refuses %j', (args) => {
    expect(refusal(args)).toMatch(/leads outside the root/);
  });

  it('quotes the whole bundle and the value, as the brief asks', () => {
    expect(refusal(['show', '-pO/etc/passwd'])).toBe(
      'git option "-pO/etc/passwd" is not allowed: its value "/etc/passwd" leads outside the root (/etc/passwd)',
    );
  });

  it('accepts order files inside the root', () => {
    expect(check(['diff', '-Oorder.txt'])).toBeNull();
    expect(check(['show', '-pO', 'order.txt', 'HEAD'])).toBeNull();
    expect(check(['log', '-Rp', '-Osrc/x.ts'])).toBeNull();
  });

  it('refuses a bundle with any unknown letter', () => {
    expect(refusal(['log', '-pZ'])).toContain('switch -Z');
    expect(refusal(['status', '-sj'])).toContain('switch -j');
  });

  it('reads rev-parse short options only as whole arguments', () => {
    expect(check(['rev-parse', '-q', '--verify', 'HEAD'])).toBeNull();
    expect(check(['rev-parse', '-n5', '-n', '5'])).toBeNull();
    expect(refusal(['rev-parse', '-qn5'])).toContain('only as a whole argument');
  });
});

describe('long options', () => {
  it('refuses writing a file in every spelling', () => {
    for (const args of [['diff', '--output=x'], ['diff', '--output', 'x'], ['log', '-p', '--output=/tmp/x']]) {
      expect(refusal(args)).toContain('it writes a file');
    }
  });

  it('refuses abbreviations, even of allowed options', () => {
    expect(refusal(['diff', '--outp=x'])).toContain('abbreviations are refused');
    expect(refusal(['diff', '--no-ind', 'a', 'b'])).toContain('abbreviates --no-index');
    expect(refusal(['diff', '--cach'])).toContain('abbreviates --cached');
    expect(refusal(['status', '--porc'])).toContain('abbreviations are refused');
  });

  it('takes a required value attached or from the next argument, and checks it either way', () => {
    expect(check(['blame', '--contents', 'inside.txt', 'file'])).toBeNull();
    expect(check(['blame', '--contents=inside.txt', 'file'])).toBeNull();
    expect(refusal(['blame', '--contents', '/etc/passwd', 'file'])).toContain('leads outside the root (/etc/passwd)');
    expect(refusal(['blame', '--contents=out/secret.txt', 'file'])).toContain(`leads outside the root (${outside}/secret.txt)`);
    expect(refusal(['log', '--author'])).toContain('it needs a value');
  });

  it('gives an optional value only attached: a following argument is a positional', () => {
    // git reads `--pretty /etc/passwd` as --pretty plus a revision/path, so it is checked as a path
    expect(refusal(['log', '--pretty', '/etc/passwd'])).toContain('git argument "/etc/passwd"');
    expect(refusal(['diff', '-U', '/etc/passwd'])).toContain('git argument "/etc/passwd"');
    expect(check(['log', '--pretty', 'HEAD'])).toBeNull();
  });

  it('needs --format=<value> attached, as revision.c does', () => {
    expect(refusal(['log', '--format', '%H'])).toContain('--format=<value>');
  });

  it('refuses a value for a flag', () => {
    expect(refusal(['diff', '--cached=yes'])).toContain('takes no value');
  });

  it('refuses a next-argument value that looks like an option (parsers disagree on it)', () => {
    expect(refusal(['log', '--author', '-L1,1:/etc/passwd'])).toContain('looks like an option');
    expect(refusal(['diff', '-O', '--no-index', 'a', 'b'])).toContain('looks like an option');
    expect(refusal(['log', '--grep', '--', '/etc/passwd'])).toContain('looks like an option');
    expect(check(['log', '--author=-L1,1:x'])).toBeNull();
  });

  it('accepts --for-each-ref --merged as the last argument (git defaults it to HEAD)', () => {
    expect(check(['for-each-ref', '--contains'])).toBeNull();
    expect(check(['for-each-ref', '--no-merged', 'main', 'refs/heads'])).toBeNull();
  });
});

describe('--no-index, explicit and implicit', () => {
  it.each([
    [['diff', '--no-index', 'inside.txt', 'file'], 'compares files outside the repository'],
    [['diff', '/etc/passwd', '/dev/null'], 'leads outside the root (/etc/passwd)'],
    [['diff', '--', '/etc/passwd', '/dev/null'], 'leads outside the root (/etc/passwd)'],
    [['diff', 'inside.txt', '../outside/secret.txt'], 'leads outside the root'],
    [['diff', 'inside.txt', 'out/secret.txt'], 'leads outside the root'],
    [['diff', '--end-of-options', '--no-index', 'a', 'b'], 'after --end-of-options'],
  ])('refuses %j', (args, why) => {
    expect(refusal(args)).toContain(why);
  });
});

describe('paths through symlinks and ..', () => {
  it('refuses positionals that lead out', () => {
    expect(refusal(['blame', '../../secret'])).toContain('leads outside the root');
    expect(refusal(['log', '--', 'out/secret.txt'])).toContain(`(${outside}/secret.txt)`);
    expect(refusal(['ls-files', 'out/missing/deeper'])).toContain(`(${outside}/missing/deeper)`);
  });

  it('refuses ".." after a directory name, which the kernel resolves from the link target', () => {
    expect(refusal(['diff', '-Oout/../order.txt'])).toContain('".." after a directory name');
    expect(refusal(['log', '--', 'src/../inside.txt'])).toContain('".." after a directory name');
    expect(check(['log', '--', '../sub/inside.txt'], inSub)).toBeNull();
  });

  it('checks values git opens from the top of the work tree from every directory up to the root', () => {
    // from sub, git blame reads --contents name.txt as <top>/name.txt, a symlink out of the root
    expect(refusal(['blame', '--contents', 'name.txt', 'name.txt'], inSub)).toContain(`(${outside}/secret.txt)`);
    expect(refusal(['blame', '--contents', '../inside.txt', 'inside.txt'], inSub)).toContain('leads outside the root');
    expect(check(['blame', '--contents', 'inside.txt', 'inside.txt'], inSub)).toBeNull();
    expect(refusal(['ls-files', '-i', '-c', '-X', 'name.txt'], inSub)).toContain(`(${outside}/secret.txt)`);
    // diff's -O is opened from cwd (OPT_FILENAME), so .. from a subdirectory may reach the root
    expect(check(['diff', '-O../order.txt'], inSub)).toBeNull();
    expect(refusal(['diff', '-O../../outside/order.txt'], inSub)).toContain('leads outside the root');
  });

  it('checks the file of log -L', () => {
    expect(check(['log', '-L', '/re:gex/,+3:src/x.ts'])).toBeNull();
    expect(check(['log', '-L:main\\:x:src/x.ts'])).toBeNull();
    expect(refusal(['log', '-L', '1,5:../../outside'])).toContain('names the file "../../outside"');
    expect(refusal(['log', '-L:main:out/secret.txt'])).toContain('leads outside the root');
    expect(refusal(['log', '-L', '1,5'])).toContain('is not <start>,<end>:<file>');
  });

  it('refuses other path values that lead out', () => {
    expect(refusal(['ls-files', '-X', 'out/secret.txt'])).toContain('leads outside the root');
    expect(refusal(['ls-files', '--exclude-per-directory=../x'])).toContain('file name without a directory');
    expect(refusal(['rev-parse', '--resolve-git-dir', '/etc'])).toContain('leads outside the root (/etc)');
    expect(refusal(['blame', '-S', '/etc/passwd', 'file'])).toContain('leads outside the root');
    expect(refusal(['blame', '--ignore-revs-file=out/secret.txt', 'file'])).toContain('leads outside the root');
  });
});

describe('--end-of-options and --', () => {
  it('refuses anything option-like after --end-of-options', () => {
    expect(refusal(['log', '--end-of-options', '--output=x'])).toContain('after --end-of-options');
    expect(check(['log', '--end-of-options', 'HEAD'])).toBeNull();
  });

  it('treats everything after -- as a path', () => {
    expect(check(['log', '--', '--output=x', '-c'])).toBeNull();
    expect(check(['log', '--end-of-options', 'HEAD', '--', '-weird'])).toBeNull();
    expect(refusal(['log', '--', '/etc/passwd'])).toContain('leads outside the root (/etc/passwd)');
    expect(refusal(['status', '--', '../outside'])).toContain('leads outside the root');
  });
});

describe('refuses every dangerous class', () => {
  it.each([
    // runs a program, or lets config or attributes choose one
    [['diff', '--ext-diff'], 'external diff'],
    [['log', '-p', '--textconv'], 'textconv'],
    [['cat-file', '--textconv', 'HEAD:file'], 'textconv'],
    [['cat-file', '--filters', 'HEAD:file'], 'filter programs'],
    [['log', '--alternate-refs'], 'core.alternateRefsCommand'],
    [['log', '--help'], 'man or a web browser'],
    [['status', '--paginate'], 'pager'],
    [['log', '--show-signature'], 'gpg'],
    [['log', '--format=%H %G?'], 'gpg'],
    [['log', '--pretty=tformat:%+GS'], 'gpg'],
    [['log', '--format=%(describe:tags)'], 'git describe'],
    [['shortlog', '--group=format:%GS', 'HEAD'], 'gpg'],
    [['log', '--remerge-diff'], 'merge drivers'],
    [['log', '--diff-merges=remerge'], 'is not one of'],
    [['status', '-v'], 'textconv'],
    [['status', '--verbose'], 'textconv'],
    // writes files
    [['log', '--output-directory=x'], 'writes files'],
    [['describe', '--dirty'], 'rewrites the index'],
    // redirects the repository or namespace
    [['log', '--git-dir=/tmp'], 'another repository'],
    [['status', '--work-tree=/tmp'], 'another repository'],
    [['log', '--namespace=x'], 'another repository'],
    [['log', '--super-prefix=x'], 'another repository'],
    [['log', '--exec-path=/tmp'], 'runs its programs'],
    [['status', '-C', '/tmp'], 'switch -C'],
    [['log', '--separate-git-dir=x'], 'another repository'],
    [['log', '--template=x'], 'template'],
    // recurses into submodules
    [['ls-files', '--recurse-submodules'], 'submodules'],
    [['diff', '--submodule=log'], 'is not one of short'],
    [['diff', '--submodule=diff'], 'is not one of short'],
    [['diff', '--submodule'], '--submodule=<value>'],
    [['diff', '--ignore-submodules=none'], 'is not one of dirty, all'],
    [['status', '--ignore-submodules=untracked'], 'is not one of dirty, all'],
    [['status', '--no-ignore-submodules'], 'cancels the injected'],
    [['describe', '--broken'], 'diff-index'],
    // config injection
    [['status', '-c', 'core.fsmonitor=x'], 'switch -c'],
    [['log', '--config-env=a=b'], 'injects configuration'],
    [['log', '--config=x'], 'injects configuration'],
    // changes how later paths are interpreted
    [['rev-parse', '--prefix', 'x', 'HEAD'], 'changes the directory'],
    // unknown
    [['log', '--frobnicate'], 'not in the allow-list for git log'],
    [['merge-base', '--octo'], 'abbreviations'],
  ])('%j', (args, why) => {
    expect(refusal(args)).toContain(why);
  });

  it('accepts the harmless forms next to them', () => {
    expect(check(['diff', '--no-ext-diff', '--no-textconv', '--submodule=short', '--ignore-submodules'])).toBeNull();
    expect(check(['log', '--format=%H %an %ad', '--diff-merges=first-parent', '-m', '--no-show-signature'])).toBeNull();
    expect(check(['rev-parse', '--git-dir', '--git-path', 'objects'])).toBeNull();
    expect(check(['log', '--stdin', '--no-walk=unsorted'])).toBeNull();
  });

  it('checks enum values', () => {
    expect(check(['status', '-uno', '--ignored=matching'])).toBeNull();
    expect(refusal(['status', '-unone'])).toContain('is not one of no, normal, all');
    expect(refusal(['rev-parse', '--path-format=weird', '--git-dir'])).toContain('is not one of absolute, relative');
  });
});

describe('messages and cost', () => {
  it('quotes at most ~80 characters of an argument', () => {
    const reason = refusal(['log', `--${'x'.repeat(10_000)}`]);
    expect(reason.length).toBeLessThan(400);
    expect(refusal(['log', '--', `/${'y'.repeat(5000)}`]).length).toBeLessThan(400);
  });

  it('checks 4096 arguments / 1 MiB in well under a second', () => {
    const deep = Array.from({ length: 4094 }, (_, i) => `${'d/'.repeat(120)}${i}`);
    const bundle = `-${'p'.repeat(1 << 20)}`;
    const started = performance.now();
    expect(check(['log', '--', ...deep])).toBeNull();
    expect(check(['log', bundle])).toBeNull();
    expect(refusal(['log', `${bundle}Z`])).toContain('switch -Z');
    expect(refusal(['log', '--', `${'a/'.repeat(3000)}`])).toContain('PATH_MAX');
    expect(refusal(['log', `--${'n'.repeat(1 << 20)}`])).toContain('not in the allow-list');
    expect(performance.now() - started).toBeLessThan(3000);
  });
});

describe('the tables', () => {
  it('hold only well-formed spellings, and never allow what they refuse', () => {
    for (const [subcommand, table] of GIT_OPTION_TABLES) {
      for (const [spelling, spec] of table.options) {
        expect(spelling, subcommand).toMatch(/^(--[a-z0-9][a-z0-9-]*|-[a-zA-Z0-9])$/);
        expect(table.refused.has(spelling), `${subcommand} ${spelling}`).toBe(false);
        if (spec.arity === 'flag') expect(spec.value, `${subcommand} ${spelling}`).toBeUndefined();
        else expect(spec.value, `${subcommand} ${spelling}`).toBeDefined();
      }
    }
  });

  it('give every subcommand a sensible number of options', () => {
    const sizes = Object.fromEntries([...GIT_OPTION_TABLES].map(([name, table]) => [name, table.options.size]));
    expect(sizes.log).toBeGreaterThan(200);
    expect(sizes.version).toBe(2);
  });
});
