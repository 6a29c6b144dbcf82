/**
 * The tables against the real git 2.39 on this machine: what the checker
 * accepts runs, the arity of every allowed option is the one git uses, no
 * allowed spelling is an abbreviation git would expand to something else, the
 * injected options are accepted and work, and each refused attack really does
 * read outside the root when git is run directly.
 */
import { rootBesideOutside } from './git-sandbox.js';
import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, existsSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkGitArguments, GIT_READ_ONLY_SUBCOMMANDS, injectedOptions, type GitArgsContext } from '../../src/policy/git/arguments.js';
import { GIT_OPTION_TABLES } from '../../src/policy/git/option-tables.js';
import { DIFF_OPTIONS } from '../../src/policy/git/options-diff.js';
import { BLAME_OPTIONS, DIFF_COMMAND_OPTIONS, LOG_OPTIONS, REV_LIST_OPTIONS, SHORTLOG_OPTIONS } from '../../src/policy/git/options-history.js';
import {
  CAT_FILE_OPTIONS, DESCRIBE_OPTIONS, FOR_EACH_REF_OPTIONS, LS_TREE_OPTIONS, MERGE_BASE_OPTIONS, NAME_REV_OPTIONS, REV_PARSE_OPTIONS,
  VERSION_OPTIONS,
} from '../../src/policy/git/options-objects.js';
import { PRETTY_OPTIONS } from '../../src/policy/git/options-pretty.js';
import { REVISION_OPTIONS } from '../../src/policy/git/options-revision.js';
import type { OptionFamily } from '../../src/policy/git/options-syntax.js';
import { LS_FILES_OPTIONS, STATUS_OPTIONS } from '../../src/policy/git/options-worktree.js';
import { COMMON_GIT_INVOCATIONS } from './git-invocations.js';

let base: string;
let root: string;
let outside: string;
let atRoot: GitArgsContext;
let inSub: GitArgsContext;
const ALL = new Set(GIT_READ_ONLY_SUBCOMMANDS);

/** A git that reads no user or system config and speaks C. */
function gitEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('GIT_')) env[key] = value;
  return {
    ...env, HOME: base, LC_ALL: 'C', LANG: 'C', GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_AUTHOR_NAME: 'Ann', GIT_AUTHOR_EMAIL: 'ann@example.com', GIT_COMMITTER_NAME: 'Ann', GIT_COMMITTER_EMAIL: 'ann@example.com',
    GIT_PAGER: 'cat', PAGER: 'cat',
  };
}

function gitSync(args: readonly string[], cwd = root): string {
  return execFileSync('git', args, { cwd, env: gitEnv(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Runs git with stdin at EOF; resolves with the exit code and stdout+stderr, whatever the outcome. */
function git(args: readonly string[], cwd = root): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const child = execFile('git', args, { cwd, env: gitEnv(), encoding: 'utf8', timeout: 20_000, maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      resolve({ code, out: `${stdout}${stderr}` });
    });
    child.stdin?.end();
  });
}

/** Maps `fn` over `items`, `limit` at a time (the machine has two cores). */
async function inPool<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
  return results;
}

function write(path: string, text: string): void {
  writeFileSync(path, text);
}

