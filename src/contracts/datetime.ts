/**
 * `chrono::DateTime<chrono::Utc>` exactly as chrono's `serde` feature reads
 * and writes it, with nanoseconds and leap seconds intact.
 *
 * A JavaScript `Date` keeps only milliseconds and has no leap seconds, so the
 * conversion is plain integer arithmetic on days and seconds (proleptic
 * Gregorian calendar), never `Date.parse`.
 */
import * as z from 'zod';
import { str } from './wire.js';
import { WireDecodeError } from './wire-error.js';
import { quote } from '../errors.js';

/** chrono's `NaiveDate` range (0.4.32 and later): years −262143 ..= 262142. */
const MIN_YEAR = -262_143;
const MAX_YEAR = 262_142;
const DAY = 86_400;
const NANOS = 1_000_000_000;

/** An instant as chrono holds it; `nanos` ≥ 1e9 marks a leap second (`:60`). */
interface Instant {
  /** Seconds since 1970-01-01T00:00:00Z, counting a leap second as its `:59`. */
  seconds: number;
  nanos: number;
}

/** Days since 1970-01-01 of a proleptic Gregorian date. */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * ((month + 9) % 12) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** The inverse of {@link daysFromCivil}: `[year, month, day]`. */
function civilFromDays(days: number): [number, number, number] {
  const shifted = days + 719_468;
  const era = Math.floor(shifted / 146_097);
  const dayOfEra = shifted - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const month = mp < 10 ? mp + 3 : mp - 9;
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  return [era * 400 + yearOfEra + (month <= 2 ? 1 : 0), month, day];
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

const FIRST_DAY = daysFromCivil(MIN_YEAR, 1, 1);
const LAST_DAY = daysFromCivil(MAX_YEAR, 12, 31);

/** Rust's `char::is_whitespace` (Unicode White_Space): unlike JS `\s`, it has U+0085 and lacks U+FEFF. */
const SPACE = '\\t-\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const W = `[${SPACE}]*`;

/**
 * chrono's `parse_rfc3339_relaxed` as one regex. Every number is scanned
 * greedily up to its width and is always followed by a non-digit, so
 * backtracking cannot accept anything chrono's scanner refuses.
 */
const RELAXED = new RegExp(
  `^${W}([+-]\\d+|\\d{1,4})${W}-${W}(\\d{1,2})${W}-${W}(\\d{1,2})[Tt ]` +
    `${W}(\\d{1,2})${W}:${W}(\\d{1,2})${W}:${W}(\\d{1,2})(?:\\.(\\d+))?${W}` +
    `(?:([Uu][Tt][Cc]|[Zz])|([+\\-\\u2212])(\\d\\d)[:${SPACE}]*(\\d\\d))${W}$`,
);

/** Parses what chrono's `Deserialize for DateTime<Utc>` accepts; a string is the reason for a refusal. */
function parseInstant(text: string): Instant | string {
  const m = RELAXED.exec(text);
  if (m === null) return 'not an RFC 3339 date-time with an offset, as chrono reads it';
  const [, yearText = '', mo = '', d = '', h = '', mi = '', s = '', fraction, zulu, sign, offH = '', offM = ''] = m;
  const digits = yearText.replace(/^[+-]?0*/, '');
  const magnitude = digits.length > 7 ? Infinity : Number(digits || '0');
  const year = yearText.startsWith('-') && magnitude !== 0 ? -magnitude : magnitude;
  const [month, day, hour, minute, second] = [mo, d, h, mi, s].map(Number) as [number, number, number, number, number];
  if (year < MIN_YEAR || year > MAX_YEAR) return `year is outside chrono's range ${MIN_YEAR}..=${MAX_YEAR}`;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return 'the date does not exist';
  if (hour > 23 || minute > 59 || second > 60) return 'the time of day is out of range';
  let offset = 0;
  if (zulu === undefined) {
    if (Number(offM) > 59) return 'the offset minutes are out of range';
    offset = (sign === '+' ? 1 : -1) * (Number(offH) * 3600 + Number(offM) * 60);
    if (Math.abs(offset) >= DAY) return 'the offset must be less than 24 hours';
  }
  const leap = second === 60;
  const local = daysFromCivil(year, month, day) * DAY + hour * 3600 + minute * 60 + (leap ? 59 : second);
  const seconds = local - offset;
  if (seconds < FIRST_DAY * DAY || seconds >= (LAST_DAY + 1) * DAY) return "the instant is outside chrono's range";
  const nanos = fraction === undefined ? 0 : Number(fraction.slice(0, 9).padEnd(9, '0'));
  return { seconds, nanos: leap ? nanos + NANOS : nanos };
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** chrono's `write_rfc3339(…, SecondsFormat::AutoSi, use_z = true)` for an offset of zero. */
function formatInstant({ seconds, nanos }: Instant): string {
  const days = Math.floor(seconds / DAY);
  const ofDay = seconds - days * DAY;
  const [year, month, day] = civilFromDays(days);
  const yearText = year >= 0 && year <= 9999 ? pad(year, 4) : (year < 0 ? '-' : '+') + pad(Math.abs(year), 4);
  const second = (ofDay % 60) + (nanos >= NANOS ? 1 : 0);
  const nano = nanos % NANOS;
  const fraction =
    nano === 0 ? '' : nano % 1_000_000 === 0 ? `.${pad(nano / 1_000_000, 3)}` : nano % 1000 === 0 ? `.${pad(nano / 1000, 6)}` : `.${pad(nano, 9)}`;
  const time = `${pad(Math.floor(ofDay / 3600), 2)}:${pad(Math.floor(ofDay / 60) % 60, 2)}:${pad(second, 2)}`;
  return `${yearText}-${pad(month, 2)}-${pad(day, 2)}T${time}${fraction}Z`;
}

/**
 * `chrono::DateTime<chrono::Utc>` on the wire. Parses to the canonical UTC
 * string chrono's `Serialize` writes, so `JSON.stringify` of a parsed message
 * matches serde_json byte for byte.
 *
 * **Accepted** — exactly what chrono 0.4's `Deserialize` accepts (it parses
 * `DateTime<FixedOffset>` with the relaxed RFC 3339 parser behind
 * `FromStr`, then converts to UTC):
 * - `date SEP time [fraction] offset`, where SEP is `T`, `t` or one ASCII space;
 * - Unicode whitespace (Rust's `char::is_whitespace`) before the string,
 *   after it, around every `-` and `:`, after SEP and before the offset;
 *   none between the day and SEP, nor before the `.` of a fraction;
 * - year: 1–4 digits unsigned (`26` is year 26), or `+`/`-` and any number
 *   of digits; the result must lie in −262143 ..= 262142;
 * - month, day, hour, minute, second: 1 or 2 digits (`2026-5-4T9:0:0Z`);
 * - second `60` is a leap second, in any minute; it is kept (`…:60Z`);
 * - fraction: `.` and at least one digit; the first 9 digits count, the rest
 *   are ignored (truncated, never rounded); no comma;
 * - offset: `Z`, `z`, `UTC` in any case, or a sign (`+`, `-`, U+2212 `−`),
 *   two-digit hours, any run of `:` and whitespace (or none: `+0900`), and
 *   two-digit minutes 00–59; below 24 h; `-00:00` means UTC. A missing offset
 *   or missing minutes (`+09`) is refused.
 * - The date must exist (no Feb 30, Feb 29 only in leap years), hour ≤ 23,
 *   minute ≤ 59, and the UTC instant must stay in chrono's range.
 *
 * **Written**: UTC with `Z`; the year as 4 digits for 0000–9999, else signed
 * with at least 4 digits (`-0001`, `+10000`); the fraction with 0, 3, 6 or 9
 * digits, the fewest that keep every non-zero digit (`SecondsFormat::AutoSi`).
 *
 * Non-strings and strings with a lone surrogate are refused. Checked against
 * chrono's `format/parse.rs`, `format/scan.rs`, `format/parsed.rs`,
 * `format/formatting.rs` and `datetime/serde.rs` of chrono 0.4.32 and later
 * (0.4.27–0.4.31 allowed one more year at each end; earlier releases differ
 * in details such as the `t` separator).
 */
export const RfcDateTime = str.transform((text, ctx): string => {
  const instant = parseInstant(text);
  if (typeof instant === 'string') {
    ctx.issues.push({ code: 'custom', message: `invalid date-time: ${instant}`, input: text });
    return z.NEVER;
  }
  return formatInstant(instant);
});
/** A date-time in chrono's canonical UTC form, e.g. `"2026-05-24T00:00:00.500Z"`. */
export type RfcDateTime = z.output<typeof RfcDateTime>;

/**
 * Formats a `Date` the way chrono writes a `DateTime<Utc>` (0 or 3 fraction
 * digits, since a `Date` holds milliseconds). Throws `ERR_WIRE_DATETIME` for an
 * invalid `Date` or one outside chrono's years −262143 ..= 262142.
 */
export function toRfcDateTime(date: Date): string {
  const ms = date.getTime();
  const seconds = Math.floor(ms / 1000);
  if (Number.isNaN(ms) || seconds < FIRST_DAY * DAY || seconds >= (LAST_DAY + 1) * DAY) {
    throw new WireDecodeError('ERR_WIRE_DATETIME', `Expected a valid Date within chrono's range, got \`${String(date)}\``);
  }
  return formatInstant({ seconds, nanos: (ms - seconds * 1000) * 1_000_000 });
}

/**
 * The `Date` of any string {@link RfcDateTime} accepts, truncated to the
 * millisecond. A leap second maps onto the following second, as chrono's
 * `timestamp_millis()` does. Throws `ERR_WIRE_DATETIME` for a string chrono refuses.
 */
export function rfcDateTimeToDate(text: string): Date {
  const instant = typeof text === 'string' && text.isWellFormed() ? parseInstant(text) : 'not a well-formed string';
  if (typeof instant === 'string') throw new WireDecodeError('ERR_WIRE_DATETIME', `Expected a chrono date-time, got ${quote(String(text))}: ${instant}`);
  return new Date(instant.seconds * 1000 + Math.floor(instant.nanos / 1_000_000));
}
