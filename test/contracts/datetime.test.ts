/**
 * `RfcDateTime` against chrono 0.4: what `DateTime<Utc>`'s `Deserialize`
 * accepts (the relaxed RFC 3339 parser behind `FromStr for
 * DateTime<FixedOffset>`) and the exact string its `Serialize` writes
 * (`SecondsFormat::AutoSi`, `Z`).
 */
import fc from 'fast-check';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { RfcDateTime, rfcDateTimeToDate, toRfcDateTime } from '../../src/contracts/datetime.js';
import { goldens as wireGoldens, refusals as wireRefusals, type Golden } from '../helpers/wire.js';

const FC = { seed: 42, numRuns: 300 } as const;
const CANONICAL = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3}|\.\d{6}|\.\d{9})?Z$/;




const goldens = (cases: readonly Golden[]): void => wireGoldens(RfcDateTime, cases);
const refusals = (texts: readonly string[]): void => wireRefusals(RfcDateTime, texts);

describe('RfcDateTime: offsets become UTC', () => {
  goldens([
    ['"2026-05-24T00:00:00Z"', '"2026-05-24T00:00:00Z"'],
    ['"2026-05-24T09:00:00+09:00"', '"2026-05-24T00:00:00Z"'],
    ['"2026-05-23T19:00:00-05:00"', '"2026-05-24T00:00:00Z"'],
    ['"2026-05-24T05:45:00+05:45"', '"2026-05-24T00:00:00Z"'],
    ['"2026-05-24T00:00:00-00:00"', '"2026-05-24T00:00:00Z"'],
    ['"2026-05-24T00:00:00+00:00"', '"2026-05-24T00:00:00Z"'],
    ['"2026-05-24T00:00:00z"', '"2026-05-24T00:00:00Z"'],
    ['"2026-05-24t00:00:00Z"', '"2026-05-24T00:00:00Z"'],
    ['"2026-05-24 00:00:00Z"', '"2026-05-24T00:00:00Z"'],
    ['"2026-05-24T09:00:00+0900"', '"2026-05-24T00:00:00Z"'],
    ['"2026-05-24T09:00:00+09 : 00"', '"2026-05-24T00:00:00Z"'],
    ['"2026-05-24T09:00:00+09::00"', '"2026-05-24T00:00:00Z"'],
    ['"2026-05-23T15:00:00\\u221209:00"', '"2026-05-24T00:00:00Z"'],
    ['"2026-05-24T00:00:00UTC"', '"2026-05-24T00:00:00Z"'],
    ['"2026-05-24T00:00:00 utc"', '"2026-05-24T00:00:00Z"'],
    ['"2026-05-24T00:00:00+23:59"', '"2026-05-23T00:01:00Z"'],
    ['"2026-05-24T00:00:00-23:59"', '"2026-05-24T23:59:00Z"'],
  ]);
});

describe('RfcDateTime: day, month and year roll over across the offset', () => {
  goldens([
    ['"2026-03-01T08:30:00+09:00"', '"2026-02-28T23:30:00Z"'],
    ['"2024-03-01T08:30:00+09:00"', '"2024-02-29T23:30:00Z"'],
    ['"2026-12-31T20:00:00-05:00"', '"2027-01-01T01:00:00Z"'],
    ['"2027-01-01T00:00:00+00:01"', '"2026-12-31T23:59:00Z"'],
    ['"2000-02-29T23:00:00-01:00"', '"2000-03-01T00:00:00Z"'],
    ['"1970-01-01T00:00:00+01:00"', '"1969-12-31T23:00:00Z"'],
  ]);
});

