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
import { readOptions, type OptionsErrorFactory } from '../options/reader.js';
import type { BinaryPolicy } from '../policy/binaries.js';
import { VcsAdapterError } from './errors.js';
import { executableFile } from '../policy/binaries.js';
import { exactArgs, readManifest, VCS_ADAPTER_MANIFEST, VCS_ADAPTER_NAME, VCS_ADAPTER_PREFIX, type VcsAdapterSpec } from './manifest.js';

/** Where to look. */
export interface DiscoverVcsAdaptersOptions {
  /** `PATH`-style list scanned for `jobhost-vcs-<name>` executables; relative entries are ignored; `''` scans nothing. @default process.env.PATH */
  readonly searchPath?: string;
  /** Absolute directories holding `vcs-adapter.json` directly or one level down (`<dir>/<adapter>/vcs-adapter.json`); missing ones are skipped. @default [] */
  readonly manifestDirs?: readonly string[];
}

/** What discovery found. */
export interface VcsAdapterDiscovery {
  /** By adapter name (`git`), for building clients. */
  readonly adapters: Readonly<Record<string, VcsAdapterSpec>>;
  /** By allow-list key (`jobhost-vcs-git`), to merge into the host's `binaries`. */
  readonly binaries: Readonly<Record<string, BinaryPolicy>>;
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

/**
 * Finds adapters in manifest directories and on the search path. A manifest
 * wins over a same-named executable on the path (it is the more deliberate
 * configuration); two manifests claiming one name, or an invalid manifest,
 * throw `ERR_VCS_MANIFEST`.
 *
 * @example
 * const found = discoverVcsAdapters({ manifestDirs: ['/opt/app/vcs-adapters'] });
 * const host = new JobHost({ root, binaries: { ...appBinaries, ...found.binaries } });
 * const git = new VcsAdapterClient({ host, owner: 'vcs', ...found.adapter('git') });
 */
export function discoverVcsAdapters(options: DiscoverVcsAdaptersOptions = {}): VcsAdapterDiscovery {
  const error: OptionsErrorFactory = (message, option, cause) => new VcsAdapterError('ERR_INVALID_OPTIONS', message, { adapter: 'discovery', method: null, cause, details: { option } });
  const { searchPath, manifestDirs } = readOptions(
    options,
    { what: 'discovery options', error, aliases: { path: 'searchPath', dirs: 'manifestDirs' } },
    (read) => ({
      searchPath: read.string('searchPath', process.env.PATH ?? '', true),
      manifestDirs: read.custom<readonly string[]>('manifestDirs', 'an array of absolute paths', (value) => Array.isArray(value) && value.every((dir) => typeof dir === 'string' && isAbsolute(dir))) ?? [],
    }),
    true,
  );
  const found = new Map<string, VcsAdapterSpec>();
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
  fromSearchPath(searchPath, found);
  const adapters: Record<string, VcsAdapterSpec> = {};
  const binaries: Record<string, BinaryPolicy> = {};
  for (const [name, spec] of [...found].sort(([a], [b]) => a.localeCompare(b))) {
    adapters[name] = spec;
    binaries[spec.binary] = spec.policy;
  }
  return {
    adapters,
    binaries,
    adapter: (name) => {
      const spec = Object.hasOwn(adapters, name) ? adapters[name] : undefined;
      if (spec !== undefined) return spec;
      const known = Object.keys(adapters).join(', ') || 'none';
      throw new VcsAdapterError('ERR_INVALID_OPTIONS', `No VCS adapter named ${describeValue(name)} was discovered (found: ${known})`, { adapter: String(name), method: null });
    },
  };
}
