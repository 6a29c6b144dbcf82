/**
 * The live view of `npm run demo` (examples/demo.ts), kept apart from it so a
 * test can check the layout without a terminal: one line per job, and for a
 * refused request (or a failed or cancelled job whose reason does not fit) its
 * code on the row and the reason on indented lines below, wrapped to the
 * terminal's width instead of cut off.
 */

export interface Row {
  owner: string;
  label: string;
  state: string;
  /** The last percent the job reported; null while (or if) it never reported one. */
  percent: number | null;
  /** Log lines seen so far, shown instead of a bar for a job that reports no progress. */
  lines: number;
  /** The error code of a refused request. */
  code?: string;
  last: string;
}

const COLORS: Record<string, string> = { pending: '90', running: '36', completed: '32', failed: '31', cancelled: '33', refused: '35' };
const BAR = 20;
const SPINNER = '⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏';
/** Where a refusal's wrapped reason starts. */
export const REASON_INDENT = 10;

/** `text` in lines of at most `width` characters, broken at spaces where it can be. */
export function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((part) => part.length > 0)) {
    for (let rest = word; rest.length > 0; ) {
      const room = width - (line.length === 0 ? 0 : line.length + 1);
      if (rest.length <= room) {
        line = line.length === 0 ? rest : `${line} ${rest}`;
        rest = '';
      } else if (line.length > 0) {
        out.push(line);
        line = '';
      } else {
        out.push(rest.slice(0, width));
        rest = rest.slice(width);
      }
    }
  }
  if (line.length > 0 || out.length === 0) out.push(line);
  return out;
}

/** `text` cut to `width` characters, with an ellipsis when it was longer. */
function fit(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
}

/**
 * The screen lines for `rows`, none longer than `width` visible characters.
 * `frame` turns the spinner of a running job that reports no progress.
 */
export function renderRows(rows: Iterable<Row>, width: number, frame = 0, color = true): string[] {
  const paint = (state: string): string => (color ? `\x1b[${COLORS[state] ?? '0'}m${state.padEnd(9)}\x1b[0m` : state.padEnd(9));
  const out: string[] = [];
  for (const row of rows) {
    const head = `${row.owner.padEnd(8)} ${row.label.padEnd(24)} `;
    const room = Math.max(0, width - head.length - 10);
    if (row.state === 'refused') {
      out.push(`${head}${paint(row.state)} ${fit(row.code ?? '', room)}`);
      for (const line of wrap(row.last, width - REASON_INDENT)) out.push(`${' '.repeat(REASON_INDENT)}${line}`);
      continue;
    }
    let meter: string;
    if (row.percent !== null) {
      const filled = Math.round((row.percent / 100) * BAR);
      meter = `${'█'.repeat(filled)}${'░'.repeat(BAR - filled)} ${String(row.percent).padStart(3)}%`;
    } else {
      // no progress reported: no bar it never earned, just a spinner while it runs and its line count
      const spin = row.state === 'running' ? `${SPINNER[frame % SPINNER.length]} ` : '';
      meter = row.lines > 0 || spin !== '' ? `${spin}${row.lines} line${row.lines === 1 ? '' : 's'}` : '';
    }
    const tail = `${meter.padEnd(BAR + 5)}  ${row.last}`;
    if (tail.length > room && (row.state === 'failed' || row.state === 'cancelled')) {
      // why it ended is worth reading whole: on its own indented lines, like a refusal's reason
      out.push(`${head}${paint(row.state)} ${fit(meter, room)}`.trimEnd());
      for (const line of wrap(row.last, width - REASON_INDENT)) out.push(`${' '.repeat(REASON_INDENT)}${line}`);
    } else {
      out.push(`${head}${paint(row.state)} ${fit(tail, room)}`.trimEnd());
    }
  }
  return out;
}