describe('RfcDateTime: fraction digits as SecondsFormat::AutoSi writes them', () => {
  goldens([
    ['"2026-05-24T00:00:00.5Z"', '"2026-05-24T00:00:00.500Z"'],
    ['"2026-05-24T00:00:00.05Z"', '"2026-05-24T00:00:00.050Z"'],
    ['"2026-05-24T00:00:00.123Z"', '"2026-05-24T00:00:00.123Z"'],
    ['"2026-05-24T00:00:00.1234Z"', '"2026-05-24T00:00:00.123400Z"'],
    ['"2026-05-24T00:00:00.123456Z"', '"2026-05-24T00:00:00.123456Z"'],
    ['"2026-05-24T00:00:00.1234567Z"', '"2026-05-24T00:00:00.123456700Z"'],
    ['"2026-05-24T00:00:00.123456789Z"', '"2026-05-24T00:00:00.123456789Z"'],
    ['"2026-05-24T00:00:00.000000001Z"', '"2026-05-24T00:00:00.000000001Z"'],
    ['"2026-05-24T00:00:00.000001Z"', '"2026-05-24T00:00:00.000001Z"'],
    ['"2026-05-24T00:00:00.000Z"', '"2026-05-24T00:00:00Z"'],
    ['"2026-05-24T00:00:00.0Z"', '"2026-05-24T00:00:00Z"'],
    ['"2026-05-24T00:00:00.000000000Z"', '"2026-05-24T00:00:00Z"'],
    ['"2026-05-24T00:00:00.500000Z"', '"2026-05-24T00:00:00.500Z"'],
    // Past 9 digits chrono truncates, it never rounds.
    ['"2026-05-24T00:00:00.1234567899Z"', '"2026-05-24T00:00:00.123456789Z"'],
    ['"2026-05-24T00:00:00.9999999999999Z"', '"2026-05-24T00:00:00.999999999Z"'],
    ['"2026-05-24T00:00:00.0000000009Z"', '"2026-05-24T00:00:00Z"'],
    ['"2026-05-24T09:00:00.25+09:00"', '"2026-05-24T00:00:00.250Z"'],
  ]);
});

describe('RfcDateTime: relaxed syntax chrono accepts', () => {
  goldens([
    ['"2026-5-4T9:0:0Z"', '"2026-05-04T09:00:00Z"'],
    ['" 2026-05-24T00:00:00Z "', '"2026-05-24T00:00:00Z"'],
    ['"2026 - 05 - 24T 00 : 00 : 00 Z"', '"2026-05-24T00:00:00Z"'],
    ['"2026-05-24  00:00:00Z"', '"2026-05-24T00:00:00Z"'],
    ['"\\t2026-05-24T00:00:00Z\\n"', '"2026-05-24T00:00:00Z"'],
    ['"\\u30002026-05-24T00:00:00\\u0085Z\\u2028"', '"2026-05-24T00:00:00Z"'],
    ['"26-05-24T00:00:00Z"', '"0026-05-24T00:00:00Z"'],
    ['"+2026-05-24T00:00:00Z"', '"2026-05-24T00:00:00Z"'],
    ['"+0000000002026-05-24T00:00:00Z"', '"2026-05-24T00:00:00Z"'],
    ['"-0000-01-01T00:00:00Z"', '"0000-01-01T00:00:00Z"'],
    ['"0000-01-01T00:00:00Z"', '"0000-01-01T00:00:00Z"'],
    ['"0001-01-01T00:00:00+00:01"', '"0000-12-31T23:59:00Z"'],
    ['"-0001-01-01T00:00:00Z"', '"-0001-01-01T00:00:00Z"'],
    ['"9999-12-31T23:59:59.999999999Z"', '"9999-12-31T23:59:59.999999999Z"'],
    ['"9999-12-31T23:00:00-01:00"', '"+10000-01-01T00:00:00Z"'],
    ['"+262142-12-31T23:59:59Z"', '"+262142-12-31T23:59:59Z"'],
    ['"-262143-01-01T00:00:00Z"', '"-262143-01-01T00:00:00Z"'],
  ]);
});

describe('RfcDateTime: leap seconds are kept, in any minute', () => {
  goldens([
    ['"2016-12-31T23:59:60Z"', '"2016-12-31T23:59:60Z"'],
    ['"2016-12-31T23:59:60.5Z"', '"2016-12-31T23:59:60.500Z"'],
    ['"2017-01-01T08:59:60+09:00"', '"2016-12-31T23:59:60Z"'],
    ['"2026-05-24T10:30:60Z"', '"2026-05-24T10:30:60Z"'],
  ]);
});

