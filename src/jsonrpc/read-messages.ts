/**
 * A framing reader for any stream: JSON-RPC messages out of a Readable (a
 * socket, a child's stdout, a file) in any of the three framings, with the
 * frame size bounded. Bytes that are not a frame are skipped and reported,
 * and reading resumes at the next valid header or line; the consumer sees
 * every problem as an event instead of an exception.
 */
import { createMessageParser, type MessageReaderOptions, type RpcReadEvent } from './parser.js';

/**
 * Yields every message and every problem of `source`, in stream order.
 *
 * Ends with the stream (reporting a `truncated` frame if it stopped inside
 * one), or right after a fatal `oversized` event: with `length-prefix` nothing
 * marks where the next frame would start. Breaking out of the loop destroys a
 * Readable source, as `for await` always does. Backpressure is the loop's
 * own: nothing is read ahead while the consumer is busy.
 */
export async function* readMessages(source: AsyncIterable<Uint8Array | string>, options: MessageReaderOptions = {}): AsyncGenerator<RpcReadEvent, void, undefined> {
  const parser = createMessageParser(options);
  for await (const chunk of source) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    for (const event of parser.push(bytes)) {
      yield event;
      if (event.kind === 'oversized' && event.fatal) return;
    }
  }
  yield* parser.end();
}
