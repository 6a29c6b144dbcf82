/**
 * The whole protocol logic of an adapter as a pure function: one request
 * line in, one response line out. `serveVcsAdapter` wraps it with stdin,
 * stdout, stderr and the exit code; tests call it directly, without a process.
 */
import { safeDecodeWire } from '../contracts/decode.js';
import { describeIssues, safeParseWire } from '../contracts/parse-wire.js';
import { VCS_PROTOCOL_VERSION, VcsPluginRequest, vcsError, vcsSuccess, type VcsPluginResponse } from '../contracts/vcs.js';
import { isVcsMethod, VCS_METHOD_NAMES, VCS_METHODS, type VcsMethod } from '../contracts/vcs-methods.js';
import type { VcsAdapterOptions, VcsHandledMethod, VcsHandler } from './types.js';

/** A handled request: the envelope, and the line to write (JSON, no newline). */
export interface VcsHandledRequest {
  readonly response: VcsPluginResponse;
  readonly line: string;
  /** The request's method, once the envelope could be read. */
  readonly method?: string;
  /** True when there was no request to answer (no line, not JSON, not an envelope): TA's adapters exit 1 then. */
  readonly malformed?: boolean;
}

/** The handled form of an error envelope, for failures found before a request could be handled. */
export function errorResponse(message: string, malformed = false): VcsHandledRequest {
  return answer(vcsError(message), undefined, malformed);
}

function answer(response: VcsPluginResponse, method?: string, malformed = false): VcsHandledRequest {
  return { response, line: JSON.stringify(response), ...(method === undefined ? {} : { method }), ...(malformed ? { malformed } : {}) };
}

function messageOf(error: unknown): string {
  const message = typeof error === 'object' && error !== null ? (error as { message?: unknown }).message : undefined;
  const text = typeof message === 'string' ? message : typeof error === 'string' ? error : String(error);
  return text.trim() === '' ? 'the handler failed without a message' : text;
}

/** The capabilities a handshake reports: as given, else every handled method (so kit adapters announce what they do). */
function capabilitiesOf(options: VcsAdapterOptions): string[] {
  if (options.capabilities !== undefined) return [...options.capabilities];
  return VCS_METHOD_NAMES.filter((method) => method !== 'handshake' && typeof options.handlers[method] === 'function');
}

async function run(method: VcsMethod, params: unknown, options: VcsAdapterOptions): Promise<VcsPluginResponse> {
  const paramsSchema = VCS_METHODS[method].params;
  const checked = paramsSchema === null ? { success: true as const, data: {} } : safeParseWire(paramsSchema, params);
  if (!checked.success) return vcsError(`invalid params for ${method}: ${describeIssues(checked.error)}`);
  if (method === 'handshake') {
    return vcsSuccess({
      plugin_version: options.version,
      protocol_version: VCS_PROTOCOL_VERSION,
      adapter_name: options.adapterName,
      capabilities: capabilitiesOf(options),
    });
  }
  const handler = options.handlers[method] as VcsHandler<VcsHandledMethod> | undefined;
  if (typeof handler !== 'function') return vcsError(`method not supported by this adapter: ${method}`);
  let result: unknown;
  try {
    result = await handler(checked.data as never);
  } catch (error) {
    return vcsError(messageOf(error));
  }
  const resultSchema = VCS_METHODS[method].result;
  if (resultSchema === null) return vcsSuccess(null);
  const parsed = safeParseWire(resultSchema, result);
  if (!parsed.success) return vcsError(`adapter bug: the ${method} handler returned an invalid result: ${describeIssues(parsed.error)}`);
  return vcsSuccess(parsed.data);
}

/**
 * Answers one request line (without its newline). Never throws: malformed
 * input, an unknown method, invalid params, a throwing handler and an
 * invalid handler result all become `{"ok":false,"result":null,"error":…}`.
 */
export async function handleVcsRequest(line: string, options: VcsAdapterOptions): Promise<VcsHandledRequest> {
  const text = line.endsWith('\r') ? line.slice(0, -1) : line;
  if (text.trim() === '') return answer(vcsError('malformed request: no request line on stdin'), undefined, true);
  const request = safeDecodeWire(VcsPluginRequest, text);
  if (!request.success) return answer(vcsError(`malformed request: ${request.error.message}`), undefined, true);
  const { method, params } = request.data;
  if (!isVcsMethod(method)) return answer(vcsError(`unknown method: ${method}`), method);
  try {
    return answer(await run(method, params, options), method);
  } catch (error) {
    // Only a bug in the kit or a hostile getter lands here; still one envelope.
    return answer(vcsError(`adapter failure: ${messageOf(error)}`), method);
  }
}
