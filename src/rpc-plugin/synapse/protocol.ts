/**
 * SynapseCLI's extension protocol, as its runtime speaks it (dev branch,
 * commit a9e1b60, `src/extensions/runtime/process.rs`): the `initialize`
 * handshake, the optional `info.get`, its per-method timeouts and its way of
 * shutting an extension down. The `synapse-extension` preset of
 * `startRpcPlugin` is built from these, so a host runs SynapseCLI's own
 * extensions without writing any of it.
 *
 * Where SynapseCLI's docs (`docs/extensions/protocol.md`) and its code
 * disagree, these follow the code: numeric ids, `shutdown` as a request with
 * `"params": null`, no `exit`, no `initialized`.
 */
import * as z from 'zod';
import { str, u32 } from '../../contracts/wire.js';

/** The one extension protocol version SynapseCLI speaks (`CURRENT_EXTENSION_PROTOCOL_VERSION`). */
export const SYNAPSE_EXTENSION_PROTOCOL_VERSION = 1;

/** What SynapseCLI sends as `synaps_version`: its crate version at that commit. */
export const SYNAPSE_VERSION = '0.1.0';

/** The SynapseCLI commit whose runtime the preset follows. */
export const SYNAPSE_COMMIT = 'a9e1b605d73c16ccf74aa25b5216ca1f7c66de4e';

/**
 * SynapseCLI's effective timeout per method, in ms (every other method:
 * {@link SYNAPSE_DEFAULT_TIMEOUT_MS}). `initialize` at load has no timer at
 * all (0: until the extension ends); `command.invoke` and `provider.*` have an
 * outer timeout too, but the inner 30 s comes first.
 */
export const SYNAPSE_METHOD_TIMEOUTS_MS: Readonly<Record<string, number>> = Object.freeze({
  initialize: 0,
  'tool.call': 120_000,
  'info.get': 5000,
  'sidecar.spawn_args': 5000,
  'settings.editor.open': 5000,
  'settings.editor.key': 5000,
  'settings.editor.commit': 5000,
  'hook.handle': 5000,
  shutdown: 500,
});

/** SynapseCLI's timeout for every method not in {@link SYNAPSE_METHOD_TIMEOUTS_MS}. */
export const SYNAPSE_DEFAULT_TIMEOUT_MS = 30_000;

/** How long SynapseCLI lets an extension live after `shutdown`: 500 ms for the answer, then 500 ms before the kill. */
export const SYNAPSE_SHUTDOWN_MS = 1000;

/** `initialize` params, in SynapseCLI's field order (`InitializeParams`). */
export const SynapseInitializeParams = z.object({
  synaps_version: str,
  extension_protocol_version: u32,
  plugin_id: str,
  plugin_root: str.nullable(),
  config: z.record(z.string(), z.unknown()),
});
export type SynapseInitializeParams = z.output<typeof SynapseInitializeParams>;

/** A tool an extension registers (`RegisteredExtensionToolSpec`); unknown keys are kept, as serde ignores them. */
const ToolSpec = z.looseObject({ name: str, description: str, input_schema: z.unknown() });
/** A model of a provider (`RegisteredProviderModelSpec`). */
const ProviderModelSpec = z.looseObject({ id: str, display_name: str.nullish(), capabilities: z.unknown().optional(), context_window: z.number().int().nonnegative().nullish() });
/** A provider an extension registers (`RegisteredProviderSpec`). */
const ProviderSpec = z.looseObject({ id: str, display_name: str, description: str, models: z.array(ProviderModelSpec).default([]), config_schema: z.unknown().optional() });
/** A generic capability declaration (`CapabilityDeclaration`). */
const CapabilitySpec = z.looseObject({ kind: str, name: str, permissions: z.array(str).optional(), params: z.unknown().optional() });

/** The `initialize` result's shape (`InitializeResult`): every list may be left out, unknown keys are ignored. */
export const SynapseInitializeResult = z.looseObject({
  protocol_version: u32,
  capabilities: z
    .looseObject({
      tools: z.array(ToolSpec).default([]),
      providers: z.array(ProviderSpec).default([]),
      capabilities: z.array(CapabilitySpec).default([]),
    })
    .default({ tools: [], providers: [], capabilities: [] }),
});
export type SynapseInitializeResult = z.output<typeof SynapseInitializeResult>;

/** What `info.get` answers (`PluginInfo`), best effort: SynapseCLI ignores an invalid one. */
export const SynapsePluginInfo = z.looseObject({
  build: z.looseObject({ backend: str, features: z.array(str).default([]), version: str.default('') }).optional(),
  capabilities: z.array(z.looseObject({ kind: str, name: str, modes: z.array(str).default([]) })).default([]),
  models: z.array(z.looseObject({ id: str, display_name: str.optional(), installed: z.boolean().default(false) })).default([]),
});
export type SynapsePluginInfo = z.output<typeof SynapsePluginInfo>;
