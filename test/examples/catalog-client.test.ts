import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { serve } from '../catalog/helpers.js';

const run = promisify(execFile);
const tsx = join(process.cwd(), 'node_modules', 'tsx', 'dist', 'loader.mjs');
const example = join(process.cwd(), 'examples', 'catalog-client.ts');

describe('examples/catalog-client.ts', () => {
  it('starts an agent, lists, runs a job to completion, kills another, and is refused a hidden one', async () => {
    const { stdout, stderr } = await run(process.execPath, ['--import', tsx, example], { timeout: 60_000 });
    const lines = stdout.split('\n');
    expect(stderr).toBe('');
    // the list: invokable jobs grouped by category, the hidden one absent
    expect(stdout).toContain('[Troubleshooting]');
    expect(stdout).toMatch(/diagnostics\s+Collect diagnostics\s+v1\.0\.0\s+timeout 60s\s+never run/);
    expect(stdout).not.toMatch(/^\s+reimage/m);
    // a run rendered in order: running, its output, its end
    const running = lines.findIndex((line) => / ▶ running$/.test(line));
    const first = lines.findIndex((line) => line.endsWith('│ info: processed batch 1/10'));
    const done = lines.findIndex((line) => line.endsWith('■ completed (exit 0)'));
    expect(running).toBeGreaterThan(0);
    expect(first).toBeGreaterThan(running);
    expect(done).toBeGreaterThan(first);
    expect(lines.filter((line) => line.includes('processed batch'))).toHaveLength(10);
    // a kill, then the killed push, then the last run in the list
    const kill = lines.findIndex((line) => /^> jobs\.kill [0-9a-f]{8}$/.test(line));
    expect(stdout).toMatch(/^ {2}kill requested at \d{4}-\d\d-\d\dT[\d:.]+Z$/m);
    const killed = lines.findIndex((line) => / ■ killed \(exit -1\)$/.test(line));
    expect(kill).toBeGreaterThan(done);
    expect(killed).toBeGreaterThan(kill);
    expect(stdout).toMatch(/dataset-update\s+Update the dataset\s+v2\.4\.1\s+timeout 600s\s+last run: killed \(exit -1\)/);
    // kanade's own detail text
    expect(stdout).toMatch(/refused: Unauthorized: job 'reimage' is not user-invokable/);
  }, 90_000);

  it('connects to an agent that is already running with --connect, lists and runs the first job listed', async () => {
    const { servers } = await serve();
    const { stdout } = await run(process.execPath, ['--import', tsx, example, '--connect', servers.alice.path], { timeout: 60_000 });
    expect(stdout).toMatch(/^ {2}hello\s+Hello\s+v1\.0\.0\s+timeout 600s\s+never run$/m);
    // jobs.list is in kanade's order (display name, then id): the first job is "fail"
    expect(stdout).toMatch(/^> jobs\.execute fail$/m);
    expect(stdout).toMatch(/ ! boom$/m);
    expect(stdout).toMatch(/ ■ failed \(exit 3\)$/m);
  }, 90_000);
});