beforeAll(() => {
  ({ base, root, outside } = rootBesideOutside('jobhost-git-real-'));
  write(join(outside, 'secret.txt'), 'TOP-SECRET\n');
  write(join(outside, 'order.txt'), 'b.txt\na.txt\n');
  write(join(outside, 'patterns'), '*.hidden\n');
  gitSync(['init', '-q', '-b', 'main']);
  write(join(root, 'README.md'), '# readme\n');
  write(join(root, 'file'), Array.from({ length: 30 }, (_, i) => `line ${i + 1}\n`).join(''));
  write(join(root, 'a.txt'), 'a\n');
  write(join(root, 'b.txt'), 'b\n');
  write(join(root, 'order.txt'), 'a.txt\nb.txt\n');
  write(join(root, 'inside.txt'), 'inside\n');
  write(join(root, '.gitignore'), '*.log\n');
  write(join(root, 'sub', 'name.txt'), 'tracked name\n');
  write(join(root, 'sub', 'inside.txt'), 'sub inside\n');
  write(join(root, 'x.bin'), 'binary one\n');
  write(join(root, '.gitattributes'), 'x.bin diff=spy\n');
  gitSync(['add', '.']);
  gitSync(['commit', '-qm', 'first: add files']);
  write(join(root, 'src', 'x.ts'), 'export const x = 1;\n');
  write(join(root, 'a.txt'), 'a2\n');
  write(join(root, 'b.txt'), 'b2\n');
  write(join(root, 'file'), Array.from({ length: 30 }, (_, i) => `line ${i + 1}${i === 12 ? ' changed' : ''}\n`).join(''));
  gitSync(['add', '.']);
  gitSync(['commit', '-qm', 'second: fix /api/ paths']);
  gitSync(['tag', 'v1.0']);
  // untracked: links out of the root, and a file only an outside exclude pattern matches
  symlinkSync('../outside', join(root, 'out'));
  symlinkSync('../outside/secret.txt', join(root, 'name.txt'));
  write(join(root, 'junk.hidden'), 'junk\n');
  atRoot = { root, cwd: root };
  inSub = { root, cwd: join(root, 'sub') };
});

afterAll(() => rmSync(base, { recursive: true, force: true }));

/** git as the profile runs it: the injected options right after the subcommand. */
function profiled(args: readonly string[]): string[] {
  const [subcommand, ...rest] = args as [string, ...string[]];
  return [subcommand, ...injectedOptions(subcommand), ...rest];
}

describe('accepted invocations run', () => {
  const invocations = COMMON_GIT_INVOCATIONS;

  it('covers every read-only subcommand', () => {
    expect(new Set(invocations.map((args) => args[0]))).toEqual(new Set(GIT_READ_ONLY_SUBCOMMANDS));
  });

  it('each is accepted by the checker and exits 0 with the injected options', async () => {
    const results = await inPool(invocations, 3, async (args) => ({ args, verdict: checkGitArguments(args, ALL, atRoot), ...(await git(profiled(args))) }));
    for (const { args, verdict, code, out } of results) {
      expect(verdict, args.join(' ')).toBeNull();
      expect(code, `${args.join(' ')}\n${out}`).toBe(0);
    }
  });
});

/** git's "this is not an option I know" in each of its parsers (parse-options, log, diff, rev-list). */
const UNKNOWN = /unrecognized argument|unknown option|unknown switch|invalid option|^usage: /m;

interface Probe {
  readonly family: string;
  readonly subcommand: string;
  readonly args: readonly string[];
  readonly expectConsumed: boolean;
  readonly mustSucceed: boolean;
  readonly label: string;
}

/** Each family is probed in one subcommand that parses it, with what that subcommand needs after it. */
const PROBED: ReadonlyArray<[string, OptionFamily, string, readonly string[]]> = [
  ['log', LOG_OPTIONS, 'log', []], ['revision', REVISION_OPTIONS, 'log', []], ['pretty', PRETTY_OPTIONS, 'log', []],
  ['diff', DIFF_OPTIONS, 'log', []], ['diff command', DIFF_COMMAND_OPTIONS, 'diff', []], ['rev-list', REV_LIST_OPTIONS, 'rev-list', ['HEAD']],
  ['shortlog', SHORTLOG_OPTIONS, 'shortlog', ['HEAD']], ['blame', BLAME_OPTIONS, 'blame', ['file']], ['status', STATUS_OPTIONS, 'status', []],
  ['ls-files', LS_FILES_OPTIONS, 'ls-files', []], ['ls-tree', LS_TREE_OPTIONS, 'ls-tree', ['HEAD']], ['cat-file', CAT_FILE_OPTIONS, 'cat-file', []],
  ['for-each-ref', FOR_EACH_REF_OPTIONS, 'for-each-ref', []], ['describe', DESCRIBE_OPTIONS, 'describe', []],
  ['name-rev', NAME_REV_OPTIONS, 'name-rev', ['HEAD']], ['merge-base', MERGE_BASE_OPTIONS, 'merge-base', ['HEAD', 'HEAD']],
  ['version', VERSION_OPTIONS, 'version', []],
];

