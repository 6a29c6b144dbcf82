/**
 * The smallest useful embedding of jobhost: a host application allow-lists
 * read-only git, hands a plugin its scoped handle, and the plugin runs
 * `git status`, reads the events and is refused a dangerous request.
 *
 *   node --import tsx examples/embed.ts
 */
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JobHost, gitReadOnly, isJobHostError, type JobHandle } from '../src/index.js';

// A throw-away directory stands in for the user's project: every job runs in it or below it.
const root = realpathSync(mkdtempSync(join(tmpdir(), 'jobhost-embed-')));
writeFileSync(join(root, 'notes.txt'), 'hello\n');

// The allow-list belongs to the host, not to an owner, so the host's own setup step goes through
// the same rule: exactly `git init --quiet`, and only until a plugin is handed a handle.
let settingUp = true;
const initOnly = (args: readonly string[]): boolean => settingUp && args.length === 2 && args[0] === 'init' && args[1] === '--quiet';

const host = new JobHost({
  root,
  // git is looked up on PATH once, now; the rule runs on every spawn, before anything starts
  binaries: { git: { args: (args) => initOnly(args) || gitReadOnly(args) } },
  // a job sees only this environment: the user's ~/.gitconfig cannot change what the example prints
  env: { PATH: process.env.PATH ?? '', HOME: root, GIT_CONFIG_NOSYSTEM: '1' },
});

// The host's setup owner: nobody drains its events, so it buffers none.
const init = await host.forOwner('host-setup', { bufferEvents: false }).run({ label: 'git init', binary: 'git', args: ['init', '--quiet'] });
if (init.type !== 'job_completed') throw new Error(`git init did not complete: ${JSON.stringify(init)}`);
settingUp = false;

/** The plugin: all it holds is its handle, which sees and cancels only its own jobs. */
async function statusPlugin(jobs: JobHandle): Promise<void> {
  const id = jobs.spawn({ label: 'git status', binary: 'git', args: ['status', '--short'] }); // returns at once
  await jobs.wait(id); // the terminal event comes after every line of output
  for (const event of jobs.drainEvents()) console.log(`event: ${JSON.stringify(event)}`); // the wire shape a Rust plugin reads
  try {
    jobs.spawn({ label: 'sneaky log', binary: 'git', args: ['log', '--output=/tmp/owned'] });
  } catch (error) {
    if (!isJobHostError(error)) throw error;
    console.log(`refused: ${error.code}: ${error.message}`); // nothing started, no id minted
  }
}

await statusPlugin(host.forOwner('status-plugin'));
await host.dispose(); // cancels whatever is left; resolves once every process is gone
rmSync(root, { recursive: true, force: true });
