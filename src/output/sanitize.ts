/**
 * Terminal-safe text for the UIs that show a job's output.
 *
 * jobhost hands a job's output over as data, verbatim: a `job_log_line` holds
 * exactly what the job printed (minus the line terminator, invalid UTF-8 as
 * U+FFFD), escape sequences included, because a log viewer may want colours
 * and a `job_output_chunk` consumer wants the bytes. Whoever *renders* a line
 * decides what a terminal or a widget may interpret. A hostile job can print
 * sequences that clear the screen, move the cursor over earlier lines, set the
 * window title, write the clipboard (OSC 52) or plant hyperlinks (OSC 8); a
 * `\r` or `\b` can paint "ok" over "FAILED"; Unicode bidirectional controls
 * reorder what is shown (Trojan Source). These helpers neutralise all of it in
 * one linear pass, without regular-expression backtracking.
 */

const TAB = 0x09;
const ESC = 0x1b;
const BEL = 0x07;
const BACKSLASH = 0x5c;
/** 8-bit (C1) forms of CSI, OSC, DCS, SOS, PM, APC and ST. */
const C1_CSI = 0x9b;
const C1_STRINGS: ReadonlySet<number> = new Set([0x9d, 0x90, 0x98, 0x9e, 0x9f]);
const C1_ST = 0x9c;
/** After ESC: `]` OSC, `P` DCS, `X` SOS, `^` PM, `_` APC — strings that run to a terminator. */
const ESC_STRINGS: ReadonlySet<number> = new Set([0x5d, 0x50, 0x58, 0x5e, 0x5f]);

/** U+061C, U+200E/F, U+202A–U+202E, U+2066–U+2069: they reorder displayed text. */
function isBidiControl(unit: number): boolean {
  return unit === 0x061c || unit === 0x200e || unit === 0x200f || (unit >= 0x202a && unit <= 0x202e) || (unit >= 0x2066 && unit <= 0x2069);
}

/** True for what neither helper lets through as is: C0 controls but TAB, DEL, C1 controls, bidi controls. */
export function isTerminalControl(unit: number): boolean {
  return (unit < 0x20 && unit !== TAB) || (unit >= 0x7f && unit <= 0x9f) || isBidiControl(unit);
}

const inRange = (unit: number, low: number, high: number): boolean => unit >= low && unit <= high;

/** Past a CSI's parameters, intermediates and final byte; a malformed one ends where it stops making sense. */
function skipCsi(text: string, from: number): number {
  let i = from;
  while (i < text.length && inRange(text.charCodeAt(i), 0x30, 0x3f)) i++;
  while (i < text.length && inRange(text.charCodeAt(i), 0x20, 0x2f)) i++;
  return i < text.length && inRange(text.charCodeAt(i), 0x40, 0x7e) ? i + 1 : i;
}

/** Past an OSC/DCS/SOS/PM/APC string: to BEL, ST (`ESC \` or U+009C), or another ESC; unterminated, to the end. */
function skipString(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit === BEL || unit === C1_ST) return i + 1;
    if (unit === ESC) return text.charCodeAt(i + 1) === BACKSLASH ? i + 2 : i;
  }
  return text.length;
}

/** Index just past the control or control sequence that starts at `at`. */
function skipControl(text: string, at: number): number {
  const unit = text.charCodeAt(at);
  if (unit === C1_CSI) return skipCsi(text, at + 1);
  if (C1_STRINGS.has(unit)) return skipString(text, at + 1);
  if (unit !== ESC) return at + 1;
  const next = text.charCodeAt(at + 1);
  if (next === 0x5b) return skipCsi(text, at + 2);
  if (ESC_STRINGS.has(next)) return skipString(text, at + 2);
  // ESC, intermediates (0x20–0x2F), a final (0x30–0x7E): charset selection, ESC c (reset), ESC 7/8, …
  let i = at + 1;
  while (i < text.length && inRange(text.charCodeAt(i), 0x20, 0x2f)) i++;
  return i < text.length && inRange(text.charCodeAt(i), 0x30, 0x7e) ? i + 1 : i;
}

function hasControl(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (isTerminalControl(text.charCodeAt(i))) return true;
  return false;
}

/**
 * `text` without terminal escape sequences (CSI, OSC, DCS, SOS, PM, APC, and
 * two-character ESC sequences, in 7-bit and 8-bit form), without any other
 * control character but TAB (so also without `\r`, `\n`, `\b`, NUL and DEL),
 * and without Unicode bidirectional controls. Everything else is kept as is;
 * a line with nothing to remove is returned unchanged (the same string).
 *
 * @example stripTerminalEscapes('\x1b[31mFAILED\x1b[0m\r ok') // 'FAILED ok'
 */
export function stripTerminalEscapes(text: string): string {
  if (!hasControl(text)) return text;
  let out = '';
  let kept = 0;
  let i = 0;
  while (i < text.length) {
    if (!isTerminalControl(text.charCodeAt(i))) {
      i++;
      continue;
    }
    out += text.slice(kept, i);
    i = skipControl(text, i);
    kept = i;
  }
  return out + text.slice(kept);
}

/** How one control character is shown: a Control Picture for C0 and DEL (`␛`, `␀`, `␡`), else `<U+009B>`. */
function visible(unit: number): string {
  if (unit < 0x20) return String.fromCharCode(0x2400 + unit);
  if (unit === 0x7f) return '\u2421';
  return `<U+${unit.toString(16).toUpperCase().padStart(4, '0')}>`;
}

/**
 * `text` with every control character (as in {@link stripTerminalEscapes})
 * replaced by a visible stand-in, so a log viewer shows *that* a job printed
 * an escape sequence without any terminal acting on it:
 * `'\x1b[2J'` becomes `'␛[2J'`, a right-to-left override `'<U+202E>'`.
 */
export function escapeTerminalControls(text: string): string {
  if (!hasControl(text)) return text;
  let out = '';
  let kept = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (!isTerminalControl(unit)) continue;
    out += text.slice(kept, i) + visible(unit);
    kept = i + 1;
  }
  return out + text.slice(kept);
}