describe('RfcDateTime: refusals', () => {
  refusals([
    // no offset, or an incomplete one
    '"2026-05-24T00:00:00"',
    '"2026-05-24T00:00:00+09"',
    '"2026-05-24T00:00:00+9:00"',
    '"2026-05-24T00:00:00+09:0"',
    '"2026-05-24"',
    '"2026-05-24T00:00Z"',
    // offsets out of range
    '"2026-05-24T00:00:00+24:00"',
    '"2026-05-24T00:00:00-24:00"',
    '"2026-05-24T00:00:00+09:60"',
    '"2026-05-24T00:00:00+99:00"',
    // dates and times that do not exist
    '"2026-02-30T00:00:00Z"',
    '"2026-02-29T00:00:00Z"',
    '"1900-02-29T00:00:00Z"',
    '"2026-04-31T00:00:00Z"',
    '"2026-00-10T00:00:00Z"',
    '"2026-13-10T00:00:00Z"',
    '"2026-05-00T00:00:00Z"',
    '"2026-05-24T24:00:00Z"',
    '"2026-05-24T23:60:00Z"',
    '"2026-05-24T23:59:61Z"',
    // syntax chrono does not take
    '"2026-05-24T00:00:00.Z"',
    '"2026-05-24T00:00:00 .5Z"',
    '"2026-05-24T00:00:00,5Z"',
    '"2026-05-24 T00:00:00Z"',
    '"2026-05-24\\t00:00:00Z"',
    '"2026-05-24X00:00:00Z"',
    '"2026-05-24T00:00:00ZZ"',
    '"2026-05-24T00:00:00Z x"',
    '"2026-05-24T00:00:00+09:00:00"',
    '"2026-05-24T00:00:00GMT"',
    '"2026-05-24T00:00:00\\ufeffZ"',
    '"\\u22122026-05-24T00:00:00Z"',
    '"12026-05-24T00:00:00Z"',
    '"2026-005-24T00:00:00Z"',
    '"2026-05-24T000:00:00Z"',
    '"+ 2026-05-24T00:00:00Z"',
    '"2026-05-24T00:00:00+\\uff10\\uff19:00"',
    '""',
    // outside chrono's range
    '"+262143-01-01T00:00:00Z"',
    '"-262144-12-31T23:59:59Z"',
    '"+262142-12-31T23:59:59-00:01"',
    '"-262143-01-01T00:00:00+00:01"',
    '"+99999999999999999999-01-01T00:00:00Z"',
    // not a (well-formed) string
    '"\\ud800"',
    '1716508800',
    'null',
    '{"secs":0}',
  ]);
});

describe('toRfcDateTime', () => {
  it('formats like chrono: Z, no fraction for whole seconds, else 3 digits', () => {
    expect(toRfcDateTime(new Date(0))).toBe('1970-01-01T00:00:00Z');
    expect(toRfcDateTime(new Date(Date.UTC(2026, 4, 24)))).toBe('2026-05-24T00:00:00Z');
    expect(toRfcDateTime(new Date(Date.UTC(2026, 4, 24, 12, 3, 4, 5)))).toBe('2026-05-24T12:03:04.005Z');
    expect(toRfcDateTime(new Date(-1))).toBe('1969-12-31T23:59:59.999Z');
  });

  it('writes years outside 0000–9999 with a sign, as chrono does', () => {
    const early = new Date(0);
    early.setUTCFullYear(-1, 0, 1);
    expect(toRfcDateTime(early)).toBe('-0001-01-01T00:00:00Z');
    expect(toRfcDateTime(new Date(Date.UTC(10000, 0, 1)))).toBe('+10000-01-01T00:00:00Z');
  });

  it('throws ERR_WIRE_DATETIME for an invalid Date or one chrono cannot hold', () => {
    expect(() => toRfcDateTime(new Date(Number.NaN))).toThrow(expect.objectContaining({ code: 'ERR_WIRE_DATETIME' }) as Error);
    expect(() => toRfcDateTime(new Date(8.64e15))).toThrow(expect.objectContaining({ code: 'ERR_WIRE_DATETIME' }) as Error);
    expect(() => toRfcDateTime(new Date(-8.64e15))).toThrow(expect.objectContaining({ code: 'ERR_WIRE_DATETIME' }) as Error);
  });
});

