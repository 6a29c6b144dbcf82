/**
 * Repository content is an attacker. A plugin that may only run read-only git
 * picks the cwd; the repository there may come from a clone, an extracted
 * archive or a copied folder, with a `.git/config`, hooks, attributes, an
 * embedded repository, or a `.git` file of its choosing.
 *
 * The fixture puts a canary behind every place git runs a program or opens a
 * file such content can name (see `test/fixtures/git/hostile-repo.ts`). First
 * the canaries are proved live with plain git; then every allowed subcommand
 * runs under `gitReadOnly` and not one canary may appear. Repositories that
 * lead outside the root are refused with ERR_UNTRUSTED_REPOSITORY.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobEvent, TerminalJobEvent } from '../../src/contracts/jobs.js';
import { JobHost } from '../../src/host/job-host.js';
import { gitReadOnly } from '../../src/policy/git/index.js';
import { expectJobHostError } from '../helpers/errors.js';
import {
  alternatesOutside,
  blameListOutside,
  fifoConfig,
  configSymlinkOutside,
  git,
  gitFileOutside,
  gitPartOutside,
  gitSymlinkOutside,
  hostileRepository,
  includeOutside,
  readsOutside,
  type HostileRepository,
} from '../fixtures/git/hostile-repo.js';

let base = '';
let root = '';
let outside = '';
let hostile: HostileRepository;
let host: JobHost;
const events: JobEvent[] = [];

beforeAll(() => {
  base = realpathSync(mkdtempSync(join(tmpdir(), 'jobhost-hostile-')));
  root = join(base, 'root');
  outside = join(base, 'outside');
  mkdirSync(root);
  mkdirSync(outside);
  hostile = hostileRepository(root, join(base, 'canaries'));
  // a home with a global config that would run programs too: the profile must not read it
  const home = join(base, 'home');
  mkdirSync(join(home, '.config', 'git'), { recursive: true });
  writeFileSync(join(home, '.gitconfig'), `[core]\n\tfsmonitor = touch '${join(hostile.canaries, 'global-fsmonitor')}'; exit 1\n`);
  writeFileSync(join(home, '.config', 'git', 'attributes'), '* diff=evil\n');
  host = new JobHost({ root, killGraceMs: 500, binaries: { git: gitReadOnly }, env: { PATH: process.env.PATH ?? '', HOME: home, LANG: 'C' } });
  host.on('event', (event) => events.push(event));
});

afterAll(async () => {
  await host.dispose();
  rmSync(base, { recursive: true, force: true });
});

/** Runs git under the profile; returns the terminal event and the job's lines by stream. */
async function profiled(args: string[], cwd = 'repo'): Promise<{ end: TerminalJobEvent; out: string[]; system: string[] }> {
  const jobs = host.forOwner('plugin');
  const id = jobs.spawn({ label: 'git', binary: 'git', args, cwd });
  const end = await jobs.wait(id);
  const lines = (stream: string): string[] => events.flatMap((event) => (event.job_id === id && event.type === 'job_log_line' && event.stream === stream ? [event.line] : []));
  return { end, out: lines('stdout'), system: lines('system') };
}

function clearCanaries(): void {
  for (const name of readdirSync(hostile.canaries)) rmSync(join(hostile.canaries, name));
}

describe('the canaries are live: plain git, as an unprotected host would run it', () => {
  it('fires hooks, fsmonitor, filter and diff drivers, gpg, a promisor transport and the submodule’s own programs', () => {
    const env = { PATH: process.env.PATH ?? '', HOME: join(base, 'home'), LANG: 'C' };
    const plain = (cwd: string, args: string[]): void => {
      try {
        execFileSync('git', args, { cwd, env, stdio: 'pipe', timeout: 20_000 });
      } catch {
        // failing is fine: what matters is what it ran on the way
      }
    };
    clearCanaries();
    const noProcess = ['-c', 'filter.evilf.process=', '-c', 'filter.evilf.required=false'];
    plain(hostile.repo, ['status']);
    plain(hostile.repo, [...noProcess, 'status']);
    plain(hostile.repo, [...noProcess, 'diff']);
    plain(hostile.repo, [...noProcess, 'diff', '--no-ext-diff']);
    plain(hostile.repo, [...noProcess, 'log', '-1']);
    plain(hostile.repo, ['cat-file', '-p', 'missing-tree:missing.txt']);
    plain(join(root, hostile.embeddedBare), ['log', '-1']);
    const fired = hostile.fired();
    for (const canary of [
      'filter-process', 'included-fsmonitor', 'hook-post-index-change', 'diff-driver-command', 'diff-driver-textconv',
      'gpg-openpgp-program', 'transport-ext', 'submodule-fsmonitor', 'submodule-filter-clean', 'submodule-hook-post-index-change', 'bare-gpg',
    ]) {
      expect(fired, canary).toContain(canary);
    }
    clearCanaries();
  });
});

