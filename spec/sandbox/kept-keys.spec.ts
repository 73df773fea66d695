// Sandboxes that keep their keys in a folder: the first start writes them, a start in another
// process reads the same ones (so a client configured once keeps working), the folder named by
// WECHATPAY_SANDBOX_KEYS_DIR serves when no keysDir is given, and a file that holds no keys is
// refused naming it, never quoting it.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { ErrorCode, InvalidOptionError, Wechatpay } from '../../lib';
import { Sandbox } from '../../lib/sandbox';
import { KEYS_DIR_ENV, keysFile } from '../../lib/sandbox/kept-keys';

const SANDBOX_MODULE = join(__dirname, '..', '..', 'lib', 'sandbox');

/** What a sandbox started in a child process with `keysDir` (or, with `env`, none) reports of its keys. */
async function keysInAnotherProcess(mchid: string, keysDir: string | undefined, env: NodeJS.ProcessEnv = {}): Promise<{ serial: string; platform: string[]; apiv3Key: string }> {
  const script = `const { Sandbox } = require(${JSON.stringify(SANDBOX_MODULE)});
Sandbox.start({ mchid: ${JSON.stringify(mchid)}${keysDir ? `, keysDir: ${JSON.stringify(keysDir)}` : ''}, mode: 'migration' }).then(async (sandbox) => {
  process.stdout.write(JSON.stringify({ serial: sandbox.clientOptions.serial, platform: sandbox.platformKeys.map((key) => key.id), apiv3Key: sandbox.apiv3Key }));
  await sandbox.close();
});`;
  const { stdout } = await promisify(execFile)(process.execPath, ['-e', script], { env: { ...process.env, [KEYS_DIR_ENV]: '', ...env } });
  return JSON.parse(stdout) as { serial: string; platform: string[]; apiv3Key: string };
}

describe('sandbox keys kept in a folder', () => {
  const root = mkdtempSync(join(tmpdir(), 'wechatpay-kept-keys-'));
  after(() => rmSync(root, { recursive: true, force: true }));

  it('writes the keys on the first start, and a start in another process answers with the same ones to a client configured from the first', async () => {
    const dir = join(root, 'kept');
    const first = await Sandbox.start({ mchid: '1900000801', keysDir: dir, mode: 'migration' });
    const options = first.clientOptions;
    await first.close();
    assert.equal(statSync(keysFile(dir, '1900000801')).mode & 0o777, 0o600, 'readable by its owner only');
    const other = await keysInAnotherProcess('1900000801', dir);
    assert.deepEqual(other, { serial: options.serial, platform: first.platformKeys.map((key) => key.id), apiv3Key: first.apiv3Key });

    const again = await Sandbox.start({ mchid: '1900000801', keysDir: dir, mode: 'migration', port: 0 });
    after(() => again.close());
    const wxpay = new Wechatpay({ ...options, baseURL: again.baseURL });
    const { data } = await wxpay.v3.creditRepayment.partner.contracts._out_contract_code_.get({ out_contract_code: 'KEPT-1' });
    assert.equal(data.out_contract_code, 'KEPT-1');
  });

  it('keeps them in the folder WECHATPAY_SANDBOX_KEYS_DIR names when no keysDir is given', async () => {
    const dir = join(root, 'from-env');
    const first = await keysInAnotherProcess('1900000802', undefined, { [KEYS_DIR_ENV]: dir });
    const second = await keysInAnotherProcess('1900000802', undefined, { [KEYS_DIR_ENV]: dir });
    assert.deepEqual(second, first);
    assert.ok(statSync(keysFile(dir, '1900000802')).isFile());
    const fresh = await keysInAnotherProcess('1900000802', undefined);
    assert.notEqual(fresh.serial, first.serial, 'without either, each process makes new keys');
  });

  it('refuses a file that holds no keys of that merchant, naming the file and never quoting it', async () => {
    const dir = join(root, 'spoilt');
    mkdirSync(dir);
    const secret = 'not-json but secret-looking text';
    const cases: Array<[string, string, RegExp]> = [
      ['1900000803', secret, /it is not JSON/],
      ['1900000804', JSON.stringify({ format: 1, mchid: '1900000001' }), /not a format-1 key file of merchant 1900000804/],
      ['1900000805', JSON.stringify({ format: 1, mchid: '1900000805', identities: { ca: { id: 'x', privateKeyPem: secret } }, apiv3Key: 'k', apiv2Secret: 's' }), /does not parse/],
    ];
    for (const [mchid, content, reason] of cases) {
      writeFileSync(keysFile(dir, mchid), content);
      const error: unknown = await Sandbox.start({ mchid, keysDir: dir }).then(
        async (sandbox) => {
          await sandbox.close();
          assert.fail('expected a refusal');
        },
        (reason: unknown) => reason,
      );
      assert.ok(error instanceof InvalidOptionError, String(error));
      assert.equal(error.code, ErrorCode.INVALID_OPTION);
      assert.ok(error.message.startsWith(`keysDir: ${keysFile(dir, mchid)} holds no sandbox keys`), error.message);
      assert.match(error.message, reason);
      assert.ok(!error.message.includes('secret-looking'), 'the content is not quoted');
    }
  });
});
