import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { delimiter, dirname, isAbsolute, join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const tsx = join(process.cwd(), 'node_modules', 'tsx', 'dist', 'loader.mjs');
const example = join(process.cwd(), 'examples', 'python-plugin.ts');
const script = join(process.cwd(), 'examples', 'plugins', 'python-tasks.py');

/** python3 on PATH the way the JobHost looks for it: an executable file in an absolute PATH entry. */
function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
const hasPython = (process.env.PATH ?? '').split(delimiter).some((dir) => isAbsolute(dir) && isExecutable(join(dir, 'python3')));
const title = 'runs the Python plugin and turns its task.* notifications into progress and system lines';

/** What python-tasks.py hashes: eight 256 KiB chunks, chunk n filled with the byte n. */
function expectedDigest(): string {
  const hash = createHash('sha256');
  for (let n = 1; n <= 8; n++) hash.update(Buffer.alloc(256 * 1024, n));
  return hash.digest('hex');
}

describe('examples/python-plugin.ts', () => {
  // python3 exists on the development and CI machines; anywhere else the skip says why
  it.skipIf(!hasPython)(hasPython ? title : `${title} — SKIPPED: python3 is not on PATH`, async () => {
    const { stdout, stderr } = await run(process.execPath, ['--import', tsx, example], { timeout: 60_000 });
    expect(stderr).toBe('');
    const lines = stdout.trimEnd().split('\n');
    expect(lines).toContainEqual(expect.stringMatching(/^python3 {2}\/\S+ as job python-plugin:1$/));
    expect(lines).toContainEqual(expect.stringMatching(/^started {2}pid \d+$/));
    // task.start → the label as step; task.update → current/total as percent; task.done → 100; in order, none lost
    expect(lines.filter((line) => line.startsWith('progress '))).toEqual([
      'progress      Checksumming 8 chunks',
      ...[13, 25, 38, 50, 63, 75, 88, 100].map((percent, n) => `progress ${String(percent).padStart(3)}% chunk ${n + 1}/8`),
      'progress 100%',
      'progress      Uploading the checksum',
    ]);
    // task.log → a system line, in its place between the updates (one pipe keeps their order)
    expect(lines.indexOf('system   4 of 8 chunks hashed')).toBe(lines.indexOf('progress  50% chunk 4/8') + 1);
    expect(lines.indexOf('system   8 of 8 chunks hashed')).toBe(lines.indexOf('progress 100% chunk 8/8') + 1);
    // task.done with an error → a system line saying which task failed and why
    expect(lines).toContain('system   [jobhost] task upload failed: no network in this example');
    // other stdout and stderr lines are logged as is; notifications never are
    expect(lines).toContainEqual(expect.stringMatching(/^stdout {3}python-tasks running on Python 3\.\d+$/));
    expect(lines).toContain(`stdout   sha256 ${expectedDigest()}`);
    expect(lines).toContain('stderr   note: the upload is skipped, the checksum is kept');
    expect(stdout).not.toContain('"jsonrpc"');
    expect(lines.at(-1)).toMatch(/^completed exit 0; output tail: "python-tasks running on Python 3\.\d+\\nsha256 [0-9a-f]{64}\\n"$/);
  }, 90_000);

  it('says so and exits 0 when python3 is not on PATH', async () => {
    // node itself is started by absolute path; the JobHost looks python3 up on this PATH only
    const { stdout, stderr } = await run(process.execPath, ['--import', tsx, example], { timeout: 60_000, env: { ...process.env, PATH: dirname(script) } });
    expect(stderr).toBe('');
    expect(stdout.trimEnd()).toBe('python3 was not found on PATH, so there is no Python plugin to run (ERR_BINARY_NOT_FOUND). Install python3 to see this example.');
  }, 90_000);

  it('the plugin uses the Python standard library only, and the host starts no process itself', () => {
    const imports = [...readFileSync(script, 'utf8').matchAll(/^(?:import|from) (\w+)/gm)].map((match) => match[1]);
    expect(imports.sort()).toEqual(['hashlib', 'json', 'sys', 'time']);
    expect(readFileSync(example, 'utf8')).not.toMatch(/(from |import\()['"](node:)?child_process['"]|(from |import\()['"]execa['"]/);
  });
});
