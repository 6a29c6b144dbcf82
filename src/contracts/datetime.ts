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

/**
 * What Rust's `str::trim_start` skips: `char::is_whitespace`, the Unicode
 * White_Space property. Unlike JS `\s` it has U+0085 and lacks U+FEFF.
 */
const SPACE = '\\t-\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const W = `[${SPACE}]*`;

/**
 * chrono 0.4.45's `parse_rfc3339_relaxed` (`src/format/parse.rs:607-646`) and
 * the trailing-whitespace rule of its `FromStr` (`parse.rs:591`) as one regex;
 * the comments give the chrono line each part copies. Every number is scanned
 * greedily up to its width and is always followed by a non-digit, and the only
 * parts that can match the same character are the space separator and the
 * whitespace after it, where every split gives the same verdict; so
 * backtracking cannot accept anything chrono's scanner refuses.
 */
const RELAXED = new RegExp(
  [
    `^${W}`, // the year's trim_start (parse.rs:407)
    '([+-]\\d+|\\d{1,4})', // year: a sign and any number of digits, else 1-4 digits (parse.rs:381, 409-416)
    `${W}-${W}(\\d{1,2})`, // Space, Literal("-"), month: 1-2 digits (parse.rs:368, 351, 388)
    `${W}-${W}(\\d{1,2})`, // the same for the day (parse.rs:389)
    '[Tt ]', // exactly one byte, T, t or ASCII space, right after the day (parse.rs:631-635)
    `${W}(\\d{1,2})${W}:${W}(\\d{1,2})${W}:${W}(\\d{1,2})`, // hour, minute, second (parse.rs:396-399, 617-624)
    '(?:\\.(\\d+))?', // fraction right after the seconds: a dot, then 1 or more digits (parse.rs:461-465, scan.rs:50-66)
    W, // Space and trim_start before the offset (parse.rs:626, 638)
    '(?:([Uu][Tt][Cc]|[Zz])', // UTC in any ASCII case (parse.rs:639), Z or z (scan.rs:214)
    `|([+\\-\\u2212])(\\d\\d)[:${SPACE}]*(\\d\\d))`, // sign, hh, colons/whitespace, mm (scan.rs:222-270, 186)
    `${W}$`, // then only whitespace (parse.rs:591)
  ].join(''),
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
  // NaiveDate::from_ymd_opt (naive/date/mod.rs:196, 2446-2451), called at format/parsed.rs:689.
  if (year < MIN_YEAR || year > MAX_YEAR) return `year is outside chrono's range ${MIN_YEAR}..=${MAX_YEAR}`;
  // parsed.rs:336 (month 1-12), parsed.rs:428 (day 1-31), then the calendar (naive/date/mod.rs:196).
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return 'the date does not exist';
  // parsed.rs:481 (hour 0-23), parsed.rs:497 (minute 0-59), parsed.rs:514 (second 0-60).
  if (hour > 23 || minute > 59 || second > 60) return 'the time of day is out of range';
  let offset = 0;
  if (zulu === undefined) {
    // scan.rs:263-264: minutes 60-99 are OUT_OF_RANGE.
    if (Number(offM) > 59) return 'the offset minutes are out of range';
    offset = (sign === '+' ? 1 : -1) * (Number(offH) * 3600 + Number(offM) * 60);
    // FixedOffset::east_opt (offset/fixed.rs:63), called at parsed.rs:911.
    if (Math.abs(offset) >= DAY) return 'the offset must be less than 24 hours';
  }
  // Second 60 is second 59 plus 1e9 ns (parsed.rs:771), in any minute (naive/time/mod.rs:429-431).
  const leap = second === 60;
  const local = daysFromCivil(year, month, day) * DAY + hour * 3600 + minute * 60 + (leap ? 59 : second);
  const seconds = local - offset;
  // Moving to UTC may leave the range: checked_sub_offset (naive/datetime/mod.rs:593), parsed.rs:913.
  if (seconds < FIRST_DAY * DAY || seconds >= (LAST_DAY + 1) * DAY) return "the instant is outside chrono's range";
  // The first 9 digits count, the rest are skipped, never rounded (scan.rs:53-63).
  const nanos = fraction === undefined ? 0 : Number(fraction.slice(0, 9).padEnd(9, '0'));
  return { seconds, nanos: leap ? nanos + NANOS : nanos };
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/**
 * chrono's `write_rfc3339(…, SecondsFormat::AutoSi, use_z = true)` for an offset
 * of zero (`format/formatting.rs:504-564`, called by `Serialize` at
 * `datetime/serde.rs:45`): years 0-9999 as 4 digits, others `{year:+05}`.
 */
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
 * **Accepted** — exactly what chrono 0.4.45's `Deserialize` accepts (it parses
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
 * the source of chrono 0.4.45, the version in kanade's `Cargo.lock` (tag
 * v0.4.45, commit 1703382; 0.4.44 parses identically): `datetime/serde.rs`,
 * `format/parse.rs`, `format/scan.rs`, `format/parsed.rs` and
 * `format/formatting.rs`, line by line in the comments above and in
 * `test/contracts/datetime-chrono.test.ts`. Older chrono differs: 0.4.27–0.4.31
 * allowed one more year at each end, and 0.4.26 and earlier refuse the `t`
 * separator and the U+2212 sign. A differential check against such an old chrono
 * reports those spellings as jobhost accepting too much; kanade accepts them.
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