/**
 * `log --merge` dies for want of MERGE_HEAD before git gets to complain about
 * the probe; it is a flag in revision.c (`!strcmp(arg, "--merge")`).
 */
const UNPROBEABLE = new Set(['log --merge']);

/** Options that die before the probe is looked at unless something comes before or after them. */
const PROBE_CONTEXT: Readonly<Record<string, { readonly before?: readonly string[]; readonly after?: readonly string[] }>> = {
  'log --combined-all-paths': { before: ['-c'] },
  'log --follow': { after: ['--', 'file'] },
};

/** Options whose value git validates before anything else, probed with a valid value (and then git must succeed). */
const VALID_VALUE: Readonly<Record<string, string>> = { 'blame -L': '1,2' };

function probes(): Probe[] {
  const out: Probe[] = [];
  for (const [family, options, subcommand, tail] of PROBED) {
    for (const [spelling, spec] of options.options) {
      const key = `${subcommand} ${spelling}`;
      if (UNPROBEABLE.has(key)) continue;
      const head = [subcommand, ...injectedOptions(subcommand), ...(PROBE_CONTEXT[key]?.before ?? [])];
      const after = [...(PROBE_CONTEXT[key]?.after ?? []), ...tail];
      const valid = VALID_VALUE[key];
      // the next argument: taken only by options with a required value
      out.push({
        family, subcommand, args: [...head, spelling, valid ?? '--zz-sentinel', ...after], mustSucceed: valid !== undefined,
        expectConsumed: spec.arity === 'required' || spec.arity === 'lastArgDefault', label: `${spelling} <next>`,
      });
      // the rest of a short bundle: taken by any short option with a value
      if (!spelling.startsWith('--')) {
        out.push({
          family, subcommand, args: [...head, `${spelling}${valid ?? 'j'}`, ...after], mustSucceed: valid !== undefined,
          expectConsumed: spec.arity !== 'flag', label: `${spelling}j`,
        });
      }
    }
  }
  return out;
}

describe('the tables match git 2.39', () => {
  it('every option takes (or leaves) the next argument and the rest of a bundle as the table says', async () => {
    const all = probes();
    const results = await inPool(all, 3, async (probe) => ({ probe, ...(await git(probe.args)) }));
    const wrong = results
      .filter(({ probe, code, out }) => (!UNKNOWN.test(out) || (probe.mustSucceed && code === 0)) !== probe.expectConsumed || (probe.mustSucceed && code !== 0))
      .map(({ probe, out }) => `${probe.family}: git ${probe.subcommand} ${probe.label} — table says ${probe.expectConsumed ? 'takes' : 'leaves'} it; git: ${out.split('\n')[0] ?? ''}`);
    expect(wrong).toEqual([]);
    expect(all.length).toBeGreaterThan(500);
  });

  it('reads rev-parse options as its hand-written parser does', async () => {
    // a word rev-parse did not consume is a revision, and a bad one dies naming it
    const leftAsRevision = /ambiguous argument 'zz-nope'/;
    // these drop or need revisions instead, so HEAD shows whether they left it alone
    const withHead = new Set(['--revs-only', '--flags', '--verify', '--short']);
    const wrong: string[] = [];
    for (const [spelling, spec] of REV_PARSE_OPTIONS.options) {
      if (spec.arity === 'stuck' && spelling === '--path-format') continue; // bare, it dies: "requires an argument"
      const sentinel = withHead.has(spelling) ? 'HEAD' : 'zz-nope';
      const { out } = await git(['rev-parse', spelling, sentinel]);
      const consumed = withHead.has(spelling) ? !/^[0-9a-f]{7,40}$/m.test(out) : !leftAsRevision.test(out);
      if (consumed !== (spec.arity === 'required')) wrong.push(`rev-parse ${spelling} ${sentinel}: ${out.split('\n')[0] ?? ''}`);
    }
    expect(wrong).toEqual([]);
    expect((await git(['rev-parse', '--path-format=absolute', '--git-dir'])).out.trim()).toBe(join(root, '.git'));
    expect((await git(['rev-parse', '-n5', '--flags'])).out.trim()).toBe('-n5');
  });

  it('allows no spelling that a parse-options parser would read as an abbreviation of something else', () => {
    // parse-options expands unambiguous abbreviations unless the parser keeps unknown options (log, show,
    // rev-list and diff_opt_parse do); diff's no-index mode and these commands do expand them
    const expanding = ['status', 'ls-files', 'ls-tree', 'cat-file', 'for-each-ref', 'describe', 'name-rev', 'merge-base', 'version', 'blame', 'shortlog', 'diff'];
    const hazards: string[] = [];
    for (const subcommand of expanding) {
      const names = gitSync([subcommand, '--git-completion-helper-all']).split(/\s+/)
        .filter((name) => name.startsWith('--')).map((name) => name.replace(/=$/, ''));
      expect(names.length, subcommand).toBeGreaterThan(0);
      for (const spelling of GIT_OPTION_TABLES.get(subcommand)?.options.keys() ?? []) {
        if (!spelling.startsWith('--') || names.includes(spelling)) continue;
        const expands = names.filter((name) => name.startsWith(spelling));
        if (expands.length > 0) hazards.push(`git ${subcommand} ${spelling} would expand to ${expands.join(', ')}`);
      }
    }
    expect(hazards).toEqual([]);
  });

  it('accepts -<n> as a count in the revision commands', async () => {
    expect(checkGitArguments(['log', '-1', '--format=%s'], ALL, atRoot)).toBeNull();
    expect((await git(['log', '-1', '--format=%s'])).out.trim()).toBe('second: fix /api/ paths');
  });
});

