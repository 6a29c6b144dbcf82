import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const tsx = join(process.cwd(), 'node_modules', 'tsx', 'dist', 'loader.mjs');
const example = join(process.cwd(), 'examples', 'demo.ts');

describe('examples/demo.ts (npm run demo)', () => {
  it('runs both plugins to the end and prints plain lines and the summary when stdout is not a terminal', async () => {
    const { stdout, stderr } = await run(process.execPath, ['--import', tsx, example], { timeout: 90_000 });
    const lines = stdout.split('\n');
    expect(stderr).toBe('');
    expect(stdout).not.toContain('\x1b['); // a pipe gets no live redraw
    // each kind of job reaches its expected end
    expect(lines).toContainEqual(expect.stringMatching(/^builder +build \(task\.\* progress\) +job_completed\b/));
    expect(lines).toContainEqual(expect.stringMatching(/^builder +build \(task\.\* progress\) +job_progress +\d+% compiled \w+$/));
    expect(lines).toContainEqual(expect.stringMatching(/^builder +chatty log job +job_completed\b/));
    expect(lines).toContainEqual(expect.stringMatching(/^builder +chatty log job +job_log_line +stderr: warning: processed batch 25\/25$/));
    expect(lines).toContainEqual(expect.stringMatching(/^builder +hangs → 2s timeout +job_cancelled +timeout after 2s$/));
    expect(lines).toContainEqual(expect.stringMatching(/^fetcher +download \(cancelled\) +job_cancelled +plugin changed its mind at 40%$/));
    expect(lines).toContainEqual(expect.stringMatching(/^fetcher +rm -rf \(refused\) +refused +ERR_BINARY_NOT_ALLOWED: /));
    expect(lines).toContainEqual(expect.stringMatching(/^fetcher +LD_PRELOAD \(refused\) +refused +ERR_ENV_REFUSED: .*"download" only accepts DOWNLOAD_MIRROR$/));
    // the fetcher's handle may run only download: the builder's binaries do not exist for it
    expect(lines).toContainEqual(expect.stringMatching(/^fetcher +builder's hang \(refused\) +refused +ERR_BINARY_NOT_ALLOWED: .*\(allowed: download\)$/));
    // the summary, and the check that no process outlived its job
    expect(lines).toContain('summary: 2 completed, 0 failed, 2 cancelled, 3 refused by the policy.');
    expect(lines).toContain('checked: none of the 4 process groups has a process left.');
  }, 120_000);
});
