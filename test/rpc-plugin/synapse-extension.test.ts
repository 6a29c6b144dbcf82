/**
 * The `synapse-extension` preset against an extension that behaves on the
 * wire as SynapseCLI's own test extension does
 * (`tests/fixtures/interactive_command_extension.py` at a9e1b60), driven the
 * way SynapseCLI's test drives it (`src/chatui/commands.rs`): load
 * (`initialize`, no `info.get`), `/demo models` (`command.invoke`), then
 * `shutdown_all`. The fixture echoes what it receives on stderr, so the tests
 * see exactly what the host sent.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { JobEvent } from '../../src/contracts/jobs.js';
import type { JobHost } from '../../src/host/job-host.js';
import type { RpcPluginOptions } from '../../src/rpc-plugin/options.js';
import { RpcPluginError } from '../../src/rpc-plugin/errors.js';
import { startRpcPlugin, type RpcPlugin } from '../../src/rpc-plugin/rpc-plugin.js';
import { synapseHandshake } from '../../src/rpc-plugin/synapse/handshake.js';
import { collect, fixture, isAlive, linesOf } from '../helpers/host.js';
import { containing, failure, rpcHost } from './plugin-helpers.js';

const PYTHON = '/usr/bin/python3';
const hasPython = existsSync(PYTHON);
const EXTENSION = fixture('rpc/synapse-extension.py');

function synapseHost(): JobHost {
  return rpcHost({ binaries: { python3: { path: PYTHON } } });
}

function startExtension(host: JobHost, args: string[] = [], options: Partial<RpcPluginOptions> = {}): RpcPlugin {
  return startRpcPlugin(host, {
    owner: 'demo-plugin',
    request: { label: 'demo extension', binary: 'python3', args: [EXTENSION, ...args], timeout_secs: 120 },
    preset: 'synapse-extension',
    ...options,
  });
}

/** What the extension received, in order, from its `received <json>` stderr lines. */
function received(events: readonly JobEvent[], plugin: RpcPlugin): Record<string, unknown>[] {
  return linesOf(events, plugin.id, 'stderr').flatMap((line) => (line.startsWith('received ') ? [JSON.parse(line.slice('received '.length)) as Record<string, unknown>] : []));
}