describe('the injected options', () => {
  it('are accepted by their subcommand in git 2.39', async () => {
    const tails: Record<string, readonly string[]> = { blame: ['file'], 'rev-list': ['HEAD'], shortlog: ['HEAD'] };
    for (const subcommand of GIT_READ_ONLY_SUBCOMMANDS) {
      const { code, out } = await git([subcommand, ...injectedOptions(subcommand), ...(tails[subcommand] ?? [])]);
      if (injectedOptions(subcommand).length > 0) expect(code, `${subcommand}: ${out}`).toBe(0);
    }
  });

  it('keep textconv and external diff programs from running, which they otherwise do', async () => {
    const marker = join(base, 'spy-ran');
    const spy = join(base, 'spy.sh');
    write(spy, `#!/bin/sh\necho ran >> '${marker}'\ncat "$1" 2>/dev/null\nexit 0\n`);
    chmodSync(spy, 0o755);
    const config = ['-c', `diff.spy.textconv=${spy}`, '-c', `diff.external=${spy}`];
    write(join(root, 'x.bin'), 'binary two\n');
    gitSync(['add', 'x.bin']);
    try {
      for (const args of [['diff', '--cached'], ['log', '-p', '-1', '--', 'x.bin'], ['show', 'HEAD'], ['blame', 'x.bin']]) {
        rmSync(marker, { force: true });
        await git([...config, ...profiled(args)]);
        expect(existsSync(marker), `with injected options: ${args.join(' ')}`).toBe(false);
      }
      // without them git runs the program: the danger the injection removes, and why status -v is refused
      rmSync(marker, { force: true });
      await git([...config, 'diff', '--cached']);
      expect(existsSync(marker)).toBe(true);
      rmSync(marker, { force: true });
      await git([...config, 'status', '-v']);
      expect(existsSync(marker)).toBe(true);
      expect(checkGitArguments(['status', '-v'], ALL, atRoot)).toContain('textconv');
    } finally {
      gitSync(['reset', '-q', 'x.bin']);
      write(join(root, 'x.bin'), 'binary one\n');
    }
  });
});

