/**
 * The smallest useful embedding of jobhost: a host application allow-lists
 * read-only git for plugins and an unrestricted git for itself, hands a plugin
 * its scoped handle (read-only git only), and the plugin runs
 * `git status`, reads the events and is refused a dangerous request.
 *
 *   node --import tsx examples/embed.ts
 */
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JobHost, gitReadOnly, JobHostError, type JobHandle } from '../src/index.js';

// A throw-away directory stands in for the user's project: every job runs in it or below it.
const root = realpathSync(mkdtempSync(join(tmpdir(), 'jobhost-embed-')));
writeFileSync(join(root, 'notes.txt'), 'hello\n');

const host = new JobHost({
  root,
  binaries: {
    // what plugins get: git, looked up on PATH once, now; the rule runs on every spawn, before anything starts
    git: gitReadOnly,
    // the same git under another key, for the host's own setup step: any arguments
    'git-admin': { path: 'git' },
  },
  // a job sees only this environment: the user's ~/.gitconfig cannot change what the example prints
  env: { PATH: process.env.PATH ?? '', HOME: root, GIT_CONFIG_NOSYSTEM: '1' },
});

// The host's setup owner may run only git-admin; nobody drains its events, so it buffers none.
const setup = host.forOwner('host-setup', { binaries: ['git-admin'], bufferEvents: false });
const init = await setup.run({ label: 'git init', binary: 'git-admin', args: ['init', '--quiet'] });
if (init.type !== 'job_completed') throw new Error(`git init did not complete: ${JSON.stringify(init)}`);

/** The plugin: all it holds is its handle, which sees and cancels only its own jobs. */
async function statusPlugin(jobs: JobHandle): Promise<void> {
  const id = jobs.spawn({ label: 'git status', binary: 'git', args: ['status', '--short'] }); // returns at once
  await jobs.wait(id); // the terminal event comes after every line of output
  for (const event of jobs.drainEvents()) console.log(`event: ${JSON.stringify(event)}`); // the wire shape a Rust plugin reads
  try {
    jobs.spawn({ label: 'sneaky log', binary: 'git', args: ['log', '--output=/tmp/owned'] });
  } catch (error) {
    if (!(error instanceof JobHostError)) throw error;
    console.log(`refused: ${error.code}: ${error.message}`); // nothing started, no id minted
  }
  try {
    jobs.spawn({ label: 'sneaky init', binary: 'git-admin', args: ['init', '/tmp/owned'] });
  } catch (error) {
    if (!(error instanceof JobHostError)) throw error;
    console.log(`refused: ${error.code}: ${error.message}`);
  }
}

// The plugin's handle may run only the read-only git: to it, git-admin does not exist.
await statusPlugin(host.forOwner('status-plugin', { binaries: ['git'] }));
await host.dispose(); // cancels whatever is left; resolves once every process is gone
rmSync(root, { recursive: true, force: true });
