/**
 * Dispatchers: files that do not decide themselves what runs.
 *
 * Attack: an allow-listed `#!/usr/bin/env node` script asks env to look `node`
 * up on the job's PATH at every start, so whoever can put a `node` earlier on
 * that PATH (a relative entry such as `.` resolved in a repository the plugin
 * chose as cwd, a writable directory) runs code. A version-manager shim picks
 * its program from files in the cwd (`.python-version`, `.tool-versions`).
 * Guarantee: env scripts run through the interpreter resolved and pinned at
 * construction; shims are refused with ERR_BINARY_DISPATCHER unless
 * `allowDispatcher: true`.
 */
import { chmodSync, mkdirSync, realpathSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JobHost } from '../../src/host/job-host.js';
import { resolveBinaries } from '../../src/policy/binaries.js';
import { expectJobHostError } from '../helpers/errors.js';
import { collect, linesOf, tempDir } from '../helpers/host.js';

const NODE_DIR = dirname(realpathSync(process.execPath));

function write(file: string, text: string): string {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  chmodSync(file, 0o755);
  return file;
}

describe('env scripts are started through their pinned interpreter', () => {
  it('#!/usr/bin/env node runs `<node> <script>`, node resolved once on the search path', () => {
    const dir = tempDir();
    const script = write(join(dir, 'tool.mjs'), '#!/usr/bin/env node\nconsole.log("tool")\n');
    const resolved = resolveBinaries({ tool: { path: script } }, NODE_DIR).get('tool');
    expect(resolved?.launch).toEqual({ file: realpathSync(process.execPath), prefix: [script], interpreter: realpathSync(process.execPath), dispatcher: null });
    expect(resolved?.pins.map((pin) => pin.file)).toEqual([script, realpathSync(process.execPath)]);
  });

  it('#!/usr/bin/env -S node --flags keeps the flags before the script', () => {
    const dir = tempDir();
    const script = write(join(dir, 'tool.mjs'), '#!/usr/bin/env -S node --no-warnings --max-old-space-size=64\n');
    expect(resolveBinaries({ tool: { path: script } }, NODE_DIR).get('tool')?.launch.prefix).toEqual(['--no-warnings', '--max-old-space-size=64', script]);
  });

  it('a `node` dropped earlier on the job PATH, or in the cwd behind a relative PATH entry, is never run', async () => {
    const root = tempDir();
    const canary = join(root, 'pwned');
    const evil = `#!/bin/sh\ntouch ${canary}\necho evil\n`;
    write(join(root, 'evil-bin', 'node'), evil);
    write(join(root, 'repo', 'node'), evil);
    const script = write(join(root, 'tool.mjs'), '#!/usr/bin/env node\nconsole.log("the real tool")\n');
    const host = new JobHost({
      root,
      searchPath: NODE_DIR,
      // a host whose PATH a hostile party can write to, and a relative entry that resolves in the job's cwd
      env: { PATH: `${join(root, 'evil-bin')}:.:${NODE_DIR}:/usr/bin:/bin` },
      binaries: { tool: { path: script } },
    });
    try {
      const jobs = host.forOwner('p');
      const events = collect(jobs);
      for (const cwd of ['', 'repo']) {
        const end = await jobs.run({ label: 't', binary: 'tool', args: [], cwd });
        expect(end.type).toBe('job_completed');
        expect(linesOf(events, end.job_id)).toEqual(['the real tool']);
      }
      expect(existsSync(canary)).toBe(false);
    } finally {
      await host.dispose();
    }
  });

  it('an env script whose interpreter is not on the search path: ERR_BINARY_NOT_FOUND names it', () => {
    const dir = tempDir();
    const script = write(join(dir, 'tool'), '#!/usr/bin/env no-such-interpreter-xyz\n');
    expect(expectJobHostError(() => resolveBinaries({ tool: { path: script } }, NODE_DIR), 'ERR_BINARY_NOT_FOUND').message).toContain('no-such-interpreter-xyz');
  });

  it.each([
    ['#!/usr/bin/env -i node', 'an option env would apply'],
    ['#!/usr/bin/env FOO=1 node', 'a variable env would set'],
    ['#!/usr/bin/env -S node "--quoted arg"', 'quoting env -S would decode'],
    ['#!/usr/bin/env', 'no program at all'],
  ])('%s (%s) cannot be replayed exactly: ERR_BINARY_DISPATCHER, or run as-is with allowDispatcher', (line) => {
    const dir = tempDir();
    const script = write(join(dir, 'tool'), `${line}\n`);
    expectJobHostError(() => resolveBinaries({ tool: { path: script } }, NODE_DIR), 'ERR_BINARY_DISPATCHER');
    expect(resolveBinaries({ tool: { path: script, allowDispatcher: true } }, NODE_DIR).get('tool')?.launch).toMatchObject({ file: script, prefix: [], dispatcher: 'env script' });
  });

  it('a script with an absolute interpreter is left to the kernel, its interpreter pinned too', () => {
    const dir = tempDir();
    const script = write(join(dir, 'tool'), '#!/bin/sh -e\necho hi\n');
    const resolved = resolveBinaries({ tool: { path: script } }, '').get('tool');
    expect(resolved?.launch).toEqual({ file: script, prefix: [], interpreter: '/bin/sh', dispatcher: null });
    expect(resolved?.pins).toHaveLength(2);
  });
});

