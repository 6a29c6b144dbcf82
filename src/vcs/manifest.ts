/**
 * The adapter manifest: a small JSON file that names an adapter and says how
 * to run it, for adapters that are not a `jobhost-vcs-<name>` executable on
 * the search path (a script run by an interpreter, a binary with fixed flags).
 *
 * ```json
 * { "name": "p4", "command": "./bin/adapter.mjs", "args": ["--stdio"], "timeout_ms": 60000, "env": ["P4PORT"] }
 * ```
 *
 * Unknown keys are refused, so a typo (`"timeout": 60000`) cannot silently do
 * nothing.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import * as z from 'zod';
import { describeIssues, safeParseWire } from '../contracts/parse-wire.js';
import type { ArgsPolicy } from '../policy/args.js';
import { executableFile, lookUp, type BinaryPolicy } from '../policy/binaries.js';
import { VcsAdapterError } from './errors.js';
import type { TaPluginManifest } from './ta-manifest.js';

/** File name a manifest must have, in a manifest directory or one of its subdirectories. */
export const VCS_ADAPTER_MANIFEST = 'vcs-adapter.json';

/** Prefix of an adapter's allow-list name and of its executable on the search path. */
export const VCS_ADAPTER_PREFIX = 'jobhost-vcs-';

/** Adapter names: lower-case, so `jobhost-vcs-<name>` is a valid allow-list key on every file system. */
export const VCS_ADAPTER_NAME = /^[a-z0-9][a-z0-9_-]{0,62}$/;

/** The manifest format. */
export const VcsAdapterManifest = z.strictObject({
  /** Adapter name; the allow-list key becomes `jobhost-vcs-<name>`. */
  name: z.string().regex(VCS_ADAPTER_NAME, 'must be lower-case letters, digits, "-" or "_" (at most 63)'),
  /** Executable: absolute, relative to the manifest's directory (contains a `/`), or a bare name looked up on the search path. */
  command: z.string().min(1),
  /** Fixed arguments; the allow-list entry refuses any others. @default [] */
  args: z.array(z.string()).default([]),
  /** Default per-call timeout for clients built from this spec. */
  timeout_ms: z.number().int().min(1).max(2_147_483_647).optional(),
  /** Environment names a client may set for this adapter (its config); others are refused by the host. */
  env: z.array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/)).optional(),
  /** Variables the adapter cannot run without: allowed, passed through from the host process, and required (see `adapter-profile.ts`). */
  required_env: z.array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/)).optional(),
  /** Free text for humans. */
  description: z.string().optional(),
});
export type VcsAdapterManifest = z.output<typeof VcsAdapterManifest>;

/** A discovered adapter: what the host allow-lists, and what a client needs (spread it into the client's options). */
export interface VcsAdapterSpec {
  /** Adapter name, e.g. `git`. */
  readonly name: string;
  /** Allow-list key, `jobhost-vcs-<name>`. */
  readonly binary: string;
  /** Fixed arguments of every call. */
  readonly args: readonly string[];
  /** The manifest's `timeout_ms`, when it set one. */
  readonly timeoutMs?: number;
  /** Absolute real path of the executable. */
  readonly file: string;
  /** Where it was found: the manifest file, or the search-path directory. */
  readonly source: string;
  /** The allow-list entry for the host's `binaries`. */
  readonly policy: BinaryPolicy;
  /** Variables the adapter needs (`required_env`); its policy allows them and refuses to start it without them. */
  readonly requiredEnv?: readonly string[];
  /** Names a client built from this spec copies from the host process's environment: the `required_env`. */
  readonly passEnv?: readonly string[];
  /** The TA `plugin.toml` it came from, with TA's defaults filled in (`staging_env`, `capabilities`, …). */
  readonly manifest?: TaPluginManifest;
}

/** An args rule that accepts exactly `expected`: plugins cannot run an adapter with other arguments. */
export function exactArgs(expected: readonly string[]): ArgsPolicy {
  const frozen = [...expected];
  return (args) =>
    (args.length === frozen.length && args.every((arg, i) => arg === frozen[i])) ||
    `a VCS adapter runs only with its fixed arguments ${JSON.stringify(frozen)}`;
}

function manifestError(file: string, message: string, cause?: unknown): VcsAdapterError {
  return new VcsAdapterError('ERR_VCS_MANIFEST', `VCS adapter manifest ${file}: ${message}`, { adapter: file, method: null, cause, details: { file } });
}

/** Reads and checks one manifest file; throws `ERR_VCS_MANIFEST` naming the file. */
export function readManifest(file: string, searchPath: string): VcsAdapterSpec {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw manifestError(file, `cannot be read as JSON: ${cause instanceof Error ? cause.message : String(cause)}`, cause);
  }
  const parsed = safeParseWire(VcsAdapterManifest, value);
  if (!parsed.success) throw manifestError(file, describeIssues(parsed.error), parsed.error);
  const manifest = parsed.data;
  const command = manifest.command;
  const bare = !command.includes('/');
  const path = bare ? lookUp(command, searchPath) : executableFile(resolve(dirname(file), command));
  if (path === undefined) {
    throw manifestError(file, bare ? `command "${command}" is not an executable on the search path` : `command "${command}" is not an executable file`);
  }
  const required = manifest.required_env ?? [];
  const allowed = [...new Set([...(manifest.env ?? []), ...required])];
  const policy: BinaryPolicy = {
    path,
    args: exactArgs(manifest.args),
    ...(manifest.env === undefined && required.length === 0 ? {} : { env: allowed }),
    ...(manifest.timeout_ms === undefined ? {} : { timeoutSecs: Math.ceil(manifest.timeout_ms / 1000) }),
  };
  return {
    name: manifest.name,
    binary: `${VCS_ADAPTER_PREFIX}${manifest.name}`,
    args: manifest.args,
    ...(manifest.timeout_ms === undefined ? {} : { timeoutMs: manifest.timeout_ms }),
    file: path,
    source: file,
    policy,
    ...(required.length === 0 ? {} : { requiredEnv: required, passEnv: required }),
  };
}
