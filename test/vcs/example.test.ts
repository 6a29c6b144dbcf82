import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/host.js';

const run = promisify(execFile);
const tsx = join(process.cwd(), 'node_modules', 'tsx', 'dist', 'loader.mjs');

describe('examples/vcs-client.ts keeps working', () => {
  it('drives a goal through the git adapter and prints what happened', { timeout: 120_000 }, async () => {
    const { stdout, stderr } = await run(process.execPath, ['--import', tsx, join(process.cwd(), 'examples', 'vcs-client.ts')], { cwd: tempDir(), timeout: 110_000 });
    expect(stderr).toBe('');
    expect(stdout).toContain('adapter git 0.1.0 (protocol 1); capabilities: detect,');
    expect(stdout).toContain('detect: true');
    expect(stdout).toContain('verify_target on main refused: ERR_VCS_ADAPTER_ERROR: refusing to submit on protected target "main"');
    expect(stdout).toMatch(/commit: committed [0-9a-f]{12} on feature\/add-a-greeting: Add a greeting/);
    expect(stdout).toContain('verify_target: ok');
    expect(stdout).toContain('open_review: ERR_VCS_ADAPTER_ERROR'); // sent, as TA sends it; the adapter says it has no review command
    expect(stdout).toContain('job vcs:7 vcs jobhost-vcs-git verify_target: {"Completed":{"exit_code":0}}');
  });

  it('sets its repository up through the JobHost too, as the only owner allowed to run git: no child_process, no execa', () => {
    const source = readFileSync(join(process.cwd(), 'examples', 'vcs-client.ts'), 'utf8');
    expect(source).not.toMatch(/(from |import\()['"](node:)?child_process['"]|(from |import\()['"]execa['"]/);
    expect(source).toContain("host.forOwner('setup', { binaries: ['git']");
  });
});
