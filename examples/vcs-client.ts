/**
 * The host side of a VCS adapter, end to end: discover the example git
 * adapter through its manifest, allow-list it, and drive a goal through it —
 * handshake, detect, a refused verify_target, prepare, commit, verify again.
 *
 *     node --import tsx examples/vcs-client.ts
 *
 * The demo makes its own throw-away repository through the same JobHost, as
 * the host's owner "setup", which alone may run `git` (the VCS owner may run
 * only the adapter); everything after the setup goes through the adapter.
 */
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { JobHost } from '../src/index.js';
import { VcsAdapterClient, discoverVcsAdapters, VcsAdapterError } from '../src/vcs/index.js';

const root = realpathSync(mkdtempSync(join(tmpdir(), 'jobhost-vcs-demo-')));
const identity = { GIT_AUTHOR_NAME: 'Demo', GIT_AUTHOR_EMAIL: 'demo@example.test', GIT_COMMITTER_NAME: 'Demo', GIT_COMMITTER_EMAIL: 'demo@example.test' };
const env = { PATH: process.env.PATH ?? '', HOME: root, GIT_CONFIG_NOSYSTEM: '1' };
const work = join(root, 'work');

// 1. The host application discovers adapters and decides to allow them; plugins never can.
const found = discoverVcsAdapters({ searchPath: '', manifestDirs: [fileURLToPath(new URL('.', import.meta.url))] });
// the host's own git takes exactly the identity variables it needs, nothing else a request might set
const host = new JobHost({ root, env, binaries: { ...found.binaries, git: { env: Object.keys(identity) } } });

// The throw-away repository, made by the host's own setup owner: the one owner that may run git directly.
const setupJobs = host.forOwner('setup', { binaries: ['git'], bufferEvents: false });
async function setup(...args: string[]): Promise<void> {
  const end = await setupJobs.run({ label: `git ${args[0] ?? ''}`, binary: 'git', args, env: identity });
  if (end.type !== 'job_completed') throw new Error(`setup git ${args.join(' ')} did not complete: ${JSON.stringify(end)}`);
}
await setup('init', '--quiet', '--initial-branch=main', work);
writeFileSync(join(work, 'README.md'), '# demo\n');
await setup('-C', work, 'add', 'README.md');
await setup('-C', work, 'commit', '--quiet', '-m', 'initial commit');

// 2. A client for the git adapter, working in `work`; every call is a job of owner "vcs", which may run only the adapter.
host.forOwner('vcs', { binaries: Object.keys(found.binaries), bufferEvents: false });
const git = new VcsAdapterClient({ host, owner: 'vcs', ...found.adapter('git'), cwd: 'work', env: identity, hostVersion: '1.0.0' });

try {
  const hello = await git.handshake();
  console.log(`adapter ${hello.adapter_name} ${hello.plugin_version} (protocol ${hello.protocol_version}); capabilities: ${hello.capabilities.join(', ')}`);
  console.log(`detect: ${(await git.detect({ project_root: work })).detected}`);
  console.log(`protected targets: ${(await git.protectedTargets()).targets.join(', ')}`);

  try {
    await git.verifyTarget();
  } catch (error) {
    if (!(error instanceof VcsAdapterError)) throw error;
    console.log(`verify_target on main refused: ${error.code}: ${error.message}`);
  }

  await git.prepare({ goal_id: 'g1', goal_title: 'Add a greeting', workspace_path: work, branch_prefix: 'feature/', co_author: 'Demo Bot <bot@example.test>' });
  writeFileSync(join(work, 'hello.txt'), 'hello\n');
  const commit = await git.commit({ goal_id: 'g1', goal_title: 'Add a greeting', message: 'Add a greeting', changed_files: ['hello.txt'] });
  console.log(`commit: ${commit.message}`);
  await git.verifyTarget();
  console.log('verify_target: ok');

  try {
    await git.openReview({ goal_id: 'g1', goal_title: 'Add a greeting', draft_summary: 'adds hello.txt', changed_files: ['hello.txt'] });
  } catch (error) {
    if (!(error instanceof VcsAdapterError)) throw error;
    console.log(`open_review: ${error.code}`);
  }

  for (const job of host.forOwner('vcs').list()) console.log(`job ${job.id} ${job.label}: ${JSON.stringify(job.status)}`);
} finally {
  await host.dispose();
  rmSync(root, { recursive: true, force: true });
}
