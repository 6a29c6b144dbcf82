/**
 * A real git setup for the git adapter's end-to-end tests: a bare "remote",
 * a working clone inside the JobHost root, a second clone standing for a
 * colleague, and a client for the example adapter found through its
 * manifest. Git never reads the machine's global or system config here.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { VcsAdapterClient } from '../../src/vcs/client.js';
import { discoverVcsAdapters } from '../../src/vcs/discovery.js';
import type { JobHost } from '../../src/host/job-host.js';
import { makeHost, tempDir } from '../helpers/host.js';

const EXAMPLES = fileURLToPath(new URL('../../examples', import.meta.url));

/** Identity for every commit, passed as environment (no global git config needed). */
export const IDENTITY = {
  GIT_AUTHOR_NAME: 'Ada Adapter',
  GIT_AUTHOR_EMAIL: 'ada@example.test',
  GIT_COMMITTER_NAME: 'Ada Adapter',
  GIT_COMMITTER_EMAIL: 'ada@example.test',
};

/** The repositories, the host, and ways to poke at them. */
export interface GitWorld {
  readonly root: string;
  readonly remote: string;
  readonly work: string;
  readonly other: string;
  readonly host: JobHost;
  /** A client for the example adapter, working in `work`, with extra adapter env. */
  client(env?: Record<string, string>): VcsAdapterClient;
  /** Runs git in `cwd` (test setup and inspection), returning trimmed stdout. */
  git(cwd: string, ...args: string[]): string;
  /** Writes a file relative to `cwd`. */
  write(cwd: string, path: string, text: string): void;
}

/** Builds a fresh world: `remote.git` with one commit on main, cloned as `work` and `other`. */
export function gitWorld(): GitWorld {
  const root = tempDir('jobhost-vcs-git-');
  const home = join(root, 'home');
  mkdirSync(home);
  const env = { PATH: process.env.PATH ?? '', HOME: home, GIT_CONFIG_NOSYSTEM: '1', LANG: 'C' };
  const git = (cwd: string, ...args: string[]): string => execFileSync('git', args, { cwd, env: { ...env, ...IDENTITY }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  const write = (cwd: string, path: string, text: string): void => writeFileSync(join(cwd, path), text);
  const remote = join(root, 'remote.git');
  const work = join(root, 'work');
  const other = join(root, 'other');
  git(root, 'init', '--quiet', '--bare', '--initial-branch=main', remote);
  git(root, 'clone', '--quiet', remote, work);
  write(work, 'README.md', 'line one\nline two\n');
  git(work, 'add', 'README.md');
  git(work, 'commit', '--quiet', '-m', 'initial commit');
  git(work, 'push', '--quiet', '-u', 'origin', 'main');
  git(root, 'clone', '--quiet', remote, other);

  const found = discoverVcsAdapters({ searchPath: '', manifestDirs: [EXAMPLES] });
  const host = makeHost({ root, env, binaries: { ...found.binaries } });
  const client = (extra: Record<string, string> = {}): VcsAdapterClient =>
    new VcsAdapterClient({ host, owner: 'vcs', ...found.adapter('git'), cwd: 'work', env: { ...IDENTITY, ...extra }, hostVersion: '0.1.0' });
  return { root, remote, work, other, host, client, git, write };
}
