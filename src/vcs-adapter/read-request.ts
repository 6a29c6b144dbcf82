/**
 * Reading the one request line from stdin: up to the first newline (or end
 * of input), bounded, and without waiting for the writer to close its end.
 */
import type { Readable } from 'node:stream';

/** The request line, or why none could be read. */
export type RequestLine = { readonly line: string } | { readonly error: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });

function decode(chunks: Buffer[]): RequestLine {
  try {
    return { line: utf8.decode(Buffer.concat(chunks)) };
  } catch {
    return { error: 'malformed request: the request line is not valid UTF-8' };
  }
}

/** Reads until the first `\n` or EOF; refuses a line longer than `maxBytes`. */
export function readRequestLine(input: Readable, maxBytes: number): Promise<RequestLine> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (result: RequestLine): void => {
      input.off('data', onData);
      input.off('end', onEnd);
      input.off('error', onError);
      input.pause();
      resolve(result);
    };
    const onData = (chunk: Buffer | string): void => {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      const newline = bytes.indexOf(0x0a);
      const part = newline === -1 ? bytes : bytes.subarray(0, newline);
      size += part.length;
      if (size > maxBytes) return finish({ error: `malformed request: the request line exceeds ${maxBytes} bytes` });
      chunks.push(part);
      if (newline !== -1) finish(decode(chunks));
    };
    const onEnd = (): void => finish(decode(chunks));
    const onError = (error: Error): void => finish({ error: `malformed request: reading stdin failed: ${error.message}` });
    input.on('data', onData);
    input.on('end', onEnd);
    input.on('error', onError);
  });
}
