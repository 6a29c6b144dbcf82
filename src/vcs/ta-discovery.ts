/**
 * Finding adapters where TA finds them (`find_vcs_plugin`): `plugin.toml` in
 * the project's plugin directory, then in the global one, then a bare
 * `ta-submit-<name>` on the search path. The first of a name wins, silently,
 * as in TA; invalid manifests are skipped and reported.
 */
import { readdirSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import { executableFile } from '../policy/lookup.js';
import { exactArgs, VCS_ADAPTER_NAME, type VcsAdapterSpec } from './manifest.js';
import { readTaManifest, TA_ADAPTER_PREFIX, TA_PLUGIN_MANIFEST } from './ta-manifest.js';

/** A manifest discovery skipped, and why (TA logs these as warnings). */
export interface VcsDiscoveryProblem {
  readonly file: string;
  readonly problem: string;
}

/** Where TA's layout is searched. */
export interface TaLayout {
  /** Directories holding `<adapter>/plugin.toml`, in order: the project's, then the global one. */
  readonly pluginDirs: readonly string[];
  readonly searchPath: string;
}

/** Longest timeout a spec may carry (Node's timer limit), in seconds. */
const MAX_TIMEOUT_SECS = Math.floor(2_147_483_647 / 1000);

function sortedEntries(dir: string): string[] {
  try {
    return readdirSync(dir).sort(); // TA takes read_dir order; sorting makes the first of two same-named manifests predictable
  } catch {
    return [];
  }
}

function fromManifests(layout: TaLayout, found: Map<string, VcsAdapterSpec>, problems: VcsDiscoveryProblem[]): void {
  for (const dir of layout.pluginDirs) {
    for (const entry of sortedEntries(dir)) {
      const file = join(dir, entry, TA_PLUGIN_MANIFEST);
      if (!sortedEntries(join(dir, entry)).includes(TA_PLUGIN_MANIFEST)) continue;
      const read = readTaManifest(file, layout.searchPath);
      if ('problem' in read) {
        problems.push({ file, problem: read.problem });
        continue;
      }
      const { manifest } = read;
      if (!VCS_ADAPTER_NAME.test(manifest.name)) {
        problems.push({ file, problem: `name ${JSON.stringify(manifest.name)} must be lower-case letters, digits, "-" or "_" (at most 63) to become the allow-list key ${TA_ADAPTER_PREFIX}<name>` });
        continue;
      }
      if (manifest.timeout_secs > MAX_TIMEOUT_SECS) {
        problems.push({ file, problem: `timeout_secs ${manifest.timeout_secs} is longer than ${MAX_TIMEOUT_SECS} s, the longest timer Node.js has` });
        continue;
      }
      if (found.has(manifest.name)) continue; // project before global, the first of a name wins
      const required = manifest.required_env;
      found.set(manifest.name, {
        name: manifest.name,
        binary: `${TA_ADAPTER_PREFIX}${manifest.name}`,
        args: read.args,
        timeoutMs: manifest.timeout_secs * 1000,
        file: read.file,
        source: file,
        policy: { path: read.file, args: exactArgs(read.args), timeoutSecs: manifest.timeout_secs, ...(required.length === 0 ? {} : { env: [...required] }) },
        ...(required.length === 0 ? {} : { requiredEnv: required, passEnv: required }),
        manifest,
      });
    }
  }
}

/** `ta-submit-<name>` executables: TA's fallback when no manifest names the adapter, with TA's 30 s timeout. */
function fromSearchPath(searchPath: string, found: Map<string, VcsAdapterSpec>): void {
  for (const dir of searchPath.split(delimiter)) {
    if (dir === '' || !isAbsolute(dir)) continue;
    for (const entry of sortedEntries(dir)) {
      if (!entry.startsWith(TA_ADAPTER_PREFIX)) continue;
      const name = entry.slice(TA_ADAPTER_PREFIX.length);
      if (!VCS_ADAPTER_NAME.test(name) || found.has(name)) continue;
      const file = executableFile(join(dir, entry));
      if (file === undefined) continue;
      found.set(name, { name, binary: entry, args: [], timeoutMs: 30_000, file, source: dir, policy: { path: file, args: exactArgs([]), timeoutSecs: 30 } });
    }
  }
}

/** Adds what TA's layout holds to `found` (names already there win) and the skipped manifests to `problems`. */
export function discoverTaLayout(layout: TaLayout, found: Map<string, VcsAdapterSpec>, problems: VcsDiscoveryProblem[]): void {
  const ta = new Map<string, VcsAdapterSpec>();
  fromManifests(layout, ta, problems);
  fromSearchPath(layout.searchPath, ta);
  for (const [name, spec] of ta) if (!found.has(name)) found.set(name, spec);
}
