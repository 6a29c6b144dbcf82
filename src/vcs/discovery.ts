/**
 * Finding VCS adapters by name, for the host application — never a plugin.
 *
 * Discovery only *proposes* allow-list entries: the host application merges
 * `binaries` into `new JobHost({ binaries })`, and nothing reaches the
 * allow-list any other way. A plugin holding a `JobHandle` cannot add a
 * binary, and a client can only use a binary the host already allows.
 */
import { readdirSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import { describeValue } from '../errors.js';
import { readOptions, type OptionsErrorFactory, type OptionsReader } from '../options/reader.js';
import type { BinaryPolicy } from '../policy/binaries.js';
import { executableFile } from '../policy/binaries.js';
import { compileDenyList, DENIED_ENV, isDeniedEnv } from '../policy/env/index.js';
import { adapterEnvProfile } from './adapter-profile.js';
import { VcsAdapterError } from './errors.js';
import { exactArgs, readManifest, VCS_ADAPTER_MANIFEST, VCS_ADAPTER_NAME, VCS_ADAPTER_PREFIX, type VcsAdapterSpec } from './manifest.js';
import { discoverTaLayout, type VcsDiscoveryProblem } from './ta-discovery.js';
import { taGlobalPluginDir } from './ta-manifest.js';

export type { VcsDiscoveryProblem } from './ta-discovery.js';

/** Where TA keeps its adapters; see docs/vcs.md, "TrustedAutonomy's layout". */
export interface TaDiscoveryOptions {
  /** Absolute project root: `<projectRoot>/.ta/plugins/vcs/<dir>/plugin.toml` is searched first. */
  readonly projectRoot?: string;
  /**
   * Absolute global plugin directory, searched second; `null` for none.
   * @default `$XDG_CONFIG_HOME/ta/plugins/vcs` when XDG_CONFIG_HOME is set, else `$HOME/.config/ta/plugins/vcs`
   */
  readonly globalDir?: string | null;
}

/** Where to look. */
export interface DiscoverVcsAdaptersOptions {
  /** `PATH`-style list scanned for `jobhost-vcs-<name>` (and, with `ta`, `ta-submit-<name>`) executables; relative entries are ignored; `''` scans nothing. @default process.env.PATH */
  readonly searchPath?: string;
  /** Absolute directories holding `vcs-adapter.json` directly or one level down (`<dir>/<adapter>/vcs-adapter.json`); missing ones are skipped. @default [] */
  readonly manifestDirs?: readonly string[];
  /**
   * Also read TrustedAutonomy's layout: `plugin.toml` in TA's plugin
   * directories, then `ta-submit-<name>` executables on the search path.
   * `true`: the global directory and the search path only. @default false
   */
  readonly ta?: TaDiscoveryOptions | boolean;
  /**
   * Per adapter name, variables the host fixes for that adapter alone — a
   * `PATH` that finds `p4`, a `P4CONFIG` — set by its policy, never by a
   * request (so host-only names such as `PATH` are fine here). Names of
   * adapters not found are ignored. @default {}
   */
  readonly hostEnv?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/** What discovery found. */
export interface VcsAdapterDiscovery {
  /** By adapter name (`git`), for building clients. */
  readonly adapters: Readonly<Record<string, VcsAdapterSpec>>;
  /** By allow-list key (`jobhost-vcs-git`, `ta-submit-svn`), to merge into the host's `binaries`. */
  readonly binaries: Readonly<Record<string, BinaryPolicy>>;
  /** TA manifests that were skipped (invalid, command not found), as TA skips them with a warning. */
  readonly problems: readonly VcsDiscoveryProblem[];
  /** The adapter called `name`; throws `ERR_INVALID_OPTIONS` listing what was found when there is none. */
  adapter(name: string): VcsAdapterSpec;
}

function entries(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}

function manifestFiles(dir: string): string[] {
  const files = [join(dir, VCS_ADAPTER_MANIFEST)];
  for (const entry of entries(dir)) files.push(join(dir, entry, VCS_ADAPTER_MANIFEST));
  return files.filter((file) => entries(join(file, '..')).includes(VCS_ADAPTER_MANIFEST));
}

function fromSearchPath(searchPath: string, found: Map<string, VcsAdapterSpec>): void {
  for (const dir of searchPath.split(delimiter)) {
    if (dir === '' || !isAbsolute(dir)) continue;
    for (const entry of entries(dir)) {
      if (!entry.startsWith(VCS_ADAPTER_PREFIX)) continue;
      const name = entry.slice(VCS_ADAPTER_PREFIX.length);
      if (!VCS_ADAPTER_NAME.test(name) || found.has(name)) continue; // earlier PATH entries win, as for a shell
      const file = executableFile(join(dir, entry));
      if (file === undefined) continue;
      found.set(name, { name, binary: entry, args: [], file, source: dir, policy: { path: file, args: exactArgs([]) } });
    }
  }
}

function fromManifestDirs(manifestDirs: readonly string[], searchPath: string, found: Map<string, VcsAdapterSpec>): void {
  for (const dir of manifestDirs) {
    for (const file of manifestFiles(dir)) {
      const spec = readManifest(file, searchPath);
      const earlier = found.get(spec.name);
      if (earlier !== undefined) {
        throw new VcsAdapterError('ERR_VCS_MANIFEST', `VCS adapter manifests ${earlier.source} and ${file} both claim the name "${spec.name}"`, {
          adapter: file,
          method: null,
          details: { file, other: earlier.source },
        });
      }
      found.set(spec.name, spec);
    }
  }
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const DENIED = compileDenyList(DENIED_ENV);

function readTa(read: OptionsReader): string[] | null {
  const ta = read.raw('ta');
  if (ta === undefined || ta === false) return null;
  if (ta !== true && (typeof ta !== 'object' || ta === null)) read.fail('ta', 'a boolean or { projectRoot, globalDir }', ta);
  const nested = ta === true ? null : read.nested('ta');
  const projectRoot = nested?.string('projectRoot', undefined);
  if (projectRoot !== undefined && !isAbsolute(projectRoot)) nested?.fail('projectRoot', 'an absolute path', projectRoot);
  const globalRaw = nested?.raw('globalDir');
  if (globalRaw !== undefined && globalRaw !== null && !(typeof globalRaw === 'string' && isAbsolute(globalRaw))) nested?.fail('globalDir', 'an absolute path or null', globalRaw);
  nested?.done();
  const globalDir = globalRaw === undefined ? taGlobalPluginDir(process.env) : (globalRaw as string | null);
  return [...(projectRoot === undefined ? [] : [join(projectRoot, '.ta', 'plugins', 'vcs')]), ...(globalDir === null ? [] : [globalDir])];
}

function isHostEnv(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  return Object.values(value as Record<string, unknown>).every(
    (env) => typeof env === 'object' && env !== null && Object.entries(env as Record<string, unknown>).every(([name, item]) => ENV_NAME.test(name) && typeof item === 'string' && !item.includes('\0')),
  );
}

function readHostEnv(read: OptionsReader): Readonly<Record<string, Readonly<Record<string, string>>>> {
  const hostEnv = read.custom<Readonly<Record<string, Readonly<Record<string, string>>>>>('hostEnv', 'an object of adapter name → { NAME: value }', isHostEnv) ?? {};
  for (const [adapter, env] of Object.entries(hostEnv)) {
    const denied = Object.keys(env).find((name) => isDeniedEnv(name, DENIED));
    if (denied !== undefined) read.refuse('hostEnv', `\`hostEnv.${adapter}\` sets ${JSON.stringify(denied)}, which is on the deny list (DENIED_ENV): it changes which code runs`);
  }
  return hostEnv;
}

/** The spec with its env rules enforced by a profile, when it has any. */
function withEnvRules(spec: VcsAdapterSpec, fixed: Readonly<Record<string, string>> | undefined): VcsAdapterSpec {
  const required = spec.requiredEnv ?? [];
  if (required.length === 0 && fixed === undefined) return spec;
  return { ...spec, policy: { ...spec.policy, profile: adapterEnvProfile({ name: spec.name, source: spec.source, required, fixed: fixed ?? {} }) } };
}

/**
 * Finds adapters, in this order (the first of a name wins): `vcs-adapter.json`
 * manifests (two claiming one name, or an invalid one, throw
 * `ERR_VCS_MANIFEST`); with `ta`, TA's layout as TA searches it (invalid
 * `plugin.toml` files are skipped and listed in `problems`); then
 * `jobhost-vcs-<name>` executables on the search path.
 *
 * @example
 * const found = discoverVcsAdapters({ manifestDirs: ['/opt/app/vcs-adapters'] });
 * const host = new JobHost({ root, binaries: { ...appBinaries, ...found.binaries } });
 * const git = new VcsAdapterClient({ host, owner: 'vcs', ...found.adapter('git') });
 */
export function discoverVcsAdapters(options: DiscoverVcsAdaptersOptions = {}): VcsAdapterDiscovery {
  const error: OptionsErrorFactory = (message, option, cause) => new VcsAdapterError('ERR_INVALID_OPTIONS', message, { adapter: 'discovery', method: null, cause, details: { option } });
  const { searchPath, manifestDirs, taDirs, hostEnv } = readOptions(
    options,
    { what: 'discovery options', error, aliases: { path: 'searchPath', dirs: 'manifestDirs' } },
    (read) => ({
      searchPath: read.string('searchPath', process.env.PATH ?? '', true),
      manifestDirs: read.custom<readonly string[]>('manifestDirs', 'an array of absolute paths', (value) => Array.isArray(value) && value.every((dir) => typeof dir === 'string' && isAbsolute(dir))) ?? [],
      taDirs: readTa(read),
      hostEnv: readHostEnv(read),
    }),
    true,
  );
  const found = new Map<string, VcsAdapterSpec>();
  const problems: VcsDiscoveryProblem[] = [];
  fromManifestDirs(manifestDirs, searchPath, found);
  if (taDirs !== null) discoverTaLayout({ pluginDirs: taDirs, searchPath }, found, problems);
  fromSearchPath(searchPath, found);
  const adapters: Record<string, VcsAdapterSpec> = {};
  const binaries: Record<string, BinaryPolicy> = {};
  for (const [name, found_] of [...found].sort(([a], [b]) => a.localeCompare(b))) {
    const spec = withEnvRules(found_, Object.hasOwn(hostEnv, name) ? hostEnv[name] : undefined);
    adapters[name] = spec;
    binaries[spec.binary] = spec.policy;
  }
  return {
    adapters,
    binaries,
    problems,
    adapter: (name) => {
      const spec = Object.hasOwn(adapters, name) ? adapters[name] : undefined;
      if (spec !== undefined) return spec;
      const known = Object.keys(adapters).join(', ') || 'none';
      throw new VcsAdapterError('ERR_INVALID_OPTIONS', `No VCS adapter named ${describeValue(name)} was discovered (found: ${known})`, { adapter: String(name), method: null });
    },
  };
}
