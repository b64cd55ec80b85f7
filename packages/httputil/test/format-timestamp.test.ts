// formatTimestamp: Tornado's FormatTimestampTest.
import { formatTimestamp } from '@tronada/httputil';
import { describe, expect, it } from 'vitest';

const TIMESTAMP = 1359312200.503611;
const EXPECTED = 'Sun, 27 Jan 2013 18:43:20 GMT';

describe('formatTimestamp (Tornado FormatTimestampTest)', () => {
  it('formats float seconds since the epoch (test_unix_time_float)', () => {
    expect(formatTimestamp(TIMESTAMP)).toBe(EXPECTED);
  });

  it('formats integer seconds since the epoch (test_unix_time_int)', () => {
    expect(formatTimestamp(Math.floor(TIMESTAMP))).toBe(EXPECTED);
  });

  it('formats a Date (test_datetime)', () => {
    expect(formatTimestamp(new Date(TIMESTAMP * 1000))).toBe(EXPECTED);
  });
});

describe('formatTimestamp', () => {
  it('pads the day and uses GMT', () => {
    expect(formatTimestamp(0)).toBe('Thu, 01 Jan 1970 00:00:00 GMT');
  });

  it('refuses an invalid time', () => {
    expect(() => formatTimestamp(Number.NaN)).toThrow(RangeError);
  });
});