describe('version-manager shims are refused unless allowed', () => {
  const PYENV_SHIM = '#!/usr/bin/env bash\nset -e\nprogram="${0##*/}"\nexport PYENV_ROOT="/home/u/.pyenv"\nexec "/home/u/.pyenv/libexec/pyenv" exec "$program" "$@"\n';
  const ASDF_SHIM = '#!/usr/bin/env bash\n# asdf-plugin: nodejs 20.0.0\nexec asdf exec "node" "$@"\n';

  it('a file in a `shims` directory (pyenv, rbenv, asdf, nodenv, mise)', () => {
    const dir = tempDir();
    const shim = write(join(dir, '.pyenv', 'shims', 'python3'), PYENV_SHIM);
    const error = expectJobHostError(() => resolveBinaries({ python3: { path: shim } }, ''), 'ERR_BINARY_DISPATCHER');
    expect(error.message).toContain('pyenv shim');
    expect(error.message).toContain('allowDispatcher');
    expect(error.details).toMatchObject({ binary: 'python3', dispatcher: 'pyenv shim' });
  });

  it('a shim script anywhere, recognised by its exec line', () => {
    const dir = tempDir();
    for (const [name, text, kind] of [['py', PYENV_SHIM, 'pyenv shim'], ['nd', ASDF_SHIM, 'asdf shim']] as const) {
      const shim = write(join(dir, 'bin', name), text);
      expect(expectJobHostError(() => resolveBinaries({ [name]: { path: shim } }, NODE_DIR), 'ERR_BINARY_DISPATCHER').details).toMatchObject({ dispatcher: kind });
    }
  });

  it('a binary shim, recognised by the real file it links to (volta)', () => {
    const dir = tempDir();
    const real = write(join(dir, 'volta', 'volta-shim'), '\x7fELF not really\n');
    symlinkSync(real, join(dir, 'node'));
    expectJobHostError(() => resolveBinaries({ node: { path: join(dir, 'node') } }, ''), 'ERR_BINARY_DISPATCHER');
  });

  it('an env script whose interpreter on the search path is a shim', () => {
    const dir = tempDir();
    write(join(dir, '.pyenv', 'shims', 'python3'), PYENV_SHIM);
    const script = write(join(dir, 'tool.py'), '#!/usr/bin/env python3\nprint("hi")\n');
    const error = expectJobHostError(() => resolveBinaries({ tool: { path: script } }, join(dir, '.pyenv', 'shims')), 'ERR_BINARY_DISPATCHER');
    expect(error.message).toContain('interpreter is a pyenv shim');
  });

  it('allowDispatcher: true lets a shim through and reports it', () => {
    const dir = tempDir();
    const shim = write(join(dir, '.rbenv', 'shims', 'ruby'), '#!/usr/bin/env bash\nexec rbenv exec ruby "$@"\n');
    expect(resolveBinaries({ ruby: { path: shim, allowDispatcher: true } }, '').get('ruby')?.launch).toMatchObject({ file: shim, dispatcher: 'rbenv shim' });
  });

  it('an ordinary binary or script is not a dispatcher', () => {
    const dir = tempDir();
    const plain = write(join(dir, 'bin', 'tool'), '#!/bin/sh\n# mentions pyenv in a comment but execs nothing through it\necho ok\n');
    expect(resolveBinaries({ tool: { path: plain } }, '').get('tool')?.launch.dispatcher).toBeNull();
    expect(resolveBinaries({ node: { path: process.execPath } }, '').get('node')?.launch).toMatchObject({ file: realpathSync(process.execPath), interpreter: null, dispatcher: null });
  });
});
