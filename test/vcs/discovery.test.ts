import { chmodSync, copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { JobHost } from '../../src/host/job-host.js';
import { VcsAdapterClient } from '../../src/vcs/client.js';
import { discoverVcsAdapters } from '../../src/vcs/discovery.js';
import { tempDir } from '../helpers/host.js';
import { thrownBy, vcsFixture } from './helpers.js';

const EXAMPLES = fileURLToPath(new URL('../../examples', import.meta.url));

/** A copy of the ok fixture (and its lib) at `dir/name`. */
function adapterAt(dir: string, name: string, mode = 0o755): string {
  mkdirSync(dir, { recursive: true });
  copyFileSync(vcsFixture('lib.mjs'), join(dir, 'lib.mjs'));
  const file = join(dir, name);
  copyFileSync(vcsFixture('ok.mjs'), file);
  chmodSync(file, mode);
  return file;
}

function manifest(dir: string, content: unknown): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'vcs-adapter.json');
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

describe('discoverVcsAdapters: proposes allow-list entries, never adds them', () => {
  it('finds jobhost-vcs-<name> executables on the search path; the first directory wins', () => {
    const first = tempDir();
    const second = tempDir();
    const demo = adapterAt(first, 'jobhost-vcs-demo');
    adapterAt(second, 'jobhost-vcs-demo');
    adapterAt(second, 'jobhost-vcs-other');
    adapterAt(second, 'jobhost-vcs-noexec', 0o644);
    adapterAt(second, 'jobhost-vcs-Bad');
    const found = discoverVcsAdapters({ searchPath: `relative/dir:${first}:${second}` });
    expect(Object.keys(found.adapters)).toEqual(['demo', 'other']);
    expect(found.adapter('demo')).toMatchObject({ name: 'demo', binary: 'jobhost-vcs-demo', args: [], file: demo, source: first });
    expect(Object.keys(found.binaries)).toEqual(['jobhost-vcs-demo', 'jobhost-vcs-other']);
    expect(found.binaries['jobhost-vcs-demo']?.path).toBe(demo);
  });

  it('the host application merges the entries; a client then runs the adapter, and plugins cannot add arguments', async () => {
    const bin = tempDir();
    adapterAt(bin, 'jobhost-vcs-demo');
    const found = discoverVcsAdapters({ searchPath: bin });
    await using host = new JobHost({ root: tempDir(), binaries: { ...found.binaries } });
    const client = new VcsAdapterClient({ host, owner: 'vcs', ...found.adapter('demo') });
    expect(await client.revisionId()).toEqual({ revision_id: 'r42' });
    expect(() => host.forOwner('plugin').spawn({ label: 'x', binary: 'jobhost-vcs-demo', args: ['--evil'] })).toThrow(
      expect.objectContaining({ code: 'ERR_ARGS_REFUSED' }),
    );
  });

  it('reads manifests in a directory and one level down; a manifest wins over the search path', () => {
    const dirs = tempDir();
    const bin = tempDir();
    adapterAt(bin, 'jobhost-vcs-p4');
    const script = adapterAt(join(dirs, 'p4'), 'adapter.mjs');
    const file = manifest(join(dirs, 'p4'), { name: 'p4', command: './adapter.mjs', args: ['--stdio'], timeout_ms: 60_000, env: ['P4PORT'], description: 'Perforce' });
    const found = discoverVcsAdapters({ searchPath: bin, manifestDirs: [dirs, join(dirs, 'missing')] });
    const spec = found.adapter('p4');
    expect(spec).toMatchObject({ name: 'p4', binary: 'jobhost-vcs-p4', args: ['--stdio'], timeoutMs: 60_000, file: script, source: file });
    const policy = found.binaries['jobhost-vcs-p4'];
    expect(policy).toMatchObject({ path: script, env: ['P4PORT'], timeoutSecs: 60 });
    const args = policy?.args as (args: readonly string[]) => true | string;
    expect(args(['--stdio'])).toBe(true);
    expect(args([])).toMatch(/fixed arguments/);
  });

  it('finds the git example adapter through its manifest', () => {
    const found = discoverVcsAdapters({ searchPath: '', manifestDirs: [EXAMPLES] });
    expect(found.adapter('git')).toMatchObject({ binary: 'jobhost-vcs-git', timeoutMs: 60_000, file: join(EXAMPLES, 'git-vcs-adapter', 'bin', 'jobhost-vcs-git.mjs') });
  });

  it('an invalid manifest fails loudly, naming the file and the problem', () => {
    const cases: [unknown, RegExp][] = [
      ['{ not json', /cannot be read as JSON/],
      [{ name: 'x', command: './nope.mjs' }, /is not an executable file/],
      [{ name: 'x', command: 'no-such-program-anywhere' }, /not an executable on the search path/],
      [{ name: 'Bad Name', command: 'x' }, /name: must be lower-case/],
      [{ name: 'x', command: 'x', timeout: 5 }, /Unrecognized key/],
    ];
    for (const [content, problem] of cases) {
      const dir = tempDir();
      const file = manifest(dir, content);
      let error: unknown;
      try {
        discoverVcsAdapters({ searchPath: '', manifestDirs: [dir] });
      } catch (caught) {
        error = caught;
      }
      expect(error).toMatchObject({ code: 'ERR_VCS_MANIFEST', details: { file } });
      expect((error as Error).message).toMatch(problem);
      expect((error as Error).message).toContain(file);
    }
  });

  it('two manifests claiming one name are ambiguous; a relative manifest dir is refused; an unknown name is told', () => {
    const dirs = tempDir();
    for (const sub of ['a', 'b']) {
      adapterAt(join(dirs, sub), 'adapter.mjs');
      manifest(join(dirs, sub), { name: 'same', command: './adapter.mjs' });
    }
    expect(() => discoverVcsAdapters({ searchPath: '', manifestDirs: [dirs] })).toThrow(/both claim the name "same"/);
    expect(() => discoverVcsAdapters({ manifestDirs: ['relative'] })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTIONS' }));
    const none = discoverVcsAdapters({ searchPath: '' });
    const error = thrownBy(() => none.adapter('git'));
    expect(error.code).toBe('ERR_INVALID_OPTIONS');
    expect(error.message).toContain('found: none');
  });
});
