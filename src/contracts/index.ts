/**
 * `jobhost/contracts`: the wire contracts as zod schemas with inferred types.
 *
 * Loads anywhere (browser, worker, plugin sandbox): nothing here imports a
 * Node.js module, execa or an event emitter.
 */
export * from './jobs.js';
export * from './tasks.js';
export * from './vcs.js';
export * from './catalog.js';
export * from './decode.js';
export * from './json-schema.js';
export * from './parse-wire.js';
export { JobhostError, isJobhostError } from '../errors.js';
export type { JobhostErrorCode } from '../errors.js';
