import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { backoffMs, officialBackup, retryAfterMs, type RetryPolicy } from '../lib/retry-policy';

const POLICY: RetryPolicy = { attempts: 5, baseDelayMs: 100, maxDelayMs: 1000, connectTimeoutMs: 5000 };

describe('retry policy', () => {
  it('backs off with full jitter: a random share of a ceiling that doubles up to maxDelayMs', () => {
    assert.deepEqual([1, 2, 3, 4, 5, 6].map((retry) => backoffMs(POLICY, retry, () => 0.999999)), [99, 199, 399, 799, 999, 999]);
    assert.deepEqual([1, 2, 3].map((retry) => backoffMs(POLICY, retry, () => 0)), [0, 0, 0]);
    assert.equal(backoffMs(POLICY, 3, () => 0.5), 200);
  });

  it('reads Retry-After as seconds or as an HTTP date, and ignores what it cannot read', () => {
    const now = Date.parse('2026-11-28T08:00:00Z');
    assert.equal(retryAfterMs('2', now), 2000);
    assert.equal(retryAfterMs(' 0 ', now), 0);
    assert.equal(retryAfterMs('Sat, 28 Nov 2026 08:00:03 GMT', now), 3000);
    assert.equal(retryAfterMs('Sat, 28 Nov 2026 07:00:00 GMT', now), 0, 'a date in the past: at once');
    for (const unreadable of [undefined, '', 'soon', '-1', '1.5']) assert.equal(retryAfterMs(unreadable, now), undefined, String(unreadable));
  });

  it('knows the official backup hosts, keeping scheme and path', () => {
    assert.equal(officialBackup('https://api.mch.weixin.qq.com/'), 'https://api2.mch.weixin.qq.com/');
    assert.equal(officialBackup('https://api.wechatpay.cn/prefix/'), 'https://api2.wechatpay.cn/prefix/');
    assert.equal(officialBackup('https://api2.mch.weixin.qq.com/'), undefined);
    assert.equal(officialBackup('http://127.0.0.1:8080/'), undefined);
  });
});
