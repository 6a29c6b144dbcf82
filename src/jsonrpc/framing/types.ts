/**
 * The three framings JSON-RPC travels in, and what a decoder reports. A leaf
 * module: the decoders, the encoder and the writer all read it, and it reads
 * nothing, so the framing code has no import cycle.
 */

/**
 * The framings the origins use: LSP-style `Content-Length` headers (the
 * extension runtime), newline-delimited JSON, and kanade's 4-byte
 * little-endian length prefix.
 */
export type Framing = 'content-length' | 'ndjson' | 'length-prefix';

/** Every framing, for option checks and messages. */
export const FRAMINGS: readonly Framing[] = ['content-length', 'ndjson', 'length-prefix'];

/** What a decoder found in the stream. */
export type FrameEvent =
  | { readonly kind: 'message'; readonly text: string }
  /** A frame larger than `maxFrameBytes`. With `length-prefix` it is `fatal`: nothing marks where the next frame starts. */
  | { readonly kind: 'oversized'; readonly bytes: number; readonly fatal: boolean }
  /**
   * Bytes skipped while looking for the next frame, one event per burst (all
   * the bytes between two frames); `sample` is their start, for the report.
   */
  | { readonly kind: 'garbage'; readonly bytes: number; readonly sample: string };

/** Limits of a decoder. */
export interface FramingOptions {
  /** Largest frame body. @default 4 MiB for content-length and ndjson, 1 MiB for length-prefix (the origins' caps) */
  readonly maxFrameBytes?: number;
  /** Longest `Content-Length` header line. @default 1024 */
  readonly maxHeaderLineBytes?: number;
  /**
   * When `Content-Length` garbage is reported: `'burst'` once for all the
   * bytes between two frames (when the next frame starts, or at the end of
   * the stream) — a plugin's stdout; `'chunk'` also at the end of every chunk
   * received, so a peer waiting for an answer to its garbage gets one at once
   * — a socket's client.
   * @default 'chunk'
   */
  readonly garbageReports?: 'burst' | 'chunk';
}

/** The origins' caps: 4 MiB (extension runtime), 1 MiB (kanade). */
export const DEFAULT_MAX_FRAME_BYTES: Readonly<Record<Framing, number>> = {
  'content-length': 4 * 1024 * 1024,
  ndjson: 4 * 1024 * 1024,
  'length-prefix': 1024 * 1024,
};

/** Longest `Content-Length` header line, unless the options say otherwise. */
export const DEFAULT_MAX_HEADER_LINE_BYTES = 1024;

/** Incremental decoder for one direction of one stream. */
export interface FrameDecoder {
  /** Feeds a chunk and returns the events it completed, in order. */
  push(chunk: Buffer): FrameEvent[];
  /**
   * The stream ended: the events still owed (a garbage burst in progress is
   * reported now). What is held stays in `pending`: a frame cut short.
   */
  flush(): FrameEvent[];
  /** Bytes held that do not yet form a complete frame. */
  readonly pending: number;
}
