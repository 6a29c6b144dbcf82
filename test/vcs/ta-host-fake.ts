/**
 * A test-side stand-in for TrustedAutonomy's VCS adapter host (commit 3611cb6,
 * per /tmp/interop/ta.md): `ExternalVcsAdapter` over `ta_plugin::transport::call_json`.
 *
 * One process per call; a handshake of its own when the adapter is loaded, then
 * `protected_targets` if announced; the request as compact JSON with `method`
 * first; the whole of stdout read but only its first line used; a non-zero exit
 * reported with stderr alone; TA's user-visible messages word for word; and
 * only `protected_targets`/`verify_target`, `is_path_ignored` and `commit_diff`
 * skipped when not announced. The processes run through a JobHost (the only way
 * this project starts processes); TA's own pid-only kill is not modelled.
 */
import type { JobEvent } from '../../src/contracts/jobs.js';
import type { JobHost } from '../../src/host/job-host.js';

/** What a call came to: TA's result value, or TA's error text. */
export type TaOutcome = { readonly ok: true; readonly result: unknown } | { readonly ok: false; readonly message: string };

const FAILED = 'VCS operation failed: ';

export class FakeTaHost {
  adapterName = '';
  capabilities: string[] = [];
  /** The methods that reached a process, in order. */
  readonly spawned: string[] = [];

  constructor(
    private readonly host: JobHost,
    private readonly binary: string,
    private readonly timeoutSecs = 30,
  ) {}

  /** `ExternalVcsAdapter::new` then `enforce_section15`: handshake, then `protected_targets` when announced. */
  async load(manifestName: string): Promise<TaOutcome> {
    const shaken = await this.transport('handshake', JSON.stringify({ method: 'handshake', params: { ta_version: '0.17.10', protocol_version: 1 } }));
    if (!shaken.ok) return shaken;
    const envelope = shaken.result as { ok: boolean; result?: { protocol_version?: number; adapter_name?: string; capabilities?: string[] }; error?: string };
    if (!envelope.ok) return { ok: false, message: `Configuration error: VCS plugin '${manifestName}' handshake failed: ${envelope.error ?? 'unknown error'}` };
    const result = envelope.result ?? {};
    if (result.protocol_version !== 1) {
      return { ok: false, message: `Configuration error: VCS plugin '${manifestName}' uses protocol version ${String(result.protocol_version)} but TA requires version 1. Upgrade the plugin or downgrade TA.` };
    }
    this.adapterName = result.adapter_name ?? '';
    this.capabilities = result.capabilities ?? [];
    await this.call('protected_targets', {});
    return { ok: true, result };
  }

  /** One method as `ExternalVcsAdapter` sends it, with TA's four capability gates. */
  async call(method: string, params: Record<string, unknown>): Promise<TaOutcome> {
    const gate: Record<string, [string, unknown]> = {
      protected_targets: ['protected_targets', { targets: [] }],
      verify_target: ['protected_targets', null],
      is_path_ignored: ['is_path_ignored', { ignored: false }],
      commit_diff: ['commit_diff', null],
    };
    const gated = gate[method];
    if (gated !== undefined && !this.capabilities.includes(gated[0])) return { ok: true, result: gated[1] };
    const sent = await this.transport(method, JSON.stringify({ method, params }));
    if (!sent.ok) return sent;
    const envelope = sent.result as { ok: boolean; result?: unknown; error?: string };
    if (!envelope.ok) {
      if (method === 'verify_target') return { ok: false, message: `Invalid state: ${envelope.error ?? 'VCS plugin verify_target returned ok=false'}` };
      return { ok: false, message: `${FAILED}VCS plugin '${this.adapterName}' method '${method}' failed: ${envelope.error ?? 'unknown error'}` };
    }
    return { ok: true, result: envelope.result ?? null };
  }

  /** `call_json`: spawn, write the line, wait for exit, classify (timeout, exit status, first line, JSON). */
  async transport(method: string, requestLine: string): Promise<TaOutcome> {
    this.spawned.push(method);
    const stdout: Buffer[] = [];
    const stderr: string[] = [];
    const onEvent = (event: JobEvent): void => {
      if (event.type === 'job_log_line' && event.stream === 'stderr') stderr.push(event.line);
    };
    const job = this.host.attach('ta', { label: `ta ${method}`, binary: this.binary, args: [], timeout_secs: this.timeoutSecs }, {
      input: `${requestLine}\n`,
      onStdout: (chunk) => stdout.push(chunk),
      onEvent,
    });
    const end = await job.done;
    if (end.type === 'job_cancelled') return { ok: false, message: `${FAILED}plugin 'vcs-plugin' method '${method}' timed out after ${this.timeoutSecs}s` };
    if (end.type === 'job_failed') return { ok: false, message: `${FAILED}plugin 'vcs-plugin' method '${method}' failed: ${stderr.join('\n').trim()}` };
    const first = Buffer.concat(stdout).toString('utf8').split('\n')[0]?.replace(/\r$/, '') ?? '';
    const invalid = `${FAILED}plugin 'vcs-plugin' method '${method}' returned an invalid response: `;
    if (first === '') return { ok: false, message: `${invalid}plugin wrote no output line to stdout` };
    try {
      const envelope = JSON.parse(first) as unknown;
      if (typeof envelope !== 'object' || envelope === null || typeof (envelope as { ok?: unknown }).ok !== 'boolean') throw new Error('missing field `ok`');
      return { ok: true, result: envelope };
    } catch (error) {
      return { ok: false, message: `${invalid}${(error as Error).message} (raw: ${first.slice(0, 200)}...)` };
    }
  }
}
