/**
 * Options of {@link startRpcPlugin}, checked once, up front: a mistake fails
 * fast with `ERR_INVALID_OPTIONS` naming the option, before anything starts.
 */
import type { JobSpawnRequestInput } from '../contracts/jobs.js';
import { DEFAULT_MAX_FRAME_BYTES, DEFAULT_MAX_HEADER_LINE_BYTES, FRAMINGS, type Framing } from '../jsonrpc/framing/types.js';
import { readOptions, type OptionsReader } from '../options/reader.js';
import { TaskTracker } from '../tasks/task-tracker.js';
import { SYNAPSE_DEFAULT_TIMEOUT_MS, SYNAPSE_METHOD_TIMEOUTS_MS, SYNAPSE_SHUTDOWN_MS, SYNAPSE_VERSION } from './synapse/protocol.js';

/** The protocols a plugin process can be started to speak without further code. */
export type RpcPluginPreset = 'synapse-extension';

/** Every preset, for option checks. */
export const RPC_PLUGIN_PRESETS: readonly RpcPluginPreset[] = ['synapse-extension'];

/** What the `synapse-extension` preset puts in `initialize`, and whether it asks `info.get`. */
export interface SynapseExtensionOptions {
  /** `plugin_id`: the extension's id (its manifest name). @default the owner */
  readonly id?: string;
  /** `plugin_root`: the extension's directory. SynapseCLI sends the directory it started the extension in, or null. @default null */
  readonly root?: string | null;
  /** `config`: the extension's resolved configuration. @default {} */
  readonly config?: Readonly<Record<string, unknown>>;
  /** `synaps_version`. @default '0.1.0' (SynapseCLI's at the commit the preset follows) */
  readonly synapsVersion?: string;
  /**
   * When to ask `info.get`: `'auto'` as SynapseCLI does (only when
   * `initialize` declared a tool, a provider or a capability), `'always'`,
   * or `'never'`. Best effort either way: an error leaves `info` null.
   * @default 'auto'
   */
  readonly info?: 'auto' | 'always' | 'never';
}

/** {@link SynapseExtensionOptions} with every default filled in. */
export interface ResolvedSynapseExtension {
  readonly id: string;
  readonly root: string | null;
  readonly config: Readonly<Record<string, unknown>>;
  readonly synapsVersion: string;
  readonly info: 'auto' | 'always' | 'never';
}

/** How to start and talk to one JSON-RPC plugin process. */
export interface RpcPluginOptions {
  /** The owner (plugin id) the job belongs to: it shows in that owner's list and events. */
  readonly owner: string;
  /** What to run, checked by the host's policy like any spawn request. Long-lived plugins want a large `timeout_secs`. */
  readonly request: JobSpawnRequestInput;
  /**
   * Speak a known peer's protocol without writing it. `'synapse-extension'`
   * runs a SynapseCLI extension unchanged: its `initialize` handshake (then
   * `info.get` when SynapseCLI would), SynapseCLI's per-method timeouts, its
   * reading rules, no `$/cancelRequest`, requests one at a time, and its
   * shutdown (`shutdown` with `"params": null`, 500 ms, 500 ms, kill). See
   * `ready`. Only with `content-length` framing.
   */
  readonly preset?: RpcPluginPreset;
  /** The `synapse-extension` preset's `initialize` params; only with that preset. */
  readonly extension?: SynapseExtensionOptions;
  /** Framing on stdin and stdout. @default 'content-length' (the extension runtime's) */
  readonly framing?: Framing;
  /** Largest message body accepted from the plugin; bigger frames are skipped and reported. @default 4 MiB (1 MiB for length-prefix) */
  readonly maxFrameBytes?: number;
  /** Longest `Content-Length` header line. @default 1024 */
  readonly maxHeaderLineBytes?: number;
  /** Where `task.*` notifications go; pass one to share a table between plugins. @default a new TaskTracker */
  readonly tracker?: TaskTracker;
  /** Default timeout of `sendRequest`, in ms; 0 waits until the plugin ends. @default 30000 (TA's call timeout; SynapseCLI's too) */
  readonly requestTimeoutMs?: number;
  /**
   * Default timeouts of particular methods, in ms, over `requestTimeoutMs`
   * (0: until the plugin ends). A request's own `timeoutMs` still wins.
   * @default none; with the `synapse-extension` preset, SynapseCLI's table (`SYNAPSE_METHOD_TIMEOUTS_MS`), merged under this
   */
  readonly methodTimeoutsMs?: Readonly<Record<string, number>>;
  /** Send LSP's `$/cancelRequest` when a request times out or is aborted. @default true (false with the `synapse-extension` preset: SynapseCLI sends none) */
  readonly cancelRequests?: boolean;
  /** How long `shutdown()` waits for the answer and the exit before it cancels the job. @default 2000 (1000 with the `synapse-extension` preset) */
  readonly shutdownGraceMs?: number;
  /** Plugin → host requests in progress at once; more are answered `RateLimit`. @default 64 */
  readonly maxIncomingRequests?: number;
  /**
   * Host → plugin bytes that may wait for the plugin to read them (before it
   * starts, plus what stdin buffers). A plugin that lets more pile up is
   * stopped (job cancelled, requests rejected `ERR_RPC_BACKPRESSURE`), so one
   * that never reads cannot grow the host's memory. One message is always
   * sent when nothing waits, whatever its size.
   * @default 8 MiB
   */
  readonly maxQueuedBytes?: number;
  /** Aborting cancels the job (which kills the process group). */
  readonly signal?: AbortSignal;
}