describe('under gitReadOnly no allowed subcommand triggers any of them', () => {
  const invocations: { args: string[]; cwd?: string }[] = [
    { args: ['status'] },
    { args: ['status', '--porcelain=v2', '-z', '--branch', '--untracked-files=all'] },
    { args: ['status', '--ignore-submodules=dirty', '--short'] },
    { args: ['diff'] },
    { args: ['diff', 'HEAD'] },
    { args: ['diff', '--cached', '--stat'] },
    { args: ['diff', 'HEAD~1', 'HEAD', '--', 'a.txt'] },
    { args: ['log', '-p', '-3'] },
    { args: ['log', '-1'] },
    { args: ['log', '--format=sig', '-1'] },
    { args: ['log', '--format=%H %aN %s', '--stat'] },
    { args: ['show'] },
    { args: ['show', '--name-status', 'HEAD~1'] },
    { args: ['blame', 'a.txt'] },
    { args: ['blame', '--porcelain', '-L', '1,2', 'a.txt'] },
    { args: ['shortlog', '-sn', 'HEAD'] },
    { args: ['describe', '--always'] },
    { args: ['rev-list', '--count', 'HEAD'] },
    { args: ['for-each-ref'] },
    { args: ['merge-base', 'HEAD', 'HEAD~1'] },
    { args: ['cat-file', '-p', 'HEAD:a.txt'] },
    { args: ['cat-file', '-p', 'missing-tree:missing.txt'] },
    { args: ['ls-tree', '-r', 'HEAD'] },
    { args: ['name-rev', 'HEAD'] },
    { args: ['ls-files', '-s'] },
    { args: ['rev-parse', '--show-toplevel', '--abbrev-ref', 'HEAD'] },
    { args: ['version'] },
    // the submodule is a repository of its own, with its own hostile config: a plugin may pick it as cwd
    { args: ['status'], cwd: 'repo/sub' },
    { args: ['diff'], cwd: 'repo/sub' },
    { args: ['log', '-p'], cwd: 'repo/sub' },
  ];
  it.each(invocations)('git $args in $cwd', async ({ args, cwd }) => {
    clearCanaries();
    const { end } = await profiled(args, cwd);
    expect(end.type, JSON.stringify(end)).not.toBe('job_cancelled');
    expect(hostile.fired()).toEqual([]);
  });

  it('git still works: status, diff and log show the repository as it is', async () => {
    const status = await profiled(['status', '--porcelain']);
    expect(status.end.type).toBe('job_completed');
    expect(status.out).toEqual(expect.arrayContaining([' M a.txt', '?? untracked.txt']));
    expect(status.system).toHaveLength(1);
    for (const name of ['filter.evilf', 'diff.evil', 'merge.evilm', 'diff.external', 'hook.evil']) expect(status.system[0]).toContain(`"${name}"`);
    const log = await profiled(['log', '--format=%s']);
    expect(log.out).toEqual(['second', 'initial']);
    const diff = await profiled(['diff', '--stat']);
    expect(diff.end.type).toBe('job_completed');
    expect(diff.out.join('\n')).toContain('a.txt');
  });

  it('the user’s global config is not read (HOME’s .gitconfig sets an fsmonitor)', async () => {
    clearCanaries();
    await profiled(['status'], 'repo');
    expect(hostile.fired()).not.toContain('global-fsmonitor');
  });
});

