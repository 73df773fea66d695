// Times as the gateway writes them: Beijing time (UTC+8), whose midnight cuts the bills' days.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chinaClock, chinaDay, chinaDigits, chinaTime } from '../../lib/sandbox/china-time';

describe('Beijing time', () => {
  it('writes RFC 3339 with +08:00, the bill clock, and digits', () => {
    const date = new Date('2026-11-28T02:03:04.567Z');
    assert.equal(chinaTime(date), '2026-11-28T10:03:04+08:00');
    assert.equal(chinaClock(date), '2026-11-28 10:03:04');
    assert.equal(chinaDigits(date), '20261128100304');
    assert.equal(new Date(chinaTime(date)).getTime(), Math.floor(date.getTime() / 1000) * 1000);
  });

  it('starts the day at 16:00 UTC', () => {
    assert.equal(chinaDay(new Date('2026-11-28T15:59:59Z')), '2026-11-28');
    assert.equal(chinaDay(new Date('2026-11-28T16:00:00Z')), '2026-11-29');
    assert.equal(chinaDay(new Date('2026-12-31T16:00:00Z')), '2027-01-01');
  });
});
