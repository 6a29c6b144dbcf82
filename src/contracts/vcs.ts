/**
 * The VCS adapter protocol of TrustedAutonomy's `ta_submit`
 * (`seeds/ta-vcs-plugin-protocol.rs`): the host spawns an adapter per call,
 * writes one request line to its stdin and reads one response line from its
 * stdout.
 *
 * ```text
 * host → adapter: {"method":"commit","params":{…}}
 * adapter → host: {"ok":true,"result":{…}}  or  {"ok":false,"result":null,"error":"…"}
 * ```
 *
 * Wire rules (serde): `Option` fields are written as `null` and may be
 * missing on input, except `VcsPluginResponse.error`, which is omitted when
 * `None`; `#[serde(default)]` fields are filled in when missing but refuse an
 * explicit `null`; `serde_json::Value` fields (`params`, `result`, `state`)
 * accept any JSON, `null` included, and only `result` may be missing.
 * Every struct, the envelopes included, also reads from a JSON array of its
 * fields in order (see `serdeStruct`).
 *
 * Known JavaScript limits (shared by every contract): `JSON.parse` cannot tell
 * `1.0` or `1e0` from `1`, so a float where serde wants an integer is accepted,
 * and a float inside a `Value` re-encodes without its `.0`; serde_json's
 * default `Value` sorts object keys on output, JavaScript keeps their order.
 */
import * as z from 'zod';
import { jsonValue } from './containers.js';
import { omitAbsent, omittable, serdeStruct, str } from './wire.js';

export * from './vcs-messages.js';
export * from './vcs-methods.js';

/** Protocol version this library speaks; a handshake that reports another one is incompatible. */
export const VCS_PROTOCOL_VERSION = 1 as const;

/** Any JSON value (`serde_json::Value`). */
type Json = z.output<typeof jsonValue>;

/**
 * The request envelope. `method` is a free string on the wire (see
 * `VCS_METHODS` for the known ones); `params` is required but may be `null`.
 */
export const VcsPluginRequest = serdeStruct(
  z.object({
    /** e.g. `handshake`, `commit`. */
    method: str,
    /** The method's params; `{}` for a method without params. */
    params: jsonValue,
  }),
  [],
);
export type VcsPluginRequest = z.output<typeof VcsPluginRequest>;

/**
 * The response envelope. `result` is always present after parsing (`null`
 * when missing, so `{"ok":true}` reads as `{ok:true,result:null}`); `error` is
 * absent from the parsed object when missing or `null`. serde does not tie
 * `ok` to the other two fields, and neither does this schema.
 *
 * In the array form only `result` has `#[serde(default)]`; `error` has
 * `skip_serializing_if` alone, so an array must hold all three elements
 * (`[false,null,"boom"]`, `[true,{…},null]`), while `[true]` is refused.
 */
export const VcsPluginResponse = serdeStruct(
  z
    .object({
      /** Whether the call succeeded. */
      ok: z.boolean(),
      /** The method's result; `null` on error. @default null */
      result: jsonValue.prefault(null),
      /** Human-readable reason, set only when `ok` is false. Omitted, never `null`, on output. */
      error: omittable(str),
    })
    .overwrite(omitAbsent),
  ['result'],
);
export type VcsPluginResponse = z.output<typeof VcsPluginResponse>;
/** A response as an adapter may write it: `result` and `error` may be left out. */
export type VcsPluginResponseInput = z.input<typeof VcsPluginResponse>;

/** A success envelope, like Rust's `VcsPluginResponse::success`; pass `null` for a method without a result. */
export function vcsSuccess(result: Json): VcsPluginResponse {
  return { ok: true, result };
}

/** An error envelope, like Rust's `VcsPluginResponse::error`: `{"ok":false,"result":null,"error":message}`. */
export function vcsError(message: string): VcsPluginResponse {
  return { ok: false, result: null, error: message };
}
