/**
 * From what an adapter process did to a typed result or a precise error.
 *
 * The order of the checks is the point: the client's own stop (too large,
 * aborted, timed out) explains everything after it; a process that never
 * ran has no output to judge; a signal means a crash whatever was printed;
 * a non-zero exit prefers the adapter's own error envelope over its stderr
 * (TA reports only stderr, which for most adapters is empty); only a clean
 * exit is read as a response.
 *
 * An adapter that refuses is one outcome whatever its exit status: TA's own
 * adapters exit 0 after `{"ok":false}`, others exit 1. Both are
 * `ERR_VCS_ADAPTER_ERROR` with the adapter's text; `exitCode` tells them apart.
 */
import { safeDecodeWire } from '../contracts/decode.js';
import { describeIssues, safeParseWire } from '../contracts/parse-wire.js';
import { VcsPluginResponse } from '../contracts/vcs.js';
import { VCS_METHODS, type VcsMethod, type VcsResult } from '../contracts/vcs-methods.js';
import { VcsAdapterError, type VcsAdapterErrorCode } from './errors.js';
import type { AdapterOutcome } from './run-adapter.js';

/** Limits the outcome is judged against, for the messages. */
export interface InterpretLimits {
  readonly timeoutMs: number;
  readonly maxResponseBytes: number;
}

const STDERR_LINES_IN_MESSAGE = 5;

interface Extra {
  readonly exitCode?: number | null;
  readonly adapterMessage?: string;
  readonly details?: Record<string, unknown>;
  readonly cause?: unknown;
}

function preview(line: Buffer): string {
  const text = line.toString('utf8');
  return JSON.stringify(text.length > 120 ? `${text.slice(0, 117)}...` : text);
}

/** Parses the first line as an envelope; `undefined` when it is not one. */
function envelopeOf(line: Buffer | null): VcsPluginResponse | undefined {
  if (line === null) return undefined;
  const decoded = safeDecodeWire(VcsPluginResponse, line);
  return decoded.success ? decoded.data : undefined;
}

/**
 * The method's result from a finished call, or a thrown {@link VcsAdapterError}
 * saying exactly what went wrong. Pure: no process, no clock.
 */
export function interpretOutcome<M extends VcsMethod>(method: M, adapter: string, outcome: AdapterOutcome, limits: InterpretLimits): VcsResult<M> {
  const { terminal, stderr } = outcome;
  const who = `VCS adapter "${adapter}" (${method})`;
  const tail = stderr.last(STDERR_LINES_IN_MESSAGE);
  const withStderr = (text: string): string => (tail === '' ? text : `${text}; stderr:\n${tail}`);
  const problem = (code: VcsAdapterErrorCode, message: string, extra: Extra = {}): VcsAdapterError =>
    new VcsAdapterError(code, message, { adapter, method, jobId: outcome.jobId, stderr: stderr.text(), ...extra });

  if (outcome.stop === 'too-large') {
    throw problem('ERR_VCS_RESPONSE_TOO_LARGE', `${who}: the first stdout line exceeded ${limits.maxResponseBytes} bytes; the adapter was stopped`);
  }
  if (terminal.type === 'job_cancelled') {
    if (outcome.stop === 'aborted') throw problem('ERR_VCS_ABORTED', `${who} was aborted (${terminal.reason})`, { details: { reason: terminal.reason } });
    if (outcome.stop === 'timeout' || terminal.reason.startsWith('timeout after')) {
      const fate = outcome.started ? 'its process group was killed' : 'it was still queued in the JobHost and never started';
      throw problem('ERR_VCS_TIMEOUT', withStderr(`${who} did not finish within ${limits.timeoutMs} ms; ${fate}`), { details: { reason: terminal.reason } });
    }
    throw problem('ERR_VCS_CANCELLED', `${who} was cancelled: ${terminal.reason}`, { details: { reason: terminal.reason } });
  }
  if (terminal.type === 'job_failed') {
    if (!outcome.started) throw problem('ERR_VCS_SPAWN_FAILED', `${who}: ${terminal.error}`);
    if (terminal.exit_code === null) {
      const signal = /^killed by signal (\w+)/.exec(terminal.error)?.[1] ?? null;
      const how = signal === null ? `crashed: ${terminal.error}` : `crashed: killed by signal ${signal}`;
      throw problem('ERR_VCS_CRASHED', withStderr(`${who} ${how}`), { details: { signal } });
    }
    const exitCode = terminal.exit_code;
    const envelope = envelopeOf(outcome.line);
    if (envelope?.ok === false) {
      if (envelope.error !== undefined) throw problem('ERR_VCS_ADAPTER_ERROR', envelope.error, { exitCode, adapterMessage: envelope.error });
      throw problem('ERR_VCS_ADAPTER_ERROR', withStderr(`${who} answered ok:false without an error message and exited with code ${String(exitCode)}`), { exitCode });
    }
    const said = envelope?.ok === true ? ' although its response said ok' : '';
    throw problem('ERR_VCS_EXIT', withStderr(`${who} exited with code ${String(exitCode)}${said}${tail === '' ? ' and wrote nothing to stderr' : ''}`), { exitCode });
  }

  const line = outcome.line;
  if (line === null || line.toString('utf8').trim() === '') {
    throw problem('ERR_VCS_NO_OUTPUT', withStderr(`${who} exited 0 without a response line on stdout`), { exitCode: 0 });
  }
  const decoded = safeDecodeWire(VcsPluginResponse, line);
  if (!decoded.success) {
    throw problem('ERR_VCS_MALFORMED_RESPONSE', `${who} answered something that is not a response envelope (${decoded.error.message}); first line: ${preview(line)}`, {
      exitCode: 0,
      cause: decoded.error,
    });
  }
  const envelope = decoded.data;
  if (!envelope.ok) {
    const message = envelope.error ?? `${who} answered ok:false without an error message`;
    throw problem('ERR_VCS_ADAPTER_ERROR', message, { exitCode: 0, ...(envelope.error === undefined ? {} : { adapterMessage: envelope.error }) });
  }
  const schema = VCS_METHODS[method].result;
  if (schema === null) return null as VcsResult<M>;
  const parsed = safeParseWire(schema, envelope.result);
  if (!parsed.success) {
    throw problem('ERR_VCS_INVALID_RESULT', `${who} answered a result that does not match its schema: ${describeIssues(parsed.error)}`, {
      exitCode: 0,
      cause: parsed.error,
      details: { issues: parsed.error.issues },
    });
  }
  return parsed.data as VcsResult<M>;
}
