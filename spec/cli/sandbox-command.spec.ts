import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { interrupt, runCli as run, startCliSandbox } from '../support/cli';

describe('wechatpay sandbox', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wechatpay-sandbox-command-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('without --out says where it listens and how to get the credentials, prints no key, and stops with exit 0 on Ctrl-C', async () => {
    const { child, printed } = await startCliSandbox(['--mode', 'public-key'], /keys are never printed\)\n/);
    assert.match(printed, /^sandbox gateway on http:\/\/127\.0\.0\.1:\d+\/ \(merchant 1900000001, public-key\); Ctrl-C stops it\ngive --out DIR to write the credentials a client needs \(keys are never printed\)\n$/);
    assert.equal(await interrupt(child), 0);
  });

  it('refuses a --port that is no port, naming it', async () => {
    for (const port of ['abc', '70000', '-1', '1.5']) {
      const { code, stderr } = await run(['sandbox', '--port', port]);
      assert.equal(code, 1, port);
      assert.match(stderr, /^error: option '--port <port>' argument '.+' is invalid\. expected a port number from 0 \(pick a free one\) to 65535\n/);
    }
  });

  it('exits 1 naming --out when DIR cannot be written, rather than serving without credentials', async () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, '');
    const { code, stderr } = await run(['sandbox', '--out', join(file, 'sub')]);
    assert.equal(code, 1);
    assert.equal(stderr, `ERR_WECHATPAY_INVALID_OPTION: --out: cannot write the credentials to ${join(file, 'sub')} (ENOTDIR)\n`);
  });
});
