/**
 * SynapseCLI's load sequence for an extension (`ExtensionManager::load`):
 * `initialize` with its exact params and no timeout, the protocol version
 * checked for exact equality with SynapseCLI's wording, then `info.get` with
 * `"params": null` only when the extension declared a tool, a provider or a
 * capability, best effort. SynapseCLI also checks tool names, provider ids
 * and permissions when it registers them; jobhost registers nothing, so it
 * checks only the shapes.
 */
import { describeIssues, safeParseWire } from '../../contracts/parse-wire.js';
import { RpcPluginError } from '../errors.js';
import type { ResolvedSynapseExtension } from '../options.js';
import { SYNAPSE_EXTENSION_PROTOCOL_VERSION, SynapseInitializeResult, SynapsePluginInfo, type SynapseInitializeParams } from './protocol.js';

/** What the handshake learnt: the `initialize` result and, if asked and valid, the `info.get` result. */
export interface SynapseHandshake {
  readonly initialize: SynapseInitializeResult;
  /** Null when not asked (see `extension.info`), or when the extension failed it: SynapseCLI only logs that. */
  readonly info: SynapsePluginInfo | null;
}

/** What the handshake needs from the plugin. */
export interface HandshakePort {
  /** Sends one request (one at a time, as SynapseCLI does); default timeouts are SynapseCLI's. */
  request(method: string, params: Readonly<Record<string, unknown>> | null): Promise<unknown>;
  /** A `system` line for the job. */
  log(line: string): void;
}

/** The `initialize` params SynapseCLI sends, in its field order. */
export function initializeParams(extension: ResolvedSynapseExtension): SynapseInitializeParams {
  return {
    synaps_version: extension.synapsVersion,
    extension_protocol_version: SYNAPSE_EXTENSION_PROTOCOL_VERSION,
    plugin_id: extension.id,
    plugin_root: extension.root,
    config: { ...extension.config },
  };
}

/** Runs the handshake; rejects with an `RpcPluginError` (`ERR_RPC_PROTOCOL` in SynapseCLI's words for a bad answer). */
export async function synapseHandshake(port: HandshakePort, extension: ResolvedSynapseExtension): Promise<SynapseHandshake> {
  const answer = await port.request('initialize', initializeParams(extension));
  const initialize = readInitializeResult(extension.id, answer);
  const { tools, providers, capabilities } = initialize.capabilities;
  const declared = tools.length > 0 || providers.length > 0 || capabilities.length > 0;
  const ask = extension.info === 'always' || (extension.info === 'auto' && declared);
  return { initialize, info: ask ? await askInfo(port, extension.id) : null };
}

/** The `initialize` result, checked as SynapseCLI's serde and version check do, with its messages. */
function readInitializeResult(id: string, value: unknown): SynapseInitializeResult {
  const fail = (message: string): RpcPluginError => new RpcPluginError('ERR_RPC_PROTOCOL', message, { method: 'initialize' });
  const invalid = (why: string): RpcPluginError => fail(`Invalid initialize response from extension '${id}': ${why}`);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(serdeMismatch(value, 'struct InitializeResult'));
  const version = (value as Record<string, unknown>).protocol_version;
  if (version === undefined) throw invalid('missing field `protocol_version`');
  const parsed = safeParseWire(SynapseInitializeResult, value);
  if (!parsed.success) {
    const onVersion = parsed.error.issues[0]?.path[0] === 'protocol_version';
    throw invalid(onVersion ? serdeMismatch(version, 'u32') : describeIssues(parsed.error));
  }
  if (parsed.data.protocol_version !== SYNAPSE_EXTENSION_PROTOCOL_VERSION) {
    throw fail(`Extension '${id}' initialize returned unsupported protocol_version ${parsed.data.protocol_version} (supported: ${SYNAPSE_EXTENSION_PROTOCOL_VERSION})`);
  }
  return parsed.data;
}

/** `info.get`, best effort: any failure is a `system` line and no info, as SynapseCLI only logs it. */
async function askInfo(port: HandshakePort, id: string): Promise<SynapsePluginInfo | null> {
  let answer: unknown;
  try {
    answer = await port.request('info.get', null);
  } catch (error) {
    port.log(`[jobhost] extension '${id}' did not provide optional info.get metadata: ${error instanceof Error ? error.message : String(error)}`);
    return null;
  }
  const parsed = safeParseWire(SynapsePluginInfo, answer);
  if (parsed.success) return parsed.data;
  port.log(`[jobhost] ignoring invalid optional info.get metadata: Invalid info.get response from extension '${id}': ${describeIssues(parsed.error)}`);
  return null;
}

/** serde_json's refusal of `value` where `expected` was wanted. */
function serdeMismatch(value: unknown, expected: string): string {
  if (typeof value === 'number' && Number.isInteger(value)) return `invalid value: integer \`${value}\`, expected ${expected}`;
  return `invalid type: ${serdeKind(value)}, expected ${expected}`;
}

/** serde's name for a JSON value in `invalid type` messages. */
function serdeKind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'sequence';
  switch (typeof value) {
    case 'string':
      return `string ${JSON.stringify(value)}`;
    case 'boolean':
      return `boolean \`${String(value)}\``;
    case 'number':
      return `floating point \`${value}\``;
    default:
      return 'map';
  }
}