describe('refused attacks really read outside the root', () => {
  it('implicit --no-index: diff with a path outside the work tree prints it', async () => {
    const args = ['diff', join(outside, 'secret.txt'), 'inside.txt'];
    expect((await git(profiled(args))).out).toContain('TOP-SECRET');
    expect(checkGitArguments(args, ALL, atRoot)).toContain('leads outside the root');
    const dashdash = ['diff', '--', join(outside, 'secret.txt'), 'inside.txt'];
    expect((await git(profiled(dashdash))).out).toContain('TOP-SECRET');
    expect(checkGitArguments(dashdash, ALL, atRoot)).toContain('leads outside the root');
  });

  it('--end-of-options does not stop diff from finding --no-index', async () => {
    const { out } = await git(['diff', '--end-of-options', '--no-index', 'a.txt', 'b.txt']);
    expect(out).toContain('git diff --no-index');
    expect(checkGitArguments(['diff', '--end-of-options', '--no-index', 'a.txt', 'b.txt'], ALL, atRoot)).toContain('--end-of-options');
  });

  it('a value that looks like an option: diff finds --no-index even as -O\'s value', async () => {
    // setup_revisions would read `--no-index` as -O's order file, but diff scans for it first
    write(join(root, '--no-index'), 'inside.txt\n');
    try {
      expect((await git(['diff', '-O', '--no-index', join(outside, 'secret.txt'), 'inside.txt'])).out).toContain('TOP-SECRET');
    } finally {
      rmSync(join(root, '--no-index'));
    }
    expect(checkGitArguments(['diff', '-O', '--no-index', 'a.txt', 'b.txt'], ALL, atRoot)).toContain('looks like an option');
  });

  it('blame --contents prints the file it is given', async () => {
    const args = ['blame', '--contents', join(outside, 'secret.txt'), 'README.md'];
    expect((await git(profiled(args))).out).toContain('TOP-SECRET');
    expect(checkGitArguments(args, ALL, atRoot)).toContain('leads outside the root');
  });

  it('blame --contents is opened from the top of the work tree, not cwd', async () => {
    const args = ['blame', '--contents', 'name.txt', '--', 'name.txt'];
    // in sub, name.txt is a tracked file; at the top, name.txt is a symlink out of the root
    expect((await git(profiled(args), join(root, 'sub'))).out).toContain('TOP-SECRET');
    expect(checkGitArguments(args, ALL, inSub)).toContain('leads outside the root');
  });

  it('a bundled -O reads the order file: -pO<file> and -pO through a symlink', async () => {
    const order = (out: string): string[] => [...out.matchAll(/^diff --git a\/(\S+)/gm)].map((match) => match[1] as string);
    expect(order((await git(profiled(['show', '-pOorder.txt', 'HEAD']))).out).slice(0, 2)).toEqual(['a.txt', 'b.txt']);
    for (const bundle of [`-pO${outside}/order.txt`, '-pOout/order.txt']) {
      const { out } = await git(profiled(['show', bundle, 'HEAD']));
      expect(order(out).slice(0, 2), bundle).toEqual(['b.txt', 'a.txt']);
      expect(checkGitArguments(['show', bundle, 'HEAD'], ALL, atRoot), bundle).toContain('leads outside the root');
    }
  });

  it('-O is opened from cwd (so the checker checks it from cwd), --contents from the top', async () => {
    write(join(root, 'sub', 'ord'), 'b.txt\na.txt\n');
    try {
      const { out } = await git(profiled(['show', '-pOord', 'HEAD']), join(root, 'sub'));
      expect([...out.matchAll(/^diff --git a\/(\S+)/gm)].map((match) => match[1]).slice(0, 2)).toEqual(['b.txt', 'a.txt']);
      expect(checkGitArguments(['show', '-pOord', 'HEAD'], ALL, inSub)).toBeNull();
    } finally {
      rmSync(join(root, 'sub', 'ord'));
    }
  });

  it('ls-files --exclude-from reads the patterns it is given', async () => {
    const args = ['ls-files', '-o', '-i', `--exclude-from=${outside}/patterns`];
    expect((await git(args)).out).toContain('junk.hidden');
    expect(checkGitArguments(args, ALL, atRoot)).toContain('leads outside the root');
  });
});
