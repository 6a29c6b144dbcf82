/**
 * The end of an adapter's stderr, for error messages.
 *
 * When an adapter dies without a response envelope, its last stderr lines are
 * usually the only clue (a stack trace, `fatal: not a git repository`). The
 * start of a long stderr is rarely the useful part, so only a bounded tail of
 * whole lines is kept.
 */

/** Keeps the last lines of a stream whose total length stays within `maxChars` UTF-16 units. */
export class StderrTail {
  readonly #maxChars: number;
  readonly #lines: string[] = [];
  /** Sum of line lengths plus one newline each: the joined text is one shorter. */
  #size = 0;

  constructor(maxChars: number) {
    this.#maxChars = maxChars;
  }

  /** Adds one line (without its newline); older lines fall off once the tail is full. */
  push(line: string): void {
    const kept = line.length > this.#maxChars ? line.slice(line.length - this.#maxChars) : line;
    this.#lines.push(kept);
    this.#size += kept.length + 1;
    while (this.#size - 1 > this.#maxChars && this.#lines.length > 1) {
      this.#size -= (this.#lines.shift() as string).length + 1;
    }
  }

  /** The kept lines joined with `\n`. */
  text(): string {
    return this.#lines.join('\n');
  }

  /** The last `count` non-blank lines, for a one-glance error message. */
  last(count: number): string {
    return this.#lines
      .filter((line) => line.trim() !== '')
      .slice(-count)
      .join('\n');
  }
}
