/**
 * `jobhost/vcs-adapter`: write a VCS adapter for TA's JSON-over-stdio
 * protocol in a few lines.
 *
 * Loads in any Node.js program without the rest of jobhost: it imports only
 * the wire contracts and Node.js built-ins (no execa, no JobHost).
 */
export { serveVcsAdapter } from './serve.js';
export type { ServeVcsAdapterOptions } from './serve.js';
export { handleVcsRequest } from './handle-request.js';
export type { VcsHandledRequest } from './handle-request.js';
export { guardStdout } from './stdout-guard.js';
export type { StdoutGuard } from './stdout-guard.js';
export type { VcsAdapterOptions, VcsHandledMethod, VcsHandler, VcsHandlerResult, VcsHandlers } from './types.js';
export { VCS_PROTOCOL_VERSION, vcsError, vcsSuccess } from '../contracts/vcs.js';
export { VCS_METHODS, VCS_METHOD_NAMES, isVcsMethod } from '../contracts/vcs-methods.js';
export type { VcsMethod, VcsParamsOutput, VcsResultInput } from '../contracts/vcs-methods.js';
export type * from '../contracts/vcs-messages.js';
