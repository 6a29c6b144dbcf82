/**
 * Discovery of TA's own layout with real `plugin.toml` files in temp
 * directories: TA's search order, keys, types and defaults, its PATH
 * fallback, and the environment rules (`required_env`, `hostEnv`).
 */
import { chmodSync, copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { JobHost } from '../../src/host/job-host.js';
import { VcsAdapterClient } from '../../src/vcs/client.js';
import { discoverVcsAdapters } from '../../src/vcs/discovery.js';
import { parseToml } from '../../src/vcs/toml.js';
import { tempDir } from '../helpers/host.js';
import { rejection, thrownBy, vcsFixture } from './helpers.js';

const PY = vcsFixture('ta-perforce-py.mjs');
const SVN = vcsFixture('ta-svn.mjs');

function plugin(dir: string, toml: string): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'plugin.toml');
  writeFileSync(file, toml);
  return file;
}

/** A project with `.ta/plugins/vcs/`, and an empty global directory. */
function layout(): { project: string; vcs: string; global: string } {
  const project = tempDir();
  return { project, vcs: join(project, '.ta', 'plugins', 'vcs'), global: tempDir() };
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("discoverVcsAdapters({ ta }): TA's own layout", () => {
  it("reads a shipped-style plugin.toml: TA's keys, types and defaults; unknown keys ignored", () => {
    const { project, vcs, global } = layout();
    const file = plugin(
      join(vcs, 'anything'),
      ['# as shipped', 'name = "svn"', 'type = "vcs"', `command = "${SVN} --stdio"`, 'args = ["--quiet"]', 'protocol = "json-stdio"', 'timeout_secs = 60', 'capabilities = ["commit", "push",', '  "sync",]', '', '[staging_env]', 'SVN_EDITOR = "true"', ''].join('\n'),
    );
    const found = discoverVcsAdapters({ searchPath: '', ta: { projectRoot: project, globalDir: global } });
    expect(found.problems).toEqual([]);
    expect(found.adapter('svn')).toMatchObject({ name: 'svn', binary: 'ta-submit-svn', args: ['--stdio', '--quiet'], timeoutMs: 60_000, file: SVN, source: file });
    expect(found.adapter('svn').manifest).toEqual({
      name: 'svn',
      version: '0.1.0',
      type: 'vcs',
      command: `${SVN} --stdio`,
      args: ['--quiet'],
      capabilities: ['commit', 'push', 'sync'],
      timeout_secs: 60,
      staging_env: { SVN_EDITOR: 'true' },
      required_env: [],
    });
    expect(found.binaries['ta-submit-svn']).toMatchObject({ path: SVN, timeoutSecs: 60 });
    const minimal = layout();
    plugin(join(minimal.vcs, 'p'), `name = "svn"\ncommand = '${SVN}'\n`);
    expect(discoverVcsAdapters({ searchPath: '', ta: { projectRoot: minimal.project, globalDir: null } }).adapter('svn')).toMatchObject({ args: [], timeoutMs: 30_000 });
  });

  it('project before global, first of a name wins; a bare command is looked up on the search path', () => {
    const { project, vcs, global } = layout();
    const bin = tempDir();
    copyFileSync(SVN, join(bin, 'ta-submit-svn'));
    chmodSync(join(bin, 'ta-submit-svn'), 0o755);
    const local = plugin(join(vcs, 'svn'), 'name = "svn"\ncommand = "ta-submit-svn"\n');
    plugin(join(global, 'svn'), `name = "svn"\ncommand = "${SVN}"\n`);
    plugin(join(global, 'perforce'), `name = "perforce"\ncommand = "${PY}"\n`);
    const found = discoverVcsAdapters({ searchPath: bin, ta: { projectRoot: project, globalDir: global } });
    expect(Object.keys(found.adapters)).toEqual(['perforce', 'svn']);
    expect(found.adapter('svn')).toMatchObject({ source: local, file: join(bin, 'ta-submit-svn') });
  });

  it('falls back to a bare ta-submit-<name> on the search path, with TA’s 30 s; only with `ta`', () => {
    const bin = tempDir();
    copyFileSync(SVN, join(bin, 'ta-submit-svn'));
    chmodSync(join(bin, 'ta-submit-svn'), 0o755);
    const found = discoverVcsAdapters({ searchPath: bin, ta: { globalDir: null } });
    expect(found.adapter('svn')).toMatchObject({ binary: 'ta-submit-svn', args: [], timeoutMs: 30_000, source: bin });
    expect(discoverVcsAdapters({ searchPath: bin }).adapters).toEqual({});
  });

  it('skips invalid manifests and says why, as TA skips them with a warning', () => {
    const { project, vcs } = layout();
    const bad = {
      type: plugin(join(vcs, 'a'), `name = "a"\ntype = "agent"\ncommand = "${SVN}"\n`),
      blank: plugin(join(vcs, 'b'), 'name = "b"\ncommand = "   "\n'),
      relative: plugin(join(vcs, 'c'), 'name = "c"\ncommand = "./adapter"\n'),
      timeout: plugin(join(vcs, 'd'), `name = "d"\ncommand = "${SVN}"\ntimeout_secs = "60"\n`),
      toml: plugin(join(vcs, 'e'), 'name = "e"\ncommand = \n'),
      missing: plugin(join(vcs, 'f'), 'name = "f"\ncommand = "ta-submit-nowhere"\n'),
    };
    mkdirSync(join(vcs, 'no-manifest'));
    const found = discoverVcsAdapters({ searchPath: '', ta: { projectRoot: project, globalDir: null } });
    expect(found.adapters).toEqual({});
    const why = Object.fromEntries(found.problems.map(({ file, problem }) => [file, problem]));
    expect(why[bad.type]).toMatch(/^type: must be "vcs"/);
    expect(why[bad.blank]).toMatch(/command: must not be blank/);
    expect(why[bad.relative]).toMatch(/relative path; TA does not resolve it/);
    expect(why[bad.timeout]).toMatch(/^timeout_secs: /);
    expect(why[bad.toml]).toMatch(/^cannot be read as TOML: line 2: /);
    expect(why[bad.missing]).toBe('command "ta-submit-nowhere" is not an executable on the search path');
    expect(found.problems).toHaveLength(6);
  });

  it('required_env: allowed, passed through from this process, and refused with an explanation when missing', async () => {
    const { project, vcs } = layout();
    plugin(join(vcs, 'perforce'), `name = "perforce"\ncommand = "${PY}"\nrequired_env = ["P4PORT", "P4USER", "P4CLIENT"]\n`);
    const found = discoverVcsAdapters({ searchPath: '', ta: { projectRoot: project, globalDir: null } });
    expect(found.adapter('perforce')).toMatchObject({ requiredEnv: ['P4PORT', 'P4USER', 'P4CLIENT'], passEnv: ['P4PORT', 'P4USER', 'P4CLIENT'] });
    await using host = new JobHost({ root: project, binaries: found.binaries });
    const missing = await rejection(new VcsAdapterClient({ host, owner: 'vcs', ...found.adapter('perforce') }).handshake());
    expect(missing).toMatchObject({ code: 'ERR_VCS_POLICY', details: { hostCode: 'ERR_ENV_REFUSED' } });
    expect(missing.message).toContain('needs P4PORT, P4USER, P4CLIENT (required_env in');
    expect(host.forOwner('vcs').list()).toEqual([]);
    vi.stubEnv('P4PORT', 'ssl:p4:1666');
    vi.stubEnv('P4USER', 'bot');
    vi.stubEnv('P4CLIENT', 'ws');
    const client = new VcsAdapterClient({ host, owner: 'vcs', ...found.adapter('perforce') });
    expect(await client.saveState()).toEqual({ state: { client: 'ws', opened: [] } });
  });

  it('hostEnv: variables the host fixes for one adapter, PATH included, that no request could set', async () => {
    const { project, vcs } = layout();
    plugin(join(vcs, 'perforce'), `name = "perforce"\ncommand = "${PY}"\nrequired_env = ["P4PORT", "P4USER", "P4CLIENT"]\n`);
    const found = discoverVcsAdapters({
      searchPath: '',
      ta: { projectRoot: project, globalDir: null },
      hostEnv: { perforce: { P4PORT: 'ssl:p4:1666', P4USER: 'bot', P4CLIENT: 'fixed-ws', PATH: process.env.PATH ?? '/usr/bin' }, absent: { X: '1' } },
    });
    await using host = new JobHost({ root: project, binaries: found.binaries });
    const client = new VcsAdapterClient({ host, owner: 'vcs', ...found.adapter('perforce') });
    expect(await client.saveState()).toEqual({ state: { client: 'fixed-ws', opened: [] } });
    expect(thrownBy(() => discoverVcsAdapters({ searchPath: '', hostEnv: { perforce: { LD_PRELOAD: '/x.so' } } }))).toMatchObject({ code: 'ERR_INVALID_OPTIONS' });
  });

  it("the global directory defaults to XDG_CONFIG_HOME's, else HOME's; relative options are refused", () => {
    const xdg = tempDir();
    plugin(join(xdg, 'ta', 'plugins', 'vcs', 'svn'), `name = "svn"\ncommand = "${SVN}"\n`);
    vi.stubEnv('XDG_CONFIG_HOME', xdg);
    expect(Object.keys(discoverVcsAdapters({ searchPath: '', ta: true }).adapters)).toEqual(['svn']);
    const home = tempDir();
    plugin(join(home, '.config', 'ta', 'plugins', 'vcs', 'p4'), `name = "perforce"\ncommand = "${PY}"\n`);
    vi.stubEnv('XDG_CONFIG_HOME', undefined);
    vi.stubEnv('HOME', home);
    expect(Object.keys(discoverVcsAdapters({ searchPath: '', ta: true }).adapters)).toEqual(['perforce']);
    expect(thrownBy(() => discoverVcsAdapters({ ta: { projectRoot: 'relative' } })).code).toBe('ERR_INVALID_OPTIONS');
  });
});

describe('parseToml: the subset plugin.toml needs', () => {
  it('reads strings, numbers, booleans, arrays, tables and inline tables; refuses what it does not support', () => {
    expect(
      parseToml(['a = "x\\ty\\u00e9"', "b = 'C:\\raw'", 'c = 1_000', 'd = -2.5', 'e = true', 'f = [1, [2], "s"] # c', '"quoted key" = """', 'multi"""', 'g = { h = 1, i = "j" }', '[t]', 'k = 0x1f'].join('\n')),
    ).toEqual({ a: 'x\tyé', b: 'C:\\raw', c: 1000, d: -2.5, e: true, f: [1, [2], 's'], 'quoted key': 'multi', g: { h: 1, i: 'j' }, t: { k: 31 } });
    expect(() => parseToml('a = 1\na = 2')).toThrow('line 2: the key "a" is defined twice');
    expect(() => parseToml('a.b = 1')).toThrow(/dotted keys/);
    expect(() => parseToml('[[x]]')).toThrow(/arrays of tables/);
    expect(() => parseToml('d = 1979-05-27')).toThrow(/dates/);
    expect(() => parseToml('s = "open')).toThrow(/unterminated/);
    expect(parseToml('__proto__ = 1')).toEqual(JSON.parse('{"__proto__":1}'));
  });
});
