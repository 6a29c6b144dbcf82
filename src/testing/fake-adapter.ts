/**
 * A fake VCS adapter for tests of code that uses `VcsAdapterClient`: each
 * method answers as configured — a result, an adapter error, garbage, a delay,
 * a crash, a hang — and every request it received can be read back.
 */
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { BinaryPolicy } from '../policy/binaries.js';

/** How the fake answers one method. Fields combine: `stderr` is printed first, then after `delayMs` the answer. */
export interface FakeAnswer {
  /** `{"ok":true,"result":…}`. */
  readonly result?: unknown;
  /** `{"ok":false,"error":…}` and exit code 1, as adapters commonly do. */
  readonly error?: string;
  /** Printed on stdout instead of an envelope (need not be JSON). */
  readonly raw?: string;
  /** Lines printed on stderr first. */
  readonly stderr?: string | readonly string[];
  /** Wait before answering (inside the fake: tests still wait on promises). */
  readonly delayMs?: number;
  /** Exit code after answering. @default 0 (1 with `error`) */
  readonly exit?: number;
  /** Die by this signal instead of answering. */
  readonly signal?: NodeJS.Signals;
  /** Never answer, never exit. */
  readonly hang?: boolean;
}

/** The fake's behaviour per wire method name; `handshake` is answered from `capabilities` unless configured. */
export interface FakeVcsAdapterOptions {
  readonly adapterName?: string;
  readonly version?: string;
  readonly protocolVersion?: number;
  readonly capabilities?: readonly string[];
  readonly methods?: Readonly<Record<string, FakeAnswer>>;
}

/** A built fake: its executable, its allow-list entry, the requests it has received, and how to remove it. */
export interface FakeVcsAdapter {
  /** Absolute path of the fake's executable (`jobhost-vcs-fake.mjs` in its own `jobhost-fake-adapter-*` temp dir). */
  readonly path: string;
  /**
   * The allow-list entry that runs it, `{ path }`: put it into the host's
   * `binaries` under the name the `VcsAdapterClient` is given as `binary`.
   */
  readonly policy: BinaryPolicy;
  /** Every request received so far, parsed, oldest first. */
  requests(): { method: string; params: unknown }[];
  /** Removes the fake's temp dir (executable and request log). Idempotent; read `requests()` before. */
  dispose(): Promise<void>;
  /** `await using fake = fakeVcsAdapter(…)` calls `dispose()`. */
  [Symbol.asyncDispose](): Promise<void>;
}

const RUNTIME = `
import { appendFileSync } from 'node:fs';
const config = CONFIG;
let input = '';
process.stdin.on('data', (chunk) => {
  input += chunk;
  const end = input.indexOf('\\n');
  if (end !== -1) { process.stdin.pause(); answer(input.slice(0, end)); }
});
async function answer(line) {
  appendFileSync(config.log, line + '\\n');
  let request;
  try { request = JSON.parse(line); } catch { request = { method: '' }; }
  const method = request.method;
  const handshake = { plugin_version: config.version, protocol_version: config.protocolVersion, adapter_name: config.adapterName, capabilities: config.capabilities };
  const spec = config.methods[method] ?? (method === 'handshake' ? { result: handshake } : { error: 'unknown method: ' + method });
  for (const line of [].concat(spec.stderr ?? [])) process.stderr.write(line + '\\n');
  if (spec.delayMs) await new Promise((resolve) => setTimeout(resolve, spec.delayMs));
  if (spec.hang) return setInterval(() => {}, 1e8);
  if (spec.signal) return process.kill(process.pid, spec.signal);
  const text = spec.raw ?? JSON.stringify(spec.error !== undefined ? { ok: false, error: spec.error } : { ok: true, result: spec.result ?? null });
  process.stdout.write(text + '\\n', () => process.exit(spec.exit ?? (spec.error !== undefined ? 1 : 0)));
}
`;

/**
 * Writes the fake into a fresh temp dir. Put `fake.policy` into the host's
 * `binaries` under the name the client uses; `dispose()` (or `await using`)
 * removes the dir.
 */
export function fakeVcsAdapter(options: FakeVcsAdapterOptions = {}): FakeVcsAdapter {
  const dir = mkdtempSync(join(tmpdir(), 'jobhost-fake-adapter-'));
  const log = join(dir, 'requests.ndjson');
  const config = {
    log,
    adapterName: options.adapterName ?? 'fake',
    version: options.version ?? '0.0.0-fake',
    protocolVersion: options.protocolVersion ?? 1,
    capabilities: options.capabilities ?? [],
    methods: options.methods ?? {},
  };
  const path = join(dir, 'jobhost-vcs-fake.mjs');
  writeFileSync(path, `#!${process.execPath}\n${RUNTIME.replace('CONFIG', JSON.stringify(config))}`);
  chmodSync(path, 0o755);
  const dispose = (): Promise<void> => rm(dir, { recursive: true, force: true });
  return {
    path,
    policy: { path },
    dispose,
    [Symbol.asyncDispose]: dispose,
    requests: () =>
      existsSync(log)
        ? readFileSync(log, 'utf8')
            .split('\n')
            .filter((line) => line !== '')
            .map((line) => JSON.parse(line) as { method: string; params: unknown })
        : [],
  };
}
