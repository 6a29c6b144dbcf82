/**
 * kanade's `jobs.*` catalog RPC (`seeds/kanade-ipc-jobs.rs`): the job list a
 * client UI shows, execute / subscribe / progress / kill, and `RunStatus`.
 *
 * The wire types live in `catalog-types.ts`, the method and error tables in
 * `catalog-rpc.ts`, and chrono's date-time rules in `datetime.ts`, re-exported
 * here because the catalog is their only user on the wire. `catalog-handshake.ts`
 * is `system.handshake`, which opens every connection.
 */
export * from './catalog-types.js';
export * from './catalog-rpc.js';
export { RfcDateTime, rfcDateTimeToDate, toRfcDateTime } from './datetime.js';
export * from './catalog-handshake.js';
