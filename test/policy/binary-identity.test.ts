/**
 * Binary identity. Attack: the allow-listed file is replaced on disk after
 * the host was built — renamed over (a new inode under the same path),
 * rewritten in place (same inode), or a script's interpreter swapped — and
 * the next spawn runs the new content. Guarantee: every spawn checks device,
 * inode, size, mtime and ctime of the file and of a script's interpreter
 * against what was pinned at construction, and refuses with
 * ERR_BINARY_CHANGED; an optional sha256 is checked at construction.
 */
import { createHash } from 'node:crypto';
import { appendFileSync, chmodSync, copyFileSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JobHost } from '../../src/host/job-host.js';
import { expectJobHostError } from '../helpers/errors.js';
import { tempDir } from '../helpers/host.js';

function script(dir: string, name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  chmodSync(file, 0o755);
  return file;
}

function host(root: string, path: string, extra: Record<string, unknown> = {}): JobHost {
  return new JobHost({ root, binaries: { tool: { path, ...extra } } });
}

const REQUEST = { label: 't', binary: 'tool', args: [] };

describe('ERR_BINARY_CHANGED', () => {
  it('a file renamed over the allow-listed path (a new inode) is refused at spawn, and nothing runs', async () => {
    const root = tempDir();
    const file = script(root, 'tool', '#!/bin/sh\necho original\n');
    const jobs = host(root, file);
    try {
      expect((await jobs.forOwner('p').run(REQUEST)).type).toBe('job_completed');
      script(root, 'evil', `#!/bin/sh\ntouch ${join(root, 'pwned')}\n`);
      renameSync(join(root, 'evil'), file);
      const error = expectJobHostError(() => jobs.forOwner('p').spawn(REQUEST), 'ERR_BINARY_CHANGED');
      expect(error.message).toContain('replaced by another file');
      expect(error.details).toMatchObject({ binary: 'tool', file });
    } finally {
      await jobs.dispose();
    }
  });

  it('the same file rewritten in place (same inode) is refused', async () => {
    const root = tempDir();
    const file = script(root, 'tool', '#!/bin/sh\necho original\n');
    const jobs = host(root, file);
    try {
      appendFileSync(file, 'echo appended\n');
      expect(expectJobHostError(() => jobs.forOwner('p').spawn(REQUEST), 'ERR_BINARY_CHANGED').message).toContain('modified');
    } finally {
      await jobs.dispose();
    }
  });

  it("a script's interpreter swapped after construction is refused too", async () => {
    const root = tempDir();
    const shell = join(root, 'mysh');
    copyFileSync('/bin/sh', shell);
    chmodSync(shell, 0o755);
    const file = script(root, 'tool', `#!${shell}\necho hi\n`);
    const jobs = host(root, file);
    try {
      expect((await jobs.forOwner('p').run(REQUEST)).type).toBe('job_completed');
      copyFileSync('/bin/sh', join(root, 'other-sh'));
      renameSync(join(root, 'other-sh'), shell);
      expect(expectJobHostError(() => jobs.forOwner('p').spawn(REQUEST), 'ERR_BINARY_CHANGED').message).toContain(shell);
    } finally {
      await jobs.dispose();
    }
  });

  it('a pinned sha256 is checked at construction: a match builds, a mismatch names both hashes', async () => {
    const root = tempDir();
    const file = script(root, 'tool', '#!/bin/sh\necho hi\n');
    const sha256 = createHash('sha256').update(readFileSync(file)).digest('hex');
    const good = host(root, file, { sha256: sha256.toUpperCase() });
    await good.dispose();
    const wrong = '0'.repeat(64);
    const error = expectJobHostError(() => host(root, file, { sha256: wrong }), 'ERR_BINARY_CHANGED');
    expect(error.message).toContain(wrong);
    expect(error.message).toContain(sha256);
    expectJobHostError(() => host(root, file, { sha256: 'not-hex' }), 'ERR_INVALID_OPTIONS');
  });
});