/** The options with every default filled in. */
export interface ResolvedRpcPluginOptions {
  readonly owner: string;
  readonly request: JobSpawnRequestInput;
  /** The `synapse-extension` preset's handshake, or null without a preset. */
  readonly synapse: ResolvedSynapseExtension | null;
  readonly framing: Framing;
  readonly maxFrameBytes: number;
  readonly maxHeaderLineBytes: number;
  readonly tracker: TaskTracker;
  readonly requestTimeoutMs: number;
  readonly methodTimeoutsMs: Readonly<Record<string, number>>;
  readonly cancelRequests: boolean;
  readonly shutdownGraceMs: number;
  readonly maxIncomingRequests: number;
  readonly maxQueuedBytes: number;
  readonly signal: AbortSignal | undefined;
}

/** 8 MiB: several default-size frames (4 MiB) can wait behind a slow reader, as in the catalog. */
const DEFAULT_MAX_QUEUED_BYTES = 8 * 1024 * 1024;

/** Checks `options` and fills in the defaults; throws `ERR_INVALID_OPTIONS` naming the option. */
export function resolveRpcPluginOptions(options: RpcPluginOptions): ResolvedRpcPluginOptions {
  return readOptions(options, { what: 'RPC plugin options', aliases: { timeoutMs: 'requestTimeoutMs', timeout: 'requestTimeoutMs', protocol: 'preset' } }, (read) => {
    const preset = read.oneOf('preset', RPC_PLUGIN_PRESETS, undefined);
    const synapse = preset === 'synapse-extension';
    // the owner and the request are the host's to check, with its own errors
    const owner = read.raw('owner') as string;
    const extension = read.raw('extension');
    if (extension !== undefined && !synapse) read.refuse('extension', "Expected `extension` only with `preset: 'synapse-extension'`");
    const framing = read.oneOf('framing', FRAMINGS, 'content-length');
    if (synapse && framing !== 'content-length') read.fail('framing', "'content-length' with `preset: 'synapse-extension'` (SynapseCLI speaks nothing else)", framing);
    const tracker = read.custom<TaskTracker>('tracker', 'a TaskTracker', (value) => value instanceof TaskTracker);
    const methodTimeoutsMs = readTimeouts(read);
    return {
      owner,
      request: read.raw('request') as JobSpawnRequestInput,
      synapse: synapse ? readSynapseExtension(read, owner) : null,
      framing,
      maxFrameBytes: read.integer('maxFrameBytes', DEFAULT_MAX_FRAME_BYTES[framing], { min: 1, max: 2 ** 31 - 1 }),
      maxHeaderLineBytes: read.integer('maxHeaderLineBytes', DEFAULT_MAX_HEADER_LINE_BYTES, { min: 32, max: 1024 * 1024 }),
      tracker: tracker ?? new TaskTracker(),
      requestTimeoutMs: read.duration('requestTimeoutMs', synapse ? SYNAPSE_DEFAULT_TIMEOUT_MS : 30_000, { max: Number.POSITIVE_INFINITY }),
      methodTimeoutsMs: synapse ? { ...SYNAPSE_METHOD_TIMEOUTS_MS, ...methodTimeoutsMs } : methodTimeoutsMs,
      cancelRequests: read.boolean('cancelRequests', !synapse),
      shutdownGraceMs: read.duration('shutdownGraceMs', synapse ? SYNAPSE_SHUTDOWN_MS : 2000),
      maxIncomingRequests: read.integer('maxIncomingRequests', 64, { min: 1 }),
      maxQueuedBytes: read.bytes('maxQueuedBytes', DEFAULT_MAX_QUEUED_BYTES),
      signal: read.custom<AbortSignal>('signal', 'an AbortSignal', (value) => value instanceof AbortSignal),
    };
  });
}

/** `methodTimeoutsMs`: method → ms, each a duration like `requestTimeoutMs`. */
function readTimeouts(read: OptionsReader): Readonly<Record<string, number>> {
  const value = read.raw('methodTimeoutsMs');
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) read.fail('methodTimeoutsMs', 'an object of method names to milliseconds', value);
  const table = read.nested('methodTimeoutsMs');
  const out: Record<string, number> = {};
  for (const method of Object.keys(value)) out[method] = table.duration(method, 0, { max: Number.POSITIVE_INFINITY });
  table.done();
  return Object.freeze(out);
}

/** `extension`, with SynapseCLI's defaults. */
function readSynapseExtension(read: OptionsReader, owner: string): ResolvedSynapseExtension {
  const nested = read.nested('extension');
  const root = nested.raw('root');
  if (root !== undefined && root !== null && typeof root !== 'string') nested.fail('root', 'a string or null', root);
  const config = nested.custom<Readonly<Record<string, unknown>>>('config', 'a JSON object', (value) => typeof value === 'object' && value !== null && !Array.isArray(value));
  const resolved: ResolvedSynapseExtension = {
    id: nested.string('id', typeof owner === 'string' ? owner : ''),
    root: (root as string | null | undefined) ?? null,
    config: config ?? {},
    synapsVersion: nested.string('synapsVersion', SYNAPSE_VERSION),
    info: nested.oneOf('info', ['auto', 'always', 'never'] as const, 'auto'),
  };
  nested.done();
  return resolved;
}