describe('rfcDateTimeToDate', () => {
  it('reads any accepted spelling and truncates to the millisecond', () => {
    expect(rfcDateTimeToDate('2026-05-24T09:00:00.123999+09:00').toISOString()).toBe('2026-05-24T00:00:00.123Z');
    expect(rfcDateTimeToDate('2026-5-24 0:0:0 UTC').getTime()).toBe(Date.UTC(2026, 4, 24));
  });

  it('maps a leap second onto the next second, like timestamp_millis()', () => {
    expect(rfcDateTimeToDate('2016-12-31T23:59:60.5Z').toISOString()).toBe('2017-01-01T00:00:00.500Z');
  });

  it('throws ERR_WIRE_DATETIME for what chrono refuses', () => {
    expect(() => rfcDateTimeToDate('2026-05-24T00:00:00')).toThrow(expect.objectContaining({ code: 'ERR_WIRE_DATETIME' }) as Error);
    expect(() => rfcDateTimeToDate('\ud800')).toThrow(expect.objectContaining({ code: 'ERR_WIRE_DATETIME' }) as Error);
  });
});

/** Independent oracle for 4-digit years: `Date#toISOString` plus the AutoSi fraction. */
function expectedUtc(ms: number, subMilliNanos: number): string {
  const nanos = (((ms % 1000) + 1000) % 1000) * 1_000_000 + subMilliNanos;
  const base = new Date(ms).toISOString().slice(0, 19);
  if (nanos === 0) return `${base}Z`;
  const digits = String(nanos).padStart(9, '0');
  const kept = digits.endsWith('000000') ? 3 : digits.endsWith('000') ? 6 : 9;
  return `${base}.${digits.slice(0, kept)}Z`;
}

/** The same instant written in local time at `offsetMinutes`, with a full-precision fraction. */
function localText(ms: number, subMilliNanos: number, offsetMinutes: number): string {
  const local = new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, 19);
  const nanos = (((ms % 1000) + 1000) % 1000) * 1_000_000 + subMilliNanos;
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const offset = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  return `${local}.${String(nanos).padStart(9, '0')}${offset}`;
}

const instants = fc.record({
  // Years 0001–9998, so local time stays within 4-digit years for any offset.
  ms: fc.integer({ min: -62_135_510_400_000, max: 253_370_678_400_000 }),
  subMilliNanos: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 999_999 })),
  offsetMinutes: fc.integer({ min: -(23 * 60 + 59), max: 23 * 60 + 59 }),
});

describe('RfcDateTime: properties', () => {
  it('formatting an instant at any offset and parsing it gives the same instant, in UTC', () => {
    fc.assert(
      fc.property(instants, ({ ms, subMilliNanos, offsetMinutes }) => {
        const parsed = RfcDateTime.parse(localText(ms, subMilliNanos, offsetMinutes));
        expect(parsed).toBe(expectedUtc(ms, subMilliNanos));
        expect(parsed).toMatch(CANONICAL);
        expect(RfcDateTime.parse(parsed)).toBe(parsed);
      }),
      FC,
    );
  });

  it('toRfcDateTime and rfcDateTimeToDate are inverse on Dates', () => {
    fc.assert(
      fc.property(fc.date({ noInvalidDate: true, min: new Date(-62_135_596_800_000), max: new Date(253_402_300_799_999) }), (date) => {
        const text = toRfcDateTime(date);
        expect(text).toMatch(CANONICAL);
        expect(text).toBe(expectedUtc(date.getTime(), 0));
        expect(rfcDateTimeToDate(text).getTime()).toBe(date.getTime());
      }),
      FC,
    );
  });

  it('never throws on arbitrary input, only fails', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.string({ unit: 'binary' }), fc.jsonValue()), (value) => {
        expect(() => RfcDateTime.safeParse(value)).not.toThrow();
      }),
      FC,
    );
  });

  it('output is always canonical and a fixpoint', () => {
    const texts = fc
      .tuple(instants, fc.constantFrom('T', 't', ' '), fc.constantFrom('', ' '))
      .map(([{ ms, subMilliNanos, offsetMinutes }, sep, pad]) =>
        localText(ms, subMilliNanos, offsetMinutes).replace('T', sep).replace(/([+-]\d\d:\d\d)$/, `${pad}$1${pad}`),
      );
    fc.assert(
      fc.property(texts, (text) => {
        const once = RfcDateTime.parse(text);
        expect(once).toMatch(CANONICAL);
        expect(RfcDateTime.parse(once)).toBe(once);
      }),
      FC,
    );
  });
});

describe('types', () => {
  it('parses to a plain string', () => {
    expectTypeOf<RfcDateTime>().toEqualTypeOf<string>();
    expectTypeOf(toRfcDateTime).returns.toEqualTypeOf<string>();
    expectTypeOf(rfcDateTimeToDate).returns.toEqualTypeOf<Date>();
  });
});
