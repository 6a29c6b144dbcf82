import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const tsx = join(process.cwd(), 'node_modules', 'tsx', 'dist', 'loader.mjs');
const example = join(process.cwd(), 'examples', 'rpc-plugin.ts');

/** Runs the example as a user would (stdout is a pipe, so not a terminal). */
async function runExample(...args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, ['--import', tsx, example, ...args], { timeout: 90_000 });
  return stdout;
}

describe('examples/rpc-plugin.ts', () => {
  it('runs the indexer plugin through a JobHost and prints its tasks as plain lines when piped', async () => {
    const out = await runExample();
    const lines = out.split('\n');
    expect(lines[0]).toMatch(/^plugin {3}example-indexer 1\.0\.0 \(job indexer:1, pid \d+\)$/);
    expect(lines).toContain(`invalid  task.start: task.start missing 'id' (params {"task_id":"telemetry","label":"Uploading telemetry"})`);
    for (const line of [
      'start    deps   Downloading dependencies (download)',
      'start    docs   Fetching documentation (download)',
      'start    index  Indexing 16 files (rebuild)',
      'start    scan   Scanning for TODOs (generic)',
      'progress deps    25% 3/12',
      'progress index  100% 16/16',
      'log      index  | Indexing 16 files: 16 of 16 done',
      'failed   docs   network unreachable',
      'done     deps   Downloading dependencies',
      'done     index  Indexing 16 files',
      'done     scan   Scanning for TODOs',
      'indexed 16 files; plugin ended with job_completed (exit 0)',
      'summary: 3 done, 1 failed, 0 running, 1 invalid notification(s).',
      "checked: the plugin's process group is gone.",
    ]) {
      expect(lines).toContain(line);
    }
    expect(out).not.toContain('\x1b[');
  }, 120_000);

  it('--tty draws the live table with progress bars', async () => {
    const out = await runExample('--tty');
    const [green, red, reset] = ['\x1b[32m', '\x1b[31m', '\x1b[0m'];
    expect(out).toContain('\x1b[2K');
    expect(out).toContain(`${'Downloading dependencies'.padEnd(28)} ${green}done   ${reset} ${'█'.repeat(24)} 100%`);
    expect(out).toContain(`${'Fetching documentation'.padEnd(28)} ${red}failed ${reset} `);
    expect(out).toContain('network unreachable');
    expect(out).toContain('summary: 3 done, 1 failed, 0 running, 1 invalid notification(s).');
  }, 120_000);
});
