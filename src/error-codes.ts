/**
 * Every stable error code jobhost uses, in one place, grouped by the class
 * that carries it. A code names one situation for good: callers branch on it,
 * and `docs/errors.md` is generated from these tables (`npm run errors:doc`),
 * so the page cannot drift from the code. A code shared by two classes
 * (`ERR_INVALID_OPTIONS`) means the same thing in both.
 */

/** `JobHostError`: refusals and misuse of the JobHost, its handles and its policy. */
export const JOBHOST_ERROR_CODES = {
  ERR_INVALID_OPTIONS: 'options are invalid: a wrong type, a value out of range, an unknown option (with a "did you mean"), a getter that throws',
  ERR_BINARY_NOT_FOUND: 'an allow-listed binary cannot be found or is not executable',
  ERR_BINARY_DISPATCHER: 'an allow-listed binary is a dispatcher (a version-manager shim) that picks what runs from the environment or the working directory',
  ERR_CONTAINMENT_UNAVAILABLE: 'a containment tier or resource limit a binary asks for is not available on this machine (bwrap, prlimit)',
  ERR_BINARY_UNSUPPORTED: "an allow-listed binary cannot serve its profile (git older than the profile's defences need)",
  ERR_BINARY_CHANGED: 'an allow-listed binary does not match its pinned sha256, or was replaced or modified on disk since construction',
  ERR_INVALID_REQUEST: 'the spawn request does not match the JobSpawnRequest contract, or its label is too long',
  ERR_BINARY_NOT_ALLOWED: 'the binary is not a key of the allow-list',
  ERR_ARGS_REFUSED: 'the arguments break the argument policy',
  ERR_ENV_REFUSED: 'the environment breaks the env policy',
  ERR_CWD_OUTSIDE_ROOT: 'the working directory resolves outside the root',
  ERR_CWD_NOT_FOUND: 'the working directory does not exist or is not a directory',
  ERR_UNTRUSTED_REPOSITORY: 'the repository a profile would open leads outside the root, is a bare repository found by discovery, or reads config from outside the root',
  ERR_QUEUE_FULL: 'too many unfinished jobs for this owner or for the host',
  ERR_EVENTS_UNDRAINED: "the owner's event buffer is full of lifecycle events it has not drained",
  ERR_HOST_DISPOSED: 'the host has been disposed',
  ERR_ABORTED: 'the AbortSignal passed to spawn was already aborted',
  ERR_UNKNOWN_JOB: 'no job with this id is visible to this owner',
  ERR_INVALID_OWNER: 'the owner id is not a non-empty printable string',
} as const;

/**
 * `RpcError` (and its subclasses `RpcPluginError` for plugin processes and
 * `CatalogRequestError` for the catalog's error answers): the outcome of one
 * JSON-RPC request, whichever the peer.
 */
export const RPC_ERROR_CODES = {
  ERR_RPC_EXITED: 'the peer ended (a plugin process exited, crashed or was killed; a connection closed) before it answered',
  ERR_RPC_TIMEOUT: 'no answer within the request timeout; `$/cancelRequest` was sent',
  ERR_RPC_ABORTED: "the caller's AbortSignal aborted the request; `$/cancelRequest` was sent if it had gone out",
  ERR_RPC_REMOTE: 'the peer answered with a JSON-RPC error object (in `data`)',
  ERR_RPC_CLOSED: 'nothing was sent: the peer has ended, is shutting down, or the connection is closed',
  ERR_RPC_PROTOCOL: 'the peer answered with a message that breaks JSON-RPC 2.0, or a result that breaks the method\'s schema',
  ERR_RPC_BACKPRESSURE: 'the peer stopped reading; more than `maxQueuedBytes` waited, and the peer was stopped',
  ERR_RPC_INVALID_PARAMS: 'the params of an outgoing request or notification break its definition, or cannot be serialised; nothing was sent',
  ERR_INVALID_OPTIONS: 'per-request options are invalid (`timeoutMs`, `signal`)',
} as const;