describe('a repository that leads outside the root is refused', () => {
  it.each([
    ['an embedded bare repository, opened by discovery', () => hostile.embeddedBare],
    ['the .git directory itself as cwd', () => 'repo/.git'],
    ['a .git file pointing outside the root', () => gitFileOutside(root, outside)],
    ['a .git symlink to a repository outside the root', () => gitSymlinkOutside(root, outside)],
    ['alternates borrowing objects from outside the root', () => alternatesOutside(root, outside)],
    ['an index that is a symlink to one outside the root', () => gitPartOutside(root, outside, 'index')],
    ['a pack directory that is a symlink to one outside the root', () => gitPartOutside(root, outside, 'objects/pack')],
    ['refs that are a symlink to a directory outside the root', () => gitPartOutside(root, outside, 'refs')],
  ])('%s: ERR_UNTRUSTED_REPOSITORY at spawn, nothing starts', (_name, make) => {
    const cwd = make();
    clearCanaries();
    const error = expectJobHostError(() => host.forOwner('plugin').spawn({ label: 'git', binary: 'git', args: ['log', '-1'], cwd }), 'ERR_UNTRUSTED_REPOSITORY');
    expect(error.message.length).toBeGreaterThan(20);
    expect(hostile.fired()).toEqual([]);
  });

  it.each([
    ['config that includes a file outside the root', () => includeOutside(root, outside)],
    ['a .git/config that is a symlink to a file outside the root', () => configSymlinkOutside(root, outside)],
    ['config that has blame read its ignore list from outside the root', () => blameListOutside(root, outside)],
    ['a .git/config that is a FIFO (git would block reading it)', () => fifoConfig(root)],
  ])('%s: the job fails before git starts, with ERR_UNTRUSTED_REPOSITORY', async (_name, make) => {
    const { end, out } = await profiled(['log', '-1'], make());
    expect(end.type).toBe('job_failed');
    expect(end.type === 'job_failed' && end.error).toContain('ERR_UNTRUSTED_REPOSITORY');
    expect(out).toEqual([]);
  });

  it('config that points at a work tree, ignore file, attributes, mailmap and order file outside the root: none is read', async () => {
    const cwd = readsOutside(root, outside);
    const status = await profiled(['status', '--porcelain', '--untracked-files=all'], cwd);
    expect(status.out).toContain('?? untracked.txt');
    expect(status.out.join('\n')).not.toContain('OUTSIDE-SECRET');
    const log = await profiled(['log', '--format=%aN'], cwd);
    expect(log.out).toEqual(['Mallory']);
    expect((await profiled(['blame', 'a.txt'], cwd)).end.type).toBe('job_completed');
  });

  it('a repository above the root is not used: git sees no repository', async () => {
    const above = join(base, 'above');
    mkdirSync(above);
    git(above, ['init', '-q']);
    const inner = join(above, 'project');
    mkdirSync(inner);
    const local = new JobHost({ root: inner, binaries: { git: gitReadOnly } });
    try {
      const end = await local.forOwner('p').run({ label: 'git', binary: 'git', args: ['status'] });
      expect(end.type === 'job_failed' && end.error).toContain('not a git repository');
    } finally {
      await local.dispose();
    }
  });

  it('a repository swapped for a .git file pointing outside while the job waited: the job fails before starting', async () => {
    const local = new JobHost({ root, maxConcurrent: 1, killGraceMs: 200, binaries: { git: gitReadOnly, sleep: {} } });
    const repo = join(root, 'swapped');
    mkdirSync(repo);
    git(repo, ['init', '-q']);
    try {
      const jobs = local.forOwner('p');
      const blocker = jobs.spawn({ label: 'b', binary: 'sleep', args: ['100'] });
      const queued = jobs.spawn({ label: 'g', binary: 'git', args: ['status'], cwd: 'swapped' });
      renameSync(join(repo, '.git'), join(base, 'moved-away.git'));
      writeFileSync(join(repo, '.git'), `gitdir: ${join(base, 'moved-away.git')}\n`);
      jobs.cancel(blocker);
      const end = await jobs.wait(queued);
      expect(end.type === 'job_failed' && end.error).toContain('ERR_UNTRUSTED_REPOSITORY');
    } finally {
      await local.dispose();
    }
  });
});

describe('the config read is remembered only while nothing it read has changed', () => {
  function repoWithDriver(name: string): { dir: string; canary: string } {
    const dir = join(root, name);
    mkdirSync(dir);
    git(dir, ['init', '-q']);
    writeFileSync(join(dir, 'a.txt'), 'one\n');
    git(dir, ['add', 'a.txt']);
    git(dir, ['commit', '-qm', 'one']);
    writeFileSync(join(dir, 'a.txt'), 'two\n');
    writeFileSync(join(dir, '.gitattributes'), '* diff=late filter=early\n');
    git(dir, ['config', 'filter.early.clean', 'cat']);
    return { dir, canary: join(hostile.canaries, `${name}-late-textconv`) };
  }

  it('a driver added after a remembered read is still switched off (the cache is keyed on the config file itself)', async () => {
    const { dir, canary } = repoWithDriver('late-driver');
    const first = await profiled(['diff'], 'late-driver');
    expect(first.system.join('\n')).toContain('"filter.early"');
    // same second, same size would be the attacker's best chance: ctime still moves
    git(dir, ['config', 'diff.late.textconv', `touch '${canary}'; cat`]);
    clearCanaries();
    const second = await profiled(['diff'], 'late-driver');
    expect(second.system.join('\n')).toContain('"diff.late"');
    expect(hostile.fired()).toEqual([]);
  });

  it('a config that includes another file is read every time: a driver added to the included file is switched off', async () => {
    const { dir, canary } = repoWithDriver('late-include');
    const extra = join(dir, '.git', 'extra.config');
    writeFileSync(extra, '[core]\n\tabbrev = 9\n');
    git(dir, ['config', 'include.path', extra]);
    await profiled(['diff'], 'late-include');
    writeFileSync(extra, `[diff "late"]\n\ttextconv = touch '${canary}'; cat\n`);
    clearCanaries();
    const second = await profiled(['diff'], 'late-include');
    expect(second.system.join('\n')).toContain('"diff.late"');
    expect(hostile.fired()).toEqual([]);
  });
});

describe('the environment is the profile’s', () => {
  it('a request may set no variable for git, GIT_* or otherwise', () => {
    for (const name of ['GIT_DIR', 'GIT_CONFIG_PARAMETERS', 'GIT_EXTERNAL_DIFF', 'GIT_AUTHOR_NAME', 'LESSOPEN', 'X']) {
      expectJobHostError(() => host.forOwner('plugin').spawn({ label: 'git', binary: 'git', args: ['status'], cwd: 'repo', env: { [name]: 'x' } }), 'ERR_ENV_REFUSED');
    }
  });
});
