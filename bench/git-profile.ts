/**
 * 8. What the git profile costs per job: `git status --porcelain` in a small
 * repository, run by execa directly (no policy), by a JobHost with git
 * allow-listed plainly, and under `gitReadOnly` — in a repository whose
 * config names no driver (the profile reads nothing first) and in one that
 * names a filter driver (the profile reads the config with one extra git
 * process before the job, and blanks the driver).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { JobHost, gitReadOnly } from '../src/index.js';
import { compare, type Measured } from './measure.js';

type Report = (title: string, unit: string, measured: Measured[], baseline: string, key: string) => void;

const GIT_ENV = { PATH: process.env.PATH ?? '', HOME: '/nonexistent', GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', LANG: 'C' };

function repository(dir: string, config: string): void {
  mkdirSync(dir);
  const git = (...args: string[]): void => void execFileSync('git', args, { cwd: dir, env: { ...GIT_ENV, GIT_AUTHOR_NAME: 'b', GIT_AUTHOR_EMAIL: 'b@b', GIT_COMMITTER_NAME: 'b', GIT_COMMITTER_EMAIL: 'b@b' }, stdio: 'ignore' });
  git('init', '-q');
  const hourAgo = new Date(Date.now() - 3_600_000);
  for (let i = 0; i < 50; i++) {
    writeFileSync(join(dir, `f${i}.txt`), `${i}\n`);
    utimesSync(join(dir, `f${i}.txt`), hourAgo, hourAgo);
  }
  // files older than the index, as in a repository in use: no racily clean entry to re-hash on every status
  git('add', '-A');
  git('commit', '-qm', 'bench');
  if (config !== '') writeFileSync(join(dir, '.git', 'config'), `${config}`, { flag: 'a' });
}

export async function gitProfileCost(quick: boolean, report: Report): Promise<void> {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'jobhost-bench-git-')));
  try {
    repository(join(root, 'clean'), '');
    repository(join(root, 'drivers'), '[filter "lfs"]\n\tclean = git-lfs clean -- %f\n\tsmudge = git-lfs smudge -- %f\n\tprocess = git-lfs filter-process\n\trequired = true\n');
    const host = new JobHost({ root, binaries: { git: gitReadOnly, 'git-plain': { path: 'git' } }, env: GIT_ENV, maxJobsPerOwner: 1000, maxJobs: 1000 });
    const jobs = host.forOwner('bench');
    const count = quick ? 10 : 100;
    const times = (run: () => Promise<unknown>) => async (): Promise<number> => {
      for (let i = 0; i < count; i++) await run();
      return count;
    };
    const status = ['status', '--porcelain'];
    const measured = await compare(
      [
        { name: 'execa git (no policy)', run: times(() => execa('git', status, { cwd: join(root, 'clean'), env: GIT_ENV, extendEnv: false })) },
        { name: 'JobHost, git allow-listed plainly', run: times(() => jobs.run({ label: 's', binary: 'git-plain', args: status, cwd: 'clean' })) },
        { name: 'JobHost, gitReadOnly', run: times(() => jobs.run({ label: 's', binary: 'git', args: status, cwd: 'clean' })) },
        { name: 'JobHost, gitReadOnly, repository with a filter driver', run: times(() => jobs.run({ label: 's', binary: 'git', args: status, cwd: 'drivers' })) },
      ],
      quick ? 3 : 7,
    );
    await host.dispose();
    report(`8. git status --porcelain, ${count} jobs one after another`, 'jobs', measured, 'execa git (no policy)', 'git_profile');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
