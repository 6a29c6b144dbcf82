/**
 * `RfcDateTime` against chrono 0.4.45 (kanade's `Cargo.lock`), rule by rule.
 *
 * Each row is a JSON text and what kanade makes of it: `serde_json::from_str::<DateTime<Utc>>`
 * and then `serde_json::to_string`, or `null` where that fails. The expected values were
 * produced by exactly that Rust code, built against chrono v0.4.45 (commit 1703382),
 * serde 1.0.228 and serde_json 1.0.145. The comment on each row names the line of chrono
 * 0.4.45 that decides it (`src/format/…` unless another directory is given).
 */
import { describe, expect, it } from 'vitest';
import { RfcDateTime, rfcDateTimeToDate } from '../../src/contracts/datetime.js';

/** [JSON text, what serde_json writes back after chrono read it, or null: refused]. */
type Row = readonly [input: string, expected: string | null];

const ROWS: readonly Row[] = [
  // Entry point: datetime/serde.rs:62-67 (visit_str → str::parse), datetime/serde.rs:93-100 (DateTime<FixedOffset> → with_timezone(&Utc)), parse.rs:585-596 (FromStr → parse_rfc3339_relaxed)
  ['"2026-05-24T09:00:00+09:00"', '"2026-05-24T00:00:00Z"'], // datetime/serde.rs:99 converts the offset away
  ['1716508800', null], // datetime/serde.rs:99 deserialize_str: the visitor has only visit_str
  ['"2026-05-24\\u005400:00:00Z"', '"2026-05-24T00:00:00Z"'], // serde_json unescapes before visit_str: \u0054 is T
  ['"\\ud800"', null], // serde_json refuses a lone surrogate before chrono sees it
  ['""', null], // parse.rs:416 scan::number on "" is TOO_SHORT
  // Date/time separator: parse.rs:631-635 — exactly one byte, T, t or ASCII space
  ['"2026-05-24T00:00:00Z"', '"2026-05-24T00:00:00Z"'], // parse.rs:632 T
  ['"2026-05-24t00:00:00Z"', '"2026-05-24T00:00:00Z"'], // parse.rs:632 t (chrono ≥ 0.4.27; 0.4.26 and older refuse it)
  ['"2026-05-24 00:00:00Z"', '"2026-05-24T00:00:00Z"'], // parse.rs:632 ASCII space
  ['"2026-05-24  00:00:00Z"', '"2026-05-24T00:00:00Z"'], // parse.rs:632 then parse.rs:407 trims before the hour
  ['"2026-05-24T 00:00:00Z"', '"2026-05-24T00:00:00Z"'], // parse.rs:407 whitespace after the separator
  ['"2026-05-24\\t00:00:00Z"', null], // parse.rs:633 tab is not a separator
  ['"2026-05-24\\u00a000:00:00Z"', null], // parse.rs:633 only the byte 0x20, not NBSP
  ['"2026-05-24\\u300000:00:00Z"', null], // parse.rs:633 nor U+3000
  ['"2026-05-24_00:00:00Z"', null], // parse.rs:633
  ['"2026-05-24x00:00:00Z"', null], // parse.rs:633
  ['"2026-05-24TT00:00:00Z"', null], // parse.rs:632 one separator, then parse.rs:419 needs a digit
  ['"2026-05-24 T00:00:00Z"', null], // parse.rs:632 the space is the separator, then parse.rs:419 meets T
  ['"2026-05-2400:00:00Z"', null], // parse.rs:633 no separator (the day takes 2 digits: parse.rs:389)
  ['"2026-05-24"', null], // parse.rs:634 TOO_SHORT
  // Zulu and UTC: scan.rs:214 (Z or z), parse.rs:639-640 (UTC in any ASCII case)
  ['"2026-05-24T00:00:00z"', '"2026-05-24T00:00:00Z"'], // scan.rs:214 z
  ['"2026-05-24T00:00:00UTC"', '"2026-05-24T00:00:00Z"'], // parse.rs:639
  ['"2026-05-24T00:00:00utc"', '"2026-05-24T00:00:00Z"'], // parse.rs:639 eq_ignore_ascii_case
  ['"2026-05-24T00:00:00uTc"', '"2026-05-24T00:00:00Z"'], // parse.rs:639 eq_ignore_ascii_case
  ['"2026-05-24T00:00:00 UTC "', '"2026-05-24T00:00:00Z"'], // parse.rs:638 trim before, parse.rs:591 trim after
  ['"2026-05-24T00:00:00UT"', null], // parse.rs:639 needs 3 bytes; scan.rs:244 U is no sign
  ['"2026-05-24T00:00:00GMT"', null], // scan.rs:244
  ['"2026-05-24T00:00:00Zulu"', null], // parse.rs:591 TOO_LONG after Z
  ['"2026-05-24T00:00:00UTC+09:00"', null], // parse.rs:591 TOO_LONG after UTC
  ['"2026-05-24T00:00:00UTCZ"', null], // parse.rs:591
  ['"2026-05-24T00:00:00ZZ"', null], // parse.rs:591
  ['"2026-05-24T00:00:00"', null], // scan.rs:245 no offset: TOO_SHORT
  // Numeric offset: scan.rs:222-281 with colon_or_space (scan.rs:186), allow_missing_minutes = false (parse.rs:642)
  ['"2026-05-24T00:00:00+09:00"', '"2026-05-23T15:00:00Z"'], // scan.rs:224
  ['"2026-05-24T00:00:00-05:00"', '"2026-05-24T05:00:00Z"'], // scan.rs:230
  ['"2026-05-24T00:00:00\\u221209:00"', '"2026-05-24T09:00:00Z"'], // scan.rs:236 U+2212 MINUS SIGN (allow_tz_minus_sign, parse.rs:642)
  ['"2026-05-24T00:00:00\\u201309:00"', null], // scan.rs:244 EN DASH is no sign
  ['"2026-05-24T00:00:00\\uff0b09:00"', null], // scan.rs:244 FULLWIDTH PLUS is no sign
  ['"2026-05-24T00:00:00+0900"', '"2026-05-23T15:00:00Z"'], // scan.rs:186 the colon may be missing
  ['"2026-05-24T00:00:00+09::00"', '"2026-05-23T15:00:00Z"'], // scan.rs:186 any run of colons
  ['"2026-05-24T00:00:00+09 : 00"', '"2026-05-23T15:00:00Z"'], // scan.rs:186 and whitespace
  ['"2026-05-24T00:00:00+09\\u300000"', '"2026-05-23T15:00:00Z"'], // scan.rs:186 Unicode whitespace
  ['"2026-05-24T00:00:00+09-00"', null], // scan.rs:265 INVALID
  ['"2026-05-24T00:00:00+9:00"', null], // scan.rs:252 two hour digits
  ['"2026-05-24T00:00:00+ 09:00"', null], // scan.rs:252 no whitespace after the sign
  ['"2026-05-24T00:00:00+\\uff10\\uff19:00"', null], // scan.rs:252 ASCII digits only
  ['"2026-05-24T00:00:00+09"', null], // scan.rs:270 minutes are required
  ['"2026-05-24T00:00:00+09:"', null], // scan.rs:270
  ['"2026-05-24T00:00:00+09:0"', null], // scan.rs:270 two minute digits
  ['"2026-05-24T00:00:00+09:5"', null], // scan.rs:270
  ['"2026-05-24T00:00:00+09:60"', null], // scan.rs:264 minutes 60-99 are OUT_OF_RANGE
  ['"2026-05-24T00:00:00+09:00:00"', null], // parse.rs:591 no seconds in the offset
  ['"2026-05-24T00:00:00+09:00 "', '"2026-05-23T15:00:00Z"'], // parse.rs:591 trailing whitespace
  ['"2026-05-24T00:00:00+23:59"', '"2026-05-23T00:01:00Z"'], // offset/fixed.rs:63 below 24 h
  ['"2026-05-24T00:00:00-23:59"', '"2026-05-24T23:59:00Z"'], // offset/fixed.rs:63
  ['"2026-05-24T00:00:00+24:00"', null], // offset/fixed.rs:63 via parsed.rs:911
  ['"2026-05-24T00:00:00-24:00"', null], // offset/fixed.rs:63
  ['"2026-05-24T00:00:00+99:00"', null], // scan.rs:251 scans 00-99, offset/fixed.rs:63 refuses
  ['"2026-05-24T00:00:00-00:00"', '"2026-05-24T00:00:00Z"'], // scan.rs:230 negative zero is UTC
  ['"2026-05-24T00:00:00-0000"', '"2026-05-24T00:00:00Z"'], // scan.rs:186
  // Whitespace: Item::Space and numbers trim with str::trim_start (parse.rs:368, 407), Rust's char::is_whitespace (Unicode White_Space)
  ['" 2026-05-24T00:00:00Z"', '"2026-05-24T00:00:00Z"'], // parse.rs:407 before the year
  ['"\\t\\n\\u000b\\f\\r2026-05-24T00:00:00Z"', '"2026-05-24T00:00:00Z"'], // parse.rs:407 ASCII whitespace
  ['"\\u0085\\u00a0\\u16802026-05-24T00:00:00Z"', '"2026-05-24T00:00:00Z"'], // parse.rs:407 White_Space: NEL, NBSP, OGHAM SPACE MARK
  ['"\\u2000\\u200a\\u2028\\u2029\\u202f\\u205f\\u30002026-05-24T00:00:00Z"', '"2026-05-24T00:00:00Z"'], // parse.rs:407 White_Space U+2000..U+3000
  ['"\\u200b2026-05-24T00:00:00Z"', null], // parse.rs:416 ZERO WIDTH SPACE is not White_Space
  ['"\\ufeff2026-05-24T00:00:00Z"', null], // parse.rs:416 BOM is not White_Space (JS \s has it)
  ['"\\u180e2026-05-24T00:00:00Z"', null], // parse.rs:416 MONGOLIAN VOWEL SEPARATOR is not White_Space
  ['"\\u001f2026-05-24T00:00:00Z"', null], // parse.rs:416 U+001F is not White_Space
  ['"2026-05-24T00:00:00Z\\n"', '"2026-05-24T00:00:00Z"'], // parse.rs:591 trailing whitespace
  ['"2026-05-24T00:00:00Z x"', null], // parse.rs:591 TOO_LONG
  ['"2026 - 05 - 24T 00 : 00 : 00 Z"', '"2026-05-24T00:00:00Z"'], // parse.rs:368 Space items, parse.rs:407 before numbers, parse.rs:638 before the offset
  ['"2026-05-24T00:00:00\\u0085Z"', '"2026-05-24T00:00:00Z"'], // parse.rs:638
  ['"2026-05-24T00:00:00 .5Z"', null], // parse.rs:462 the fraction follows the seconds directly
  ['"+ 2026-05-24T00:00:00Z"', null], // parse.rs:412 digits right after the sign
  ['"2026-05-24T00:00:00\\ufeffZ"', null], // scan.rs:244 BOM is no whitespace and no sign
  // Year: parse.rs:381 (width 4, signed), parse.rs:407-419, scan.rs:17-46; range naive/date/mod.rs:2446-2451 (MIN_YEAR −262143, MAX_YEAR 262142)
  ['"26-05-24T00:00:00Z"', '"0026-05-24T00:00:00Z"'], // parse.rs:416 1-4 digits without a sign
  ['"0-01-01T00:00:00Z"', '"0000-01-01T00:00:00Z"'], // parse.rs:416
  ['"12026-05-24T00:00:00Z"', null], // parse.rs:416 takes 4 digits, then Literal("-") meets 6 (parse.rs:351)
  ['"+12026-05-24T00:00:00Z"', '"+12026-05-24T00:00:00Z"'], // parse.rs:412 any number of digits after a sign
  ['"+2026-05-24T00:00:00Z"', '"2026-05-24T00:00:00Z"'], // parse.rs:412
  ['"+0000000002026-05-24T00:00:00Z"', '"2026-05-24T00:00:00Z"'], // parse.rs:412 leading zeros
  ['"-0001-01-01T00:00:00Z"', '"-0001-01-01T00:00:00Z"'], // parse.rs:409
  ['"-0000-01-01T00:00:00Z"', '"0000-01-01T00:00:00Z"'], // parse.rs:411 −0 is year 0
  ['"\\u22122026-05-24T00:00:00Z"', null], // parse.rs:409-416 U+2212 is only an offset sign
  ['"+262142-12-31T23:59:59.999999999Z"', '"+262142-12-31T23:59:59.999999999Z"'], // naive/date/mod.rs:2446 MAX_YEAR
  ['"+262143-01-01T00:00:00Z"', null], // naive/date/mod.rs:2446 (chrono ≤ 0.4.31 took it)
  ['"-262143-01-01T00:00:00Z"', '"-262143-01-01T00:00:00Z"'], // naive/date/mod.rs:2451 MIN_YEAR
  ['"-262144-12-31T23:59:59Z"', null], // naive/date/mod.rs:2451
  ['"+99999999999999999999-01-01T00:00:00Z"', null], // scan.rs:39 i64 overflow
  ['"+262142-12-31T23:59:59-00:01"', null], // naive/datetime/mod.rs:593 the UTC instant leaves the range (parsed.rs:913)
  ['"-262143-01-01T00:00:00+00:01"', null], // naive/datetime/mod.rs:593
  ['"9999-12-31T23:00:00-01:00"', '"+10000-01-01T00:00:00Z"'], // formatting.rs:517 years past 9999 are written signed
  ['"0001-01-01T00:00:00+00:01"', '"0000-12-31T23:59:00Z"'], // formatting.rs:512 year 0 is written 0000
  // Month, day, hour, minute, second: 1-2 digits (parse.rs:388-399), ranges parsed.rs:336, 428, 481, 497, 514, naive/date/mod.rs:196
  ['"2026-5-4T9:0:0Z"', '"2026-05-04T09:00:00Z"'], // parse.rs:388-399 one digit is enough
  ['"2026-005-24T00:00:00Z"', null], // parse.rs:388 two digits, month 00: parsed.rs:336
  ['"2026-05-024T00:00:00Z"', null], // parse.rs:389 then the separator meets 4 (parse.rs:633)
  ['"2026-05-24T000:00:00Z"', null], // parse.rs:396 then Literal(":") meets 0
  ['"2026-00-10T00:00:00Z"', null], // parsed.rs:336
  ['"2026-13-10T00:00:00Z"', null], // parsed.rs:336
  ['"2026-05-00T00:00:00Z"', null], // parsed.rs:428
  ['"2026-05-32T00:00:00Z"', null], // parsed.rs:428
  ['"2026-04-31T00:00:00Z"', null], // naive/date/mod.rs:196 via parsed.rs:689
  ['"2026-02-29T00:00:00Z"', null], // naive/date/mod.rs:196
  ['"2024-02-29T00:00:00Z"', '"2024-02-29T00:00:00Z"'], // naive/date/mod.rs:196 leap year
  ['"1900-02-29T00:00:00Z"', null], // naive/date/mod.rs:196
  ['"2000-02-29T00:00:00Z"', '"2000-02-29T00:00:00Z"'], // naive/date/mod.rs:196
  ['"2026-05-24T24:00:00Z"', null], // parsed.rs:481
  ['"2026-05-24T23:60:00Z"', null], // parsed.rs:497
  ['"2026-05-24T23:59:61Z"', null], // parsed.rs:514
  ['"2026-05-24T00:00Z"', null], // parse.rs:351 seconds are required
  // Leap second: parsed.rs:514 (0-60), parsed.rs:771, naive/time/mod.rs:429-431 (any minute), written back as :60 (formatting.rs:528)
  ['"2016-12-31T23:59:60Z"', '"2016-12-31T23:59:60Z"'], // parsed.rs:771
  ['"2026-05-24T10:30:60Z"', '"2026-05-24T10:30:60Z"'], // naive/time/mod.rs:430 not only at 23:59
  ['"2016-12-31T23:59:60.5Z"', '"2016-12-31T23:59:60.500Z"'], // parsed.rs:772
  ['"2017-01-01T08:59:60+09:00"', '"2016-12-31T23:59:60Z"'], // naive/time/mod.rs:787 the offset keeps the leap second
  ['"+262142-12-31T23:59:60.999999999Z"', '"+262142-12-31T23:59:60.999999999Z"'], // naive/date/mod.rs:2446 still in range
  // Fraction: parse.rs:461-465, scan.rs:50-66 (1-9 digits count, the rest are skipped); written with SecondsFormat::AutoSi (formatting.rs:544-553)
  ['"2026-05-24T00:00:00.5Z"', '"2026-05-24T00:00:00.500Z"'], // formatting.rs:546 3 digits
  ['"2026-05-24T00:00:00.1234Z"', '"2026-05-24T00:00:00.123400Z"'], // formatting.rs:548 6 digits
  ['"2026-05-24T00:00:00.1234567Z"', '"2026-05-24T00:00:00.123456700Z"'], // formatting.rs:551 9 digits
  ['"2026-05-24T00:00:00.000Z"', '"2026-05-24T00:00:00Z"'], // formatting.rs:545 none
  ['"2026-05-24T00:00:00.1234567899Z"', '"2026-05-24T00:00:00.123456789Z"'], // scan.rs:63 truncated, not rounded
  ['"2026-05-24T00:00:00.99999999999999999999Z"', '"2026-05-24T00:00:00.999999999Z"'], // scan.rs:63
  ['"2026-05-24T00:00:00.Z"', null], // scan.rs:31 at least one digit
  ['"2026-05-24T00:00:00,5Z"', null], // parse.rs:462 only a dot
  ['"2026-05-24T00:00:00.\\u06655Z"', null], // scan.rs:31 ASCII digits only
  ['"2026-05-24T00:00:00..5Z"', null], // scan.rs:31
  ['"2026-05-24T00:00:00.5 Z"', '"2026-05-24T00:00:00.500Z"'], // parse.rs:626 whitespace after the fraction
];

describe('RfcDateTime: chrono 0.4.45, rule by rule', () => {
  it.each(ROWS)('%s → %s', (input, expected) => {
    const result = RfcDateTime.safeParse(JSON.parse(input));
    if (expected === null) {
      expect(result.success).toBe(false);
    } else {
      expect(result.success && JSON.stringify(result.data)).toBe(expected);
    }
  });

  it('rfcDateTimeToDate takes the same spellings, and reads them as the same instant', () => {
    for (const [input, expected] of ROWS) {
      const text: unknown = JSON.parse(input);
      if (expected === null) {
        expect(() => rfcDateTimeToDate(text as string), input).toThrow(expect.objectContaining({ code: 'ERR_WIRE_DATETIME' }) as Error);
      } else {
        expect(rfcDateTimeToDate(text as string).getTime(), input).toBe(rfcDateTimeToDate(JSON.parse(expected) as string).getTime());
      }
    }
  });
});
