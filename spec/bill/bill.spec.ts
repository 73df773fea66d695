import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { ApiError, downloadBill, downloadFile, downloadTarget, ErrorCode, OptionError, VerificationError, WechatpayError, type Wechatpay } from '../../lib';
import { NO_BILL_DAY, type Sandbox, type SandboxReply } from '../../lib/sandbox';
import { startSandbox } from '../support/sandbox';

function sha1(bytes: Buffer): string {
  return createHash('sha1').update(bytes).digest('hex');
}

describe('bill downloads', () => {
  let sandbox: Sandbox;
  let wxpay: Wechatpay;
  let root: string;
  let dir: string;
  let count = 0;
  before(async () => {
    ({ sandbox, wxpay } = await startSandbox());
    root = await mkdtemp(join(tmpdir(), 'wechatpay-bill-'));
  });
  beforeEach(async () => {
    dir = join(root, String(++count));
    await mkdir(dir);
  });
  after(async () => {
    await sandbox.close();
    await rm(root, { recursive: true, force: true });
  });

  /**
   * A trade bill's call, and what it leads to: the `hash_value` it answered, its download as a
   * `downloadFile` request (gunzipped, checked against that hash), and a fetch of the file's raw
   * bytes, as they go over the wire.
   */
  async function tradeBillFile(query: { bill_date: string; bill_type?: 'SUCCESS'; tar_type: 'GZIP' }) {
    const { data } = await wxpay.v3.bill.tradebill.get({ query });
    const { hash_value, download_url } = data as { hash_value: string; download_url: string };
    const url = new URL(download_url);
    const request = { path: url.pathname.slice(1), query: Object.fromEntries(url.searchParams), gunzip: true, expect: { hash_type: 'SHA1', hash_value } };
    const raw = async () => (await wxpay.chain(request.path).get({ query: request.query, responseType: 'arraybuffer' })).data as Buffer;
    return { hash_value, request, raw };
  }

  /** The downloads the sandbox received since `from`. */
  const downloads = (from: number) => sandbox.requests.slice(from).filter((request) => request.target.startsWith('/v3/billdownload/file'));

  it('downloads a trade bill into memory: the CSV the gateway made, checked against its SHA1', async () => {
    const seen = sandbox.requests.length;
    const result = await downloadBill(wxpay, { type: 'trade', bill_date: '2026-11-24' });
    const expected = sandbox.bills.csv({ type: 'trade', bill_date: '2026-11-24' });
    assert.ok(result.data.equals(expected));
    assert.match(result.data.toString('utf8'), /^交易时间,公众账号ID,[^\n]*\r\n`2026-11-24 00:00:00,`wx/);
    assert.deepEqual({ hash_type: result.hash_type, hash_value: result.hash_value, bytes: result.bytes }, { hash_type: 'SHA1', hash_value: sha1(expected), bytes: expected.length });
    const [call, download] = sandbox.requests.slice(seen);
    assert.equal(call.target, '/v3/bill/tradebill?bill_date=2026-11-24');
    assert.ok(call.authorized && download.authorized, 'both requests carry a valid signature');
    assert.match(download.target, /^\/v3\/billdownload\/file\?token=[\w-]+$/);
  });

  it('streams a fund-flow bill to disk, leaving only the destination file', async () => {
    const file = join(dir, 'fundflow.csv');
    const result = await downloadBill(wxpay, { type: 'fundflow', bill_date: '2026-11-24', account_type: 'OPERATION' }, { file });
    const expected = sandbox.bills.csv({ type: 'fundflow', bill_date: '2026-11-24', account_type: 'OPERATION' });
    assert.equal(result.file, file);
    assert.ok((await readFile(file)).equals(expected));
    assert.deepEqual(await readdir(dir), ['fundflow.csv']);
    assert.match(expected.toString('utf8'), /^记账时间,/);
  });

  it('gunzips a GZIP bill on the way, checking the hash over the uncompressed CSV as WeChat Pay computes it', async () => {
    const bill = { type: 'trade', bill_date: '2026-11-23', bill_type: 'SUCCESS', tar_type: 'GZIP' } as const;
    sandbox.bills.define(bill.bill_date, { rows: 3000 });
    const file = join(dir, 'trade.csv');
    const seen = sandbox.requests.length;
    const result = await downloadBill(wxpay, bill, { file });
    const expected = sandbox.bills.csv(bill);
    assert.ok((await readFile(file)).equals(expected));
    assert.equal(result.bytes, expected.length);
    assert.match(downloads(seen)[0].target, /&tartype=gzip$/);

    // What went over the wire was gzip, and the gateway's hash_value is that of its content.
    const sent = await tradeBillFile({ bill_date: bill.bill_date, bill_type: 'SUCCESS', tar_type: 'GZIP' });
    const { hash_value } = sent;
    const raw = await sent.raw();
    assert.deepEqual([...raw.subarray(0, 2)], [0x1f, 0x8b]);
    assert.ok(gunzipSync(raw).equals(expected));
    assert.equal(sha1(gunzipSync(raw)), hash_value);
    assert.notEqual(sha1(raw), hash_value);
  });

  it('sends a GZIP bill kept from its first download byte for byte, yet a tampered-body fault still reaches the bill under the gzip', async () => {
    const bill_date = '2026-11-16';
    sandbox.bills.define(bill_date, { rows: 2000 });
    const expected = sandbox.bills.csv({ type: 'trade', bill_date });
    const { request: bill, raw } = await tradeBillFile({ bill_date, tar_type: 'GZIP' });

    const first = await raw();
    assert.ok(gunzipSync(first).equals(expected));
    assert.ok((await raw()).equals(first));
    assert.ok((await downloadFile(wxpay, bill)).data.equals(expected));

    sandbox.inject({ type: 'tampered-body' });
    await assert.rejects(downloadFile(wxpay, bill), (error: unknown) => error instanceof VerificationError && error.code === ErrorCode.HASH_MISMATCH);
    assert.ok((await downloadFile(wxpay, bill)).data.equals(expected), 'the tampered body was not kept');
  });

  it('rejects a file that does not match its hash with HASH_MISMATCH, and leaves no file behind', async () => {
    sandbox.bills.define('2026-11-22', { rows: 2500, fault: 'tampered' });
    for (const tar_type of [undefined, 'GZIP'] as const) {
      const file = join(dir, `trade-${tar_type ?? 'plain'}.csv`);
      await assert.rejects(downloadBill(wxpay, { type: 'trade', bill_date: '2026-11-22', tar_type }, { file }), (error: unknown) => {
        assert.ok(error instanceof VerificationError, String(error));
        assert.equal(error.code, ErrorCode.HASH_MISMATCH);
        assert.match(error.message, /SHA1 is [0-9a-f]{40}, but the gateway gave [0-9a-f]{40}/);
        return true;
      });
      assert.deepEqual(await readdir(dir), [], 'neither the destination nor a temporary file is left');
    }
    await assert.rejects(downloadBill(wxpay, { type: 'fundflow', bill_date: '2026-11-22' }), (error: unknown) => error instanceof VerificationError && error.code === ErrorCode.HASH_MISMATCH);
  });

  it('keeps an existing destination untouched when the new download fails', async () => {
    const file = join(dir, 'bill.csv');
    await writeFile(file, 'yesterday');
    sandbox.bills.define('2026-11-21', { fault: 'tampered' });
    await assert.rejects(downloadBill(wxpay, { type: 'trade', bill_date: '2026-11-21' }, { file }), (error: unknown) => error instanceof VerificationError);
    assert.equal(await readFile(file, 'utf8'), 'yesterday');
    assert.deepEqual(await readdir(dir), ['bill.csv']);
  });

  it('removes the partial file when the connection drops mid-download', async () => {
    sandbox.bills.define('2026-11-20', { fault: 'cut' });
    const file = join(dir, 'cut.csv');
    await assert.rejects(downloadBill(wxpay, { type: 'trade', bill_date: '2026-11-20' }, { file }));
    assert.deepEqual(await readdir(dir), []);
  });

  it('refuses a download_url on another host, without sending the signed request there', async () => {
    sandbox.bills.define('2026-11-19', { downloadOrigin: 'http://127.0.0.2:9' });
    const seen = sandbox.requests.length;
    await assert.rejects(downloadBill(wxpay, { type: 'trade', bill_date: '2026-11-19' }, { file: join(dir, 'x.csv') }), (error: unknown) => {
      assert.ok(error instanceof VerificationError, String(error));
      assert.equal(error.code, ErrorCode.UNTRUSTED_DOWNLOAD_URL);
      assert.match(error.message, /is on http:\/\/127\.0\.0\.2:9, not on http:\/\/127\.0\.0\.1:\d+/);
      return true;
    });
    assert.equal(downloads(seen).length, 0);
    assert.deepEqual(await readdir(dir), []);
  });

  it('follows a download_url only below the base URL, to a download path', () => {
    const base = 'https://api.mch.weixin.qq.com/';
    assert.deepEqual(downloadTarget('https://api.mch.weixin.qq.com/v3/billdownload/file?token=a-b_c&tartype=gzip', base), { path: 'v3/billdownload/file', query: { token: 'a-b_c', tartype: 'gzip' } });
    assert.deepEqual(downloadTarget('https://gw.example/pay/v3/billdownload/file?token=t', 'https://gw.example/pay/'), { path: 'v3/billdownload/file', query: { token: 't' } });
    for (const url of [
      'http://api.mch.weixin.qq.com/v3/billdownload/file?token=t', // another scheme
      'https://api.mch.weixin.qq.com:8443/v3/billdownload/file?token=t', // another port
      'https://api.mch.weixin.qq.com.evil.example/v3/billdownload/file?token=t',
      'https://api.mch.weixin.qq.com/v3/pay/transactions/jsapi', // signed, not a download
      'v3/billdownload/file?token=t', // not absolute
    ]) {
      assert.throws(() => downloadTarget(url, base), (error: unknown) => error instanceof VerificationError && error.code === ErrorCode.UNTRUSTED_DOWNLOAD_URL, url);
    }
    assert.throws(() => downloadTarget('https://gw.example/v3/billdownload/file', 'https://gw.example/pay/'), /outside \/pay\//);
  });

  it('passes on the gateway refusing a day without a bill as an ApiError', async () => {
    await assert.rejects(downloadBill(wxpay, { type: 'trade', bill_date: NO_BILL_DAY }), (error: unknown) => error instanceof ApiError && error.apiCode === 'NO_STATEMENT_EXIST');
  });

  it('reports progress in bytes received, compressed as sent', async () => {
    sandbox.bills.define('2026-11-17', { rows: 5000 });
    const seen: number[] = [];
    const result = await downloadBill(wxpay, { type: 'trade', bill_date: '2026-11-17', tar_type: 'GZIP' }, { onProgress: (bytes) => seen.push(bytes) });
    assert.ok(seen.length > 0 && seen.every((bytes, i) => i === 0 || bytes > seen[i - 1]), 'grows with each chunk');
    assert.ok(seen[seen.length - 1] < result.bytes / 2, 'counts the gzip bytes, not the CSV');
  });

  it('refuses a downloadFile path whose answer the gateway signs, before sending anything', async () => {
    const seen = sandbox.requests.length;
    await assert.rejects(downloadFile(wxpay, { path: 'v3/pay/transactions/native', expect: { hash_type: 'SHA1', hash_value: 'x' } }), (error: unknown) => error instanceof OptionError && /not a file the gateway sends unsigned/.test(error.message));
    assert.equal(sandbox.requests.length, seen);
  });

  it('refuses a malformed bill request before sending anything', async () => {
    const seen = sandbox.requests.length;
    for (const bill of [
      { type: 'trade', bill_date: '20261124' },
      { type: 'daily', bill_date: '2026-11-24' },
      { type: 'trade', bill_date: '2026-11-24', account_type: 'BASIC' },
      { type: 'fundflow', bill_date: '2026-11-24', bill_type: 'ALL' },
      { type: 'trade', bill_date: '2026-11-24', tar_type: 'ZIP' },
      // A misspelt field would otherwise be dropped, and the day's ALL bill downloaded instead.
      { type: 'trade', bill_date: '2026-11-24', billType: 'REFUND' },
    ]) {
      await assert.rejects(downloadBill(wxpay, bill as never), (error: unknown) => error instanceof OptionError && error.code === ErrorCode.INVALID_OPTION, JSON.stringify(bill));
    }
    assert.equal(sandbox.requests.length, seen);
  });

  it('keeps no more than maxBytes: a larger bill fails with ANSWER_TOO_LARGE and leaves nothing behind', async () => {
    const file = join(dir, 'capped.csv');
    const size = sandbox.bills.csv({ type: 'trade', bill_date: '2026-11-17' }).length;
    await assert.rejects(downloadBill(wxpay, { type: 'trade', bill_date: '2026-11-17' }, { file, maxBytes: size - 1 }), (error: unknown) => error instanceof WechatpayError && error.code === ErrorCode.ANSWER_TOO_LARGE && /maxBytes/.test(error.message));
    assert.deepEqual(await readdir(dir), []);
    const exact = await downloadBill(wxpay, { type: 'trade', bill_date: '2026-11-17' }, { maxBytes: size });
    assert.equal(exact.bytes, size);
  });

  it('bounds the whole download by its timeout, body included: a dripping file fails with TIMEOUT', { timeout: 5000 }, async () => {
    const file = join(dir, 'drip.csv');
    // The first request (the bill's metadata) answers at once; the file drips a byte every 50 ms.
    sandbox.inject({ type: 'slow', ms: 0 }).inject({ type: 'drip', ms: 50 });
    await assert.rejects(downloadBill(wxpay, { type: 'trade', bill_date: '2026-11-16' }, { file, timeout: 400 }), (error: unknown) => error instanceof WechatpayError && error.code === ErrorCode.TIMEOUT);
    assert.deepEqual(await readdir(dir), []);
  });

  it('streams a multi-megabyte bill to disk whose hash matches', async () => {
    sandbox.bills.define('2026-11-18', { bytes: 8 * 1024 * 1024 });
    const file = join(dir, 'big.csv');
    const result = await downloadBill(wxpay, { type: 'trade', bill_date: '2026-11-18', tar_type: 'GZIP' }, { file });
    const written = await readFile(file);
    assert.ok(written.length >= 8 * 1024 * 1024);
    assert.equal(result.bytes, written.length);
    assert.equal(sha1(written), result.hash_value);
  });

  describe('downloadFile with the SHA-1 in a header (statements)', () => {
    const statement = Buffer.from('statement,1\r\n`2026-11-24,`100.00\r\n');
    before(() => {
      sandbox.route({ method: 'GET', path: '/v3/statements', handle: ({ query }): SandboxReply => ({ body: statement, headers: query.sha1 === undefined ? {} : { 'Content-Type': 'text/csv', 'Wechatpay-Statement-Sha1': query.sha1 } }) });
    });
    const request = (sha: string | undefined) => ({ path: 'v3/statements', query: { bill_date: '2026-11-24', ...(sha === undefined ? {} : { sha1: sha }) }, expect: { header: 'Wechatpay-Statement-Sha1' } });

    it('keeps a file that matches its Wechatpay-Statement-Sha1', async () => {
      const file = join(dir, 'statement.csv');
      const result = await downloadFile(wxpay, request(sha1(statement)), { file });
      assert.ok((await readFile(file)).equals(statement));
      assert.equal(result.hash_value, sha1(statement));
    });

    it('rejects one that does not, or has no such header', async () => {
      await assert.rejects(downloadFile(wxpay, request('0'.repeat(40)), { file: join(dir, 's.csv') }), (error: unknown) => error instanceof VerificationError && error.code === ErrorCode.HASH_MISMATCH);
      await assert.rejects(downloadFile(wxpay, request(undefined)), (error: unknown) => error instanceof VerificationError && error.code === ErrorCode.INCOMPLETE_HEADERS && /Wechatpay-Statement-Sha1/.test(error.message));
      assert.deepEqual(await readdir(dir), []);
    });

    it('refuses a hash type it cannot check before sending', async () => {
      await assert.rejects(downloadFile(wxpay, { path: 'v3/statements', expect: { hash_type: 'CRC32', hash_value: '0' } }), /hash_type "CRC32"/);
      await assert.rejects(downloadFile(wxpay, { path: 'https://evil.example/x', expect: { header: 'x' } }), (error: unknown) => error instanceof OptionError);
    });

    it('refuses a request or expect of the wrong shape with an OptionError naming it, before sending (as a JavaScript caller may give)', async () => {
      const before = sandbox.requests.length;
      for (const [request, named] of [
        [undefined, /downloadFile: request/],
        [{ path: 'v3/statements' }, /downloadFile: expect/],
        [{ path: 'v3/statements', expect: { hashType: 'SHA1', hashValue: '0' } }, /downloadFile: expect/],
        [{ path: 'v3/statements', expect: { hash_type: 'SHA1' } }, /downloadFile: expect/],
        [{ path: 'v3/statements', expect: { header: 7 } }, /downloadFile: expect/],
      ] as const) {
        await assert.rejects(downloadFile(wxpay, request as never), (error: unknown) => error instanceof OptionError && error.code === ErrorCode.INVALID_OPTION && named.test(error.message), JSON.stringify(request));
      }
      const statement = { path: 'v3/statements', expect: { header: 'Wechatpay-Statement-Sha1' } };
      await assert.rejects(downloadFile(wxpay, statement, null as never), (error: unknown) => error instanceof OptionError && /downloadFile: options/.test(error.message));
      // downloadBill checks its options before its bill call, not only when it reaches the file.
      const bill = { type: 'trade', bill_date: '2026-11-24' } as const;
      await assert.rejects(downloadBill(wxpay, bill, null as never), (error: unknown) => error instanceof OptionError && /downloadBill: options/.test(error.message));
      await assert.rejects(downloadBill(wxpay, bill, { maxBytes: -1 }), (error: unknown) => error instanceof OptionError && /downloadBill: maxBytes/.test(error.message));
      await assert.rejects(downloadBill(wxpay, bill, { onProgress: 'yes' as never }), (error: unknown) => error instanceof OptionError && /downloadBill: onProgress/.test(error.message));
      // A misspelt `file` would otherwise leave the bill in memory, and nothing on disk.
      await assert.rejects(downloadBill(wxpay, bill, { path: '/var/bills/2026-11-24.csv' } as never), (error: unknown) => error instanceof OptionError && /^downloadBill: options\.path: unknown; the options are file, signal, timeout, maxBytes and onProgress$/.test(error.message));
      await assert.rejects(downloadBill(wxpay, { ...bill, billType: 'REFUND' } as never), (error: unknown) => error instanceof OptionError && /^downloadBill: billType: unknown; a bill request takes type, bill_date, bill_type, account_type, tar_type and sub_mchid$/.test(error.message));
      await assert.rejects(downloadFile(wxpay, { ...statement, gzip: true } as never), (error: unknown) => error instanceof OptionError && /^downloadFile: request\.gzip: unknown; a file request takes path, query, expect and gunzip$/.test(error.message));
      assert.equal(sandbox.requests.length, before, 'nothing was sent');
    });
  });
});
