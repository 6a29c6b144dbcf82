/** Writing one frame: the inverse of the decoders, for every sender. */
import type { Framing } from './types.js';

/** Encodes one message body in `framing`. */
export function encodeFrame(framing: Framing, text: string): Buffer {
  const body = Buffer.from(text, 'utf8');
  switch (framing) {
    case 'content-length':
      return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]);
    case 'ndjson':
      // JSON.stringify never emits a raw newline, so a message is always one line
      return Buffer.concat([body, Buffer.from('\n')]);
    case 'length-prefix': {
      const header = Buffer.alloc(4);
      header.writeUInt32LE(body.length, 0);
      return Buffer.concat([header, body]);
    }
  }
}