/** `VcsAdapterError`: a VCS adapter call or discovery that did not produce a result. */
export const VCS_ADAPTER_ERROR_CODES = {
  ERR_VCS_ADAPTER_ERROR: 'the adapter answered {"ok":false,"error":…}, whatever its exit status (`exitCode` says which); the message is the adapter\'s',
  ERR_VCS_EXIT: 'the adapter exited non-zero without an error envelope on stdout; the message ends with the tail of its stderr',
  ERR_VCS_NO_OUTPUT: 'the adapter exited 0 but its first stdout line was missing or empty',
  ERR_VCS_MALFORMED_RESPONSE: 'the first stdout line is not JSON, or not a {"ok":…} response envelope',
  ERR_VCS_INVALID_RESULT: 'the adapter answered ok:true but the result does not match the method\'s schema (issue paths in the message)',
  ERR_VCS_RESPONSE_TOO_LARGE: 'the first stdout line grew past maxResponseBytes; the adapter was killed',
  ERR_VCS_PROTOCOL_VERSION: 'the handshake reported a protocol version other than the one this host speaks',
  ERR_VCS_INVALID_PARAMS: 'the params given to the client do not match the method\'s schema; nothing was spawned',
  ERR_VCS_TIMEOUT: 'the call did not finish within its timeout; the adapter\'s process group was killed',
  ERR_VCS_ABORTED: 'the caller\'s AbortSignal fired; the adapter\'s process group was killed (or it never started)',
  ERR_VCS_CANCELLED: 'the job was cancelled by someone else (host disposed, cancelAll); the reason is in the message',
  ERR_VCS_CRASHED: 'the adapter was killed by a signal',
  ERR_VCS_SPAWN_FAILED: 'the adapter could not be started (missing file, not executable, ETXTBSY after retries)',
  ERR_VCS_POLICY: 'the JobHost refused the request (not allow-listed, cwd, env, queue full, disposed); `cause` is the JobHostError',
  ERR_VCS_MANIFEST: 'an adapter manifest file is unreadable or invalid, or two adapters claim the same name',
  ERR_INVALID_OPTIONS: 'client or discovery options are invalid',
} as const;

/** `CatalogError`: the catalog service's refusals to the host application (a client's requests reject with `RpcError`s). */
export const CATALOG_HOST_ERROR_CODES = {
  ERR_CATALOG_MANIFEST: 'one or more job manifests are invalid (every problem is listed in `problems`)',
  ERR_SOCKET_IN_USE: 'another process is listening on the socket path',
  ERR_SOCKET_PATH: 'the socket path exists and is not a socket, so it is left alone',
  ERR_CATALOG_CLOSED: 'the catalog is closed and accepts no connection, or a client connection closed before the run it waited for ended',
  ERR_INVALID_OPTIONS: 'catalog, server or client options are invalid',
} as const;

/** `WireDecodeError`: text from a peer that `decodeWire` refuses, and date-times the contracts' helpers refuse. */
export const WIRE_DECODE_ERROR_CODES = {
  ERR_WIRE_JSON: 'not a JSON text (syntax error, invalid UTF-8 bytes, a byte-order mark)',
  ERR_WIRE_DEPTH: 'arrays and objects nested deeper than serde_json allows (128)',
  ERR_WIRE_SURROGATE: 'a lone UTF-16 surrogate, escaped or raw',
  ERR_WIRE_SCHEMA: 'valid JSON that does not match the contract; `cause` is the ZodError with the first fault',
  ERR_WIRE_INPUT: '`decodeWire` was given something other than a string or a Uint8Array',
  ERR_WIRE_DATETIME: 'a date-time chrono would refuse (`rfcDateTimeToDate`), or a `Date` outside its range (`toRfcDateTime`)',
} as const;

/** `TaskNotificationError`: a `task.*` notification that `parseTaskEvent` refuses. */
export const TASK_NOTIFICATION_ERROR_CODES = {
  ERR_TASK_NOTIFICATION: 'a task.* notification that parseTaskEvent refuses; the message is the origin\'s, word for word',
} as const;

/** Each class and its table, for the generated reference. */
export const ERROR_TABLES = {
  JobHostError: JOBHOST_ERROR_CODES,
  RpcError: RPC_ERROR_CODES,
  VcsAdapterError: VCS_ADAPTER_ERROR_CODES,
  CatalogError: CATALOG_HOST_ERROR_CODES,
  WireDecodeError: WIRE_DECODE_ERROR_CODES,
  TaskNotificationError: TASK_NOTIFICATION_ERROR_CODES,
} as const;

/** A host error code. */
export type JobHostErrorCode = keyof typeof JOBHOST_ERROR_CODES;
/** A JSON-RPC request error code. */
export type RpcErrorCode = keyof typeof RPC_ERROR_CODES;
/** A VCS error code. */
export type VcsAdapterErrorCode = keyof typeof VCS_ADAPTER_ERROR_CODES;
/** A catalog error code. */
export type CatalogErrorCode = keyof typeof CATALOG_HOST_ERROR_CODES;
/** A wire decoding error code. */
export type WireDecodeErrorCode = keyof typeof WIRE_DECODE_ERROR_CODES;

/** Every stable code of every jobhost error. */
export type JobhostErrorCode = JobHostErrorCode | RpcErrorCode | VcsAdapterErrorCode | CatalogErrorCode | WireDecodeErrorCode | keyof typeof TASK_NOTIFICATION_ERROR_CODES;
