/**
 * vitest fixtures: a fresh JobHost per test over a temporary root, a scoped
 * handle for a named plugin with every event recorded, a temporary git
 * repository on request, and a check that fails the test when any job's
 * process outlived it.
 */
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test as base } from 'vitest';
import type { JobEvent } from '../contracts/jobs.js';
import type { JobHandle } from '../host/job-handle.js';
import { JobHost } from '../host/job-host.js';
import type { JobHostOptions } from '../host/options.js';
import type { BinaryPolicy } from '../policy/binaries.js';
import { groupMembers } from '../process/group.js';
import { jobhostMatchers } from './matchers.js';
import { scriptedProgram, type ProgramStep } from './program.js';

/** What a test file configures once. */
export interface JobhostTestOptions {
  /** Allow-listed binaries besides the programs. */
  readonly binaries?: Readonly<Record<string, BinaryPolicy>>;
  /** Scripted programs by name; each becomes an allow-listed binary (`{ steps, policy }` adds policy fields). */
  readonly programs?: Readonly<Record<string, readonly ProgramStep[] | { readonly steps: readonly ProgramStep[]; readonly policy?: Omit<BinaryPolicy, 'path'> }>>;
  /** Other JobHost options; `root` is always the test's temp dir. @default { killGraceMs: 1000 } */
  readonly host?: Omit<Partial<JobHostOptions>, 'root' | 'binaries'>;
  /** Owner id of the `jobs` handle. @default 'test-plugin' */
  readonly plugin?: string;
  /**
   * The allow-listed names the `jobs` handle may run (`forOwner(plugin, { binaries })`), to test a
   * plugin under exactly the rights its host will give it. @default every allow-listed binary
   */
  readonly pluginBinaries?: readonly string[];
}

/** The fixtures a test receives. */
export interface JobhostFixtures {
  /** The test's temporary root directory (real path), removed afterwards. */
  root: string;
  /**
   * A JobHost over `root`, disposed after the test; the test fails if a job's process outlived it.
   * The scripted `programs` live in a temp dir of their own, removed with the host.
   */
  host: JobHost;
  /** The scoped handle of the test plugin. */
  jobs: JobHandle;
  /** Every event `jobs` received, recorded from its creation. */
  events: JobEvent[];
  /** `root` made into a git repository with one commit (`README.md`), created only when a test asks for it. */
  gitRepo: string;
}

/** Throws when any process is still alive in one of the given process groups (jobs' leaders are their group ids). */
export function assertNoSurvivors(groups: readonly number[]): void {
  const survivors = groups.flatMap((pgid) => groupMembers(pgid).map((pid) => `${pid} (group ${pgid})`));
  if (survivors.length > 0) throw new Error(`processes outlived the test: ${survivors.join(', ')}; every job's processes must be gone when the host is disposed`);
}

function programBinaries(options: JobhostTestOptions, dir: string): Record<string, BinaryPolicy> {
  const binaries: Record<string, BinaryPolicy> = {};
  for (const [name, spec] of Object.entries(options.programs ?? {})) {
    const steps = Array.isArray(spec) ? (spec as readonly ProgramStep[]) : (spec as { steps: readonly ProgramStep[] }).steps;
    const extra = Array.isArray(spec) ? {} : ((spec as { policy?: Omit<BinaryPolicy, 'path'> }).policy ?? {});
    binaries[name] = { ...extra, ...scriptedProgram(steps, { dir, name }).policy };
  }
  return binaries;
}

/** Runs git in `root` through a JobHost of its own: the kit starts processes the way the library does. */
async function initGitRepo(root: string): Promise<void> {
  const git = new JobHost({ root, binaries: { git: {} }, env: { PATH: process.env.PATH ?? '', HOME: root, GIT_CONFIG_NOSYSTEM: '1' } });
  try {
    const jobs = git.forOwner('jobhost-testing');
    const identity = ['-c', 'user.name=jobhost test', '-c', 'user.email=test@jobhost.invalid', '-c', 'commit.gpgsign=false'];
    writeFileSync(join(root, 'README.md'), '# test repository\n');
    for (const args of [['init', '-q', '-b', 'main'], ['add', 'README.md'], [...identity, 'commit', '-q', '-m', 'initial']]) {
      const end = await jobs.run({ label: `git ${args.join(' ')}`, binary: 'git', args });
      if (end.type !== 'job_completed') throw new Error(`git ${args.join(' ')} failed: ${end.type === 'job_failed' ? end.error : end.reason}`);
    }
  } finally {
    await git.dispose();
  }
}

/**
 * `const test = jobhostTest({ programs: { build: [...] } })`, then
 * `test('…', async ({ jobs, events }) => { … })`. Also installs the matchers
 * `toCompleteWith`, `toHaveLogged` and `toHaveProgressed`.
 */
export function jobhostTest(options: JobhostTestOptions = {}) {
  expect.extend(jobhostMatchers);
  return base.extend<JobhostFixtures>({
    // eslint-disable-next-line no-empty-pattern -- vitest reads fixture dependencies from this pattern
    root: async ({}, use) => {
      const root = realpathSync(mkdtempSync(join(tmpdir(), 'jobhost-test-')));
      try {
        await use(root);
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    },
    host: async ({ root }, use) => {
      const dir = mkdtempSync(join(tmpdir(), 'jobhost-programs-'));
      try {
        const programs = programBinaries(options, dir);
        const host = new JobHost({ killGraceMs: 1000, ...options.host, root, binaries: { ...options.binaries, ...programs } });
        const leaders: number[] = [];
        host.on('event', (event) => {
          if (event.type === 'job_started' && event.pid !== null) leaders.push(event.pid);
        });
        try {
          await use(host);
        } finally {
          await host.dispose();
        }
        assertNoSurvivors(leaders);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    jobs: async ({ host }, use) => {
      const plugin = options.plugin ?? 'test-plugin';
      await use(options.pluginBinaries === undefined ? host.forOwner(plugin) : host.forOwner(plugin, { binaries: options.pluginBinaries }));
    },
    events: async ({ jobs }, use) => {
      const events: JobEvent[] = [];
      jobs.onEvent((event) => events.push(event));
      await use(events);
    },
    gitRepo: async ({ root }, use) => {
      await initGitRepo(root);
      await use(root);
    },
  });
}
