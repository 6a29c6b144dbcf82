import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { JobEvent } from '../../src/contracts/index.js';

const run = promisify(execFile);
const tsx = join(process.cwd(), 'node_modules', 'tsx', 'dist', 'loader.mjs');
const example = join(process.cwd(), 'examples', 'embed.ts');

describe('examples/embed.ts', () => {
  it('runs git status for a plugin in a repository it made through the same JobHost, prints the events and two refusals', async () => {
    const { stdout, stderr } = await run(process.execPath, ['--import', tsx, example], { timeout: 60_000 });
    expect(stderr).toBe('');
    const lines = stdout.trimEnd().split('\n');
    // every event is printed in its wire shape, and parses as the contract
    const events = lines.filter((line) => line.startsWith('event: ')).map((line) => JobEvent.parse(JSON.parse(line.slice('event: '.length))));
    expect(events.map((event) => event.type)).toEqual(['job_started', 'job_log_line', 'job_completed']);
    expect(events.every((event) => event.job_id === 'status-plugin:1')).toBe(true);
    expect(events[1]).toMatchObject({ type: 'job_log_line', line: '?? notes.txt', stream: 'stdout' });
    expect(events[2]).toMatchObject({ type: 'job_completed', exit_code: 0, output_tail: '?? notes.txt\n' });
    // after the events: gitReadOnly's refusal, then the host's own git-admin, which the plugin's handle does not have
    expect(lines.slice(3)).toEqual([
      'refused: ERR_ARGS_REFUSED: Arguments for "git" refused: git option "--output=/tmp/owned" is not allowed: it writes a file',
      'refused: ERR_BINARY_NOT_ALLOWED: Binary "git-admin" is not allow-listed (allowed: git)',
    ]);
  }, 90_000);

  it('creates its repository through the JobHost too: no child_process, no execa', () => {
    expect(readFileSync(example, 'utf8')).not.toMatch(/(from |import\()['"](node:)?child_process['"]|(from |import\()['"]execa['"]/);
  });
});