describe.skipIf(!hasPython)('RPC plugin: the synapse-extension preset runs a SynapseCLI extension unchanged', () => {
  it("loads, invokes a command and shuts down exactly as SynapseCLI's own test does", async () => {
    const host = synapseHost();
    const events = collect(host.forOwner('demo-plugin'));
    const plugin = startExtension(host);
    const output: unknown[] = [];
    plugin.onNotification('command.output', (params) => void output.push(params));
    // asked at once: it still goes after the handshake, as SynapseCLI calls nothing before its load completes
    const requestId = randomUUID();
    const invoked = plugin.sendRequest('command.invoke', { args: ['models'], command: 'demo', request_id: requestId });
    expect(await plugin.ready).toEqual({ initialize: { protocol_version: 1, capabilities: { tools: [], providers: [], capabilities: [] } }, info: null });
    expect(await invoked).toEqual({ ok: true });
    expect(output).toEqual([
      { request_id: requestId, event: { kind: 'text', content: 'hello from demo' } },
      { request_id: requestId, event: { kind: 'done' } },
    ]);
    expect(plugin.tasks.get('demo-task')).toMatchObject({ label: 'Demo task', kind: 'generic', current: 1, total: 2, percent: 50, message: 'halfway', state: 'done', error: null });
    const started = Date.now();
    expect(await plugin.shutdown()).toMatchObject({ type: 'job_completed', exit_code: 0 });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(received(events, plugin)).toEqual([
      { jsonrpc: '2.0', id: 1, method: 'initialize', params: { synaps_version: '0.1.0', extension_protocol_version: 1, plugin_id: 'demo-plugin', plugin_root: null, config: {} } },
      { jsonrpc: '2.0', id: 2, method: 'command.invoke', params: { args: ['models'], command: 'demo', request_id: requestId } },
      // a request with "params": null; no exit notification, no $/cancelRequest, no info.get
      { jsonrpc: '2.0', id: 3, method: 'shutdown', params: null },
    ]);
  });

  it('sends the initialize params it is given, and asks info.get when told to (an invalid answer is ignored, as SynapseCLI does)', async () => {
    const host = synapseHost();
    const events = collect(host.forOwner('demo-plugin'));
    const plugin = startExtension(host, [], { extension: { id: 'demo', root: '/opt/demo', config: { model: 'small' }, info: 'always' } });
    expect(await plugin.ready).toMatchObject({ info: null });
    await plugin.shutdown();
    const sent = received(events, plugin);
    expect(sent[0]).toMatchObject({ id: 1, params: { plugin_id: 'demo', plugin_root: '/opt/demo', config: { model: 'small' } } });
    expect(sent[1]).toEqual({ jsonrpc: '2.0', id: 2, method: 'info.get', params: null });
    expect(linesOf(events, plugin.id, 'system')).toContainEqual(containing("ignoring invalid optional info.get metadata: Invalid info.get response from extension 'demo'"));
  });

  it("refuses any protocol_version but 1 in SynapseCLI's words, and shuts the extension down", async () => {
    const host = synapseHost();
    const events = collect(host.forOwner('demo-plugin'));
    const plugin = startExtension(host, ['2']);
    const error = await failure(plugin.ready);
    expect(error).toBeInstanceOf(RpcPluginError);
    expect(error).toMatchObject({ code: 'ERR_RPC_PROTOCOL', method: 'initialize', message: "Extension 'demo-plugin' initialize returned unsupported protocol_version 2 (supported: 1)" });
    expect(await plugin.done).toMatchObject({ type: 'job_completed', exit_code: 0 });
    expect(received(events, plugin).map((message) => message.method)).toEqual(['initialize', 'shutdown']);
    await expect(plugin.sendRequest('command.invoke', {})).rejects.toMatchObject({ code: 'ERR_RPC_CLOSED' });
  });

  it('an extension still running 1 s after shutdown is killed, its whole process group with it', async () => {
    const host = rpcHost({ binaries: { python3: { path: PYTHON } }, killGraceMs: 200 });
    const plugin = startExtension(host, ['1', 'stubborn']);
    await plugin.ready;
    const pid = plugin.pid as number;
    const started = Date.now();
    expect(await plugin.shutdown()).toMatchObject({ type: 'job_cancelled', reason: 'shutdown: the plugin did not exit within 1000 ms' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(isAlive(pid)).toBe(false);
  });

  it("a method the extension does not serve is its error answer; SynapseCLI's timeouts and no $/cancelRequest are the defaults", async () => {
    const host = synapseHost();
    const plugin = startExtension(host);
    await plugin.ready;
    const error = await failure(plugin.sendRequest('tool.call', { name: 'x', input: {} }));
    expect(error).toMatchObject({ code: 'ERR_RPC_REMOTE', data: { code: -32601, message: 'method not found' } });
    await plugin.shutdown();
  });

  it('refuses a framing SynapseCLI does not speak, and `extension` without the preset', () => {
    const host = synapseHost();
    expect(() => startExtension(host, [], { framing: 'ndjson' })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTIONS', message: containing('`framing`') }));
    expect(() => startRpcPlugin(host, { owner: 'x', request: { label: 'x', binary: 'python3', args: [] }, extension: { id: 'x' } })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTIONS', message: containing('`extension`') }));
  });
});

describe("the synapse-extension handshake's checks, in SynapseCLI's words", () => {
  const extension = { id: 'ext', root: null, config: {}, synapsVersion: '0.1.0', info: 'auto' } as const;
  const answering = (initialize: unknown, info?: unknown) => {
    const asked: [string, unknown][] = [];
    const lines: string[] = [];
    const port = {
      request: (method: string, params: unknown) => {
        asked.push([method, params]);
        return method === 'initialize' ? Promise.resolve(initialize) : info instanceof Error ? Promise.reject(info) : Promise.resolve(info);
      },
      log: (line: string) => void lines.push(line),
    };
    return { port, asked, lines };
  };

  it.each([
    [{ capabilities: {} }, "Invalid initialize response from extension 'ext': missing field `protocol_version`"],
    [{ protocol_version: '1' }, 'Invalid initialize response from extension \'ext\': invalid type: string "1", expected u32'],
    [{ protocol_version: -1 }, "Invalid initialize response from extension 'ext': invalid value: integer `-1`, expected u32"],
    [null, "Invalid initialize response from extension 'ext': invalid type: null, expected struct InitializeResult"],
    [{ protocol_version: 0 }, "Extension 'ext' initialize returned unsupported protocol_version 0 (supported: 1)"],
  ])('%j → %s', async (answer, message) => {
    await expect(synapseHandshake(answering(answer).port, extension)).rejects.toMatchObject({ code: 'ERR_RPC_PROTOCOL', method: 'initialize', message });
  });

  it('asks info.get, with null params, only when a tool, a provider or a capability was declared', async () => {
    const quiet = answering({ protocol_version: 1, capabilities: { tools: [] } });
    expect(await synapseHandshake(quiet.port, extension)).toMatchObject({ info: null });
    expect(quiet.asked.map(([method]) => method)).toEqual(['initialize']);
    const info = { capabilities: [{ kind: 'tasks', name: 'Tasks' }] };
    const rich = answering({ protocol_version: 1, capabilities: { tools: [{ name: 'grep', description: 'search', input_schema: { type: 'object' } }] } }, info);
    expect(await synapseHandshake(rich.port, extension)).toMatchObject({ initialize: { capabilities: { tools: [{ name: 'grep' }] } }, info: { capabilities: [{ kind: 'tasks', name: 'Tasks', modes: [] }], models: [] } });
    expect(rich.asked).toEqual([['initialize', expect.anything()], ['info.get', null]]);
  });

  it('an info.get that fails is only a system line, as SynapseCLI only logs it', async () => {
    const failing = answering({ protocol_version: 1, capabilities: { capabilities: [{ kind: 'k', name: 'n' }] } }, new Error('method not found'));
    expect(await synapseHandshake(failing.port, extension)).toMatchObject({ info: null });
    expect(failing.lines).toEqual(["[jobhost] extension 'ext' did not provide optional info.get metadata: method not found"]);
  });
});
