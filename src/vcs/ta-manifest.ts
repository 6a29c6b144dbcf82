/**
 * TrustedAutonomy's own adapter layout, read as TA reads it (commit 3611cb6,
 * `crates/ta-submit/src/vcs_plugin_manifest.rs`): a `plugin.toml` in each
 * immediate subdirectory of `<project>/.ta/plugins/vcs/` and of
 * `$XDG_CONFIG_HOME/ta/plugins/vcs/` (else `~/.config/ta/plugins/vcs/`), and a
 * bare `ta-submit-<name>` on the search path.
 *
 * ```toml
 * name = "perforce"
 * command = "ta-submit-perforce"     # split on whitespace: program, then fixed args
 * timeout_secs = 60
 * required_env = ["P4PORT", "P4USER", "P4CLIENT"]
 * ```
 *
 * Unknown keys are ignored, as TA does (`protocol = "json-stdio"` is in every
 * shipped manifest). An invalid manifest is skipped and reported, as TA skips
 * it with a warning.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import * as z from 'zod';
import { describeIssues, safeParseWire } from '../contracts/parse-wire.js';
import { executableFile, lookUp } from '../policy/lookup.js';
import { parseToml } from './toml.js';

/** File name of a TA adapter manifest, one per subdirectory of a TA plugin directory. */
export const TA_PLUGIN_MANIFEST = 'plugin.toml';

/** Prefix of a TA adapter executable on the search path, and of the allow-list key of every TA adapter. */
export const TA_ADAPTER_PREFIX = 'ta-submit-';

const names = z.array(z.string());
const u64 = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/**
 * `plugin.toml` as TA's `VcsPluginManifest` reads it: every key, type and
 * default. `required_env` is jobhost's: TA documents it
 * (`plugins/vcs-perforce.toml`) but its loader ignores it.
 */
export const TaPluginManifest = z.object({
  /** Adapter name, matched against the requested adapter (the directory name does not matter). */
  name: z.string(),
  /** @default "0.1.0" */
  version: z.string().default('0.1.0'),
  /** Must be `"vcs"`. @default "vcs" */
  type: z.literal('vcs', { error: 'must be "vcs"' }).default('vcs'),
  /** Program and fixed args, split on whitespace; the program is absolute or a bare name on the search path. */
  command: z.string().refine((command) => command.trim() !== '', 'must not be blank'),
  /** Appended after the words of `command`. @default [] */
  args: names.default([]),
  /** Informational: TA checks the handshake's list, never this one. @default [] */
  capabilities: names.default([]),
  description: z.string().optional(),
  /** Per-call timeout, handshake included. @default 30 */
  timeout_secs: u64.default(30),
  /** Not enforced for VCS adapters by TA. */
  min_daemon_version: z.string().optional(),
  source_url: z.string().optional(),
  /** For an agent's environment, never given to the adapter (by TA or jobhost). @default {} */
  staging_env: z.record(z.string(), z.string()).default({}),
  /** Variables the adapter needs; jobhost refuses to start it without them (TA does not check). @default [] */
  required_env: z.array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a variable name')).default([]),
});
export type TaPluginManifest = z.output<typeof TaPluginManifest>;

/** A TA manifest read and resolved: the program to run and its fixed arguments. */
export interface TaPluginResolved {
  readonly manifest: TaPluginManifest;
  /** Absolute real path of the program. */
  readonly file: string;
  /** The other words of `command`, then `args`. */
  readonly args: readonly string[];
}

/** Reads one `plugin.toml`; returns why it is skipped instead of throwing. */
export function readTaManifest(file: string, searchPath: string): TaPluginResolved | { readonly problem: string } {
  let raw: unknown;
  try {
    raw = parseToml(readFileSync(file, 'utf8'));
  } catch (cause) {
    return { problem: `cannot be read as TOML: ${cause instanceof Error ? cause.message : String(cause)}` };
  }
  const parsed = safeParseWire(TaPluginManifest, raw);
  if (!parsed.success) return { problem: describeIssues(parsed.error) };
  const manifest = parsed.data;
  if (manifest.timeout_secs === 0) return { problem: 'timeout_secs: 0 would time out every call' };
  const [program = '', ...fixed] = manifest.command.trim().split(/\s+/);
  // TA runs `command` from the project root without resolving it against the manifest's directory
  if (!isAbsolute(program) && program.includes('/')) {
    return { problem: `command "${program}" is a relative path; TA does not resolve it against the manifest's directory, so write an absolute path or a bare name on the search path` };
  }
  const path = isAbsolute(program) ? executableFile(program) : lookUp(program, searchPath);
  if (path === undefined) return { problem: `command "${program}" is not an executable ${isAbsolute(program) ? 'file' : 'on the search path'}` };
  return { manifest, file: path, args: [...fixed, ...manifest.args] };
}

/** TA's global plugin directory: `$XDG_CONFIG_HOME/ta/plugins/vcs` if set, else `$HOME/.config/ta/plugins/vcs`; `null` when not absolute. */
export function taGlobalPluginDir(env: NodeJS.ProcessEnv): string | null {
  const base = env.XDG_CONFIG_HOME !== undefined ? `${env.XDG_CONFIG_HOME}/ta` : env.HOME === undefined ? '' : `${env.HOME}/.config/ta`;
  return isAbsolute(base) ? `${base}/plugins/vcs` : null;
}
