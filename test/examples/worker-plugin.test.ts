import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const tsx = join(process.cwd(), 'node_modules', 'tsx', 'dist', 'loader.mjs');
const dir = join(process.cwd(), 'examples', 'worker-plugin');

describe('examples/worker-plugin', () => {
  it('gives a plugin in a worker_thread only the four async verbs, bridged to its owner handle', async () => {
    const { stdout, stderr } = await run(process.execPath, ['--import', tsx, join(dir, 'main.ts')], { timeout: 60_000 });
    expect(stderr).toBe('');
    const lines = stdout.trimEnd().split('\n');
    const plugin = lines.filter((line) => line.startsWith('plugin   ')).map((line) => line.slice('plugin   '.length));
    expect(lines[0]).toMatch(/^host {5}started the plugin in worker thread \d+$/);
    // what the plugin was handed, and what a worker still has (stated, not hidden)
    expect(plugin[0]).toBe('given: cancel, drainEvents, spawn, status');
    expect(plugin).toContain('process.env in this worker has 0 variables (the host passed env: {})');
    expect(plugin).toContain("not a sandbox: import('node:fs') works in this worker");
    // a job spawned over the bridge, followed by polling drainEvents, in order, to its terminal event
    const from = plugin.indexOf('spawned worker-plugin:1');
    expect(from).toBeGreaterThan(0);
    expect(plugin[from + 1]).toMatch(/^event job_started \(pid \d+\)$/);
    expect(plugin.slice(from + 2, from + 7)).toEqual([
      'event job_log_line stdout: info: processed batch 1/5',
      'event job_log_line stdout: info: processed batch 2/5',
      'event job_log_line stdout: info: processed batch 3/5',
      'event job_log_line stdout: info: processed batch 4/5',
      'event job_log_line stderr: warning: processed batch 5/5',
    ]);
    expect(plugin[from + 7]).toMatch(/^ended: job_completed \(exit 0\); 7 events in \d+ drainEvents calls$/);
    expect(plugin[from + 8]).toBe('status: Completed');
    // refusals cross the bridge as { code, message }
    expect(plugin).toContain('refused: ERR_BINARY_NOT_ALLOWED: Binary "curl" is not allow-listed (allowed: chatty, hang)');
    expect(plugin).toContain('refused: ERR_BRIDGE_INVALID_CALL: drainEvents(max?) takes an optional positive integer');
    // cancel of its own running job, and of an id that is not its own
    expect(plugin).toContain('cancel(worker-plugin:2) → true; ended: job_cancelled: the plugin stopped waiting');
    expect(plugin).toContain('cancel("someone-else:1") → false');
    expect(lines.slice(-2)).toEqual(['host     cancelled 0 job(s) the plugin left running', 'checked: none of the 2 process groups has a process left.']);
  }, 90_000);

  it('starts no process itself: everything runs through the JobHost', () => {
    for (const file of readdirSync(dir)) {
      expect(readFileSync(join(dir, file), 'utf8'), file).not.toMatch(/(from |import\()['"](node:)?child_process['"]|(from |import\()['"]execa['"]/);
    }
  });
});
