/**
 * What a run's terminal push carries, as kanade's agent sends it
 * (`handlers/jobs.rs` `cap_chunk`): each stream's whole output, re-sent, cut
 * to its first 256 KiB of UTF-8 at a character boundary, with kanade's
 * suffix when anything was cut. kanade's Client App replaces what it
 * streamed with this text. Only what can be sent is kept: at most 256 KiB
 * per stream, however much a job prints.
 */
import { progressText } from '../protocol.js';

/** kanade's `MAX_PROGRESS_CHUNK_BYTES`. */
export const TERMINAL_CHUNK_BYTES = 256 * 1024;
/** kanade's mark of a cut stream. */
export const TRUNCATED_SUFFIX = '\n…[truncated: output exceeded 256 KiB]';

/** The longest prefix of `text` of at most `bytes` bytes of UTF-8 that ends on a character boundary, and its size. */
function utf8Head(text: string, bytes: number): { readonly text: string; readonly bytes: number } {
  const encoded = Buffer.from(text);
  if (encoded.length <= bytes) return { text, bytes: encoded.length };
  let end = bytes;
  while (end > 0 && ((encoded[end] ?? 0) & 0xc0) === 0x80) end--;
  return { text: encoded.toString('utf8', 0, end), bytes: end };
}

/** The head of one stream's output. */
export class HeadCapture {
  #text = '';
  #bytes = 0;
  #truncated = false;

  /** Adds output; past the cap only the fact that there was more is kept. */
  append(text: string): void {
    if (this.#truncated || text === '') return;
    const head = utf8Head(text, TERMINAL_CHUNK_BYTES - this.#bytes);
    this.#text += head.text;
    this.#bytes += head.bytes;
    if (head.text.length < text.length) this.#truncated = true;
  }

  /** What the terminal push carries: the head, and the suffix if anything was cut; `note` (a jobhost line) after it. */
  chunk(note?: string): string {
    const text = this.#truncated ? this.#text + TRUNCATED_SUFFIX : this.#text;
    if (note === undefined) return text;
    return text.trim() === '' ? note : `${text}${text.endsWith('\n') ? '' : '\n'}${note}`;
  }

  /** Keeps only the first `share` of the head (at a character boundary), marking it cut: for a push that must fit the frame cap. */
  shrink(share: number): void {
    const head = utf8Head(this.#text, Math.floor(this.#bytes * share));
    if (head.bytes === this.#bytes) return;
    this.#text = head.text;
    this.#bytes = head.bytes;
    this.#truncated = true;
  }

  get bytes(): number {
    return this.#bytes;
  }
}

/**
 * The terminal push of a run: status, exit code, and both streams' captured
 * output (an empty one left out). Where the frame cap cannot hold it (a small
 * `maxFrameBytes`, or output that JSON escaping inflates, such as control
 * characters), the larger head is halved until it fits.
 */
export function terminalProgress(
  base: { readonly run_id: string; readonly status: string; readonly exit_code: number },
  streams: { readonly stdout: HeadCapture; readonly stderr: HeadCapture },
  note: string | undefined,
  maxFrameBytes: number,
): Record<string, unknown> {
  for (;;) {
    const stdout = streams.stdout.chunk();
    const stderr = streams.stderr.chunk(note);
    const progress = {
      run_id: base.run_id,
      status: base.status,
      ...(stdout === '' ? {} : { stdout_chunk: stdout }),
      ...(stderr === '' ? {} : { stderr_chunk: stderr }),
      exit_code: base.exit_code,
    };
    const { stdout: out, stderr: err } = streams;
    if (Buffer.byteLength(progressText(progress)) <= maxFrameBytes || out.bytes + err.bytes === 0) return progress;
    (out.bytes >= err.bytes ? out : err).shrink(0.5);
  }
}
