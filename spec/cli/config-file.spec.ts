import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Sandbox } from '../../lib/sandbox';
import { runCli as run } from '../support/cli';

describe('wechatpay --config FILE', () => {
  let sandbox: Sandbox;
  let dir: string;
  /** A config whose files are named relative to it, as a user writes one next to their keys. */
  let relative: Record<string, unknown>;
  const write = (name: string, value: unknown) => {
    const path = join(dir, name);
    writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value));
    return path;
  };
  before(async () => {
    sandbox = await Sandbox.start();
    dir = mkdtempSync(join(tmpdir(), 'wechatpay-config-'));
    mkdirSync(join(dir, 'keys'));
    write('keys/apiclient_key.pem', sandbox.merchant.privateKeyPem);
    const [platform] = sandbox.platformKeys;
    write('keys/platform.pem', platform.certificatePem ?? '');
    relative = { mchid: sandbox.mchid, serial: sandbox.merchant.id, privateKey: 'keys/apiclient_key.pem', platform: [`${platform.id}=keys/platform.pem`], baseUrl: sandbox.baseURL };
  });
  after(async () => {
    rmSync(dir, { recursive: true, force: true });
    await sandbox.close();
  });

  it('takes the files it names relative to its own folder, from any working directory', async () => {
    const config = write('relative.json', relative);
    const { code, stdout, stderr } = await run(['v3/credit-repayment/partner/contracts/REL-1', '--config', config], {}, tmpdir());
    assert.equal(code, 0, stderr);
    assert.equal((JSON.parse(stdout) as { out_contract_code: string }).out_contract_code, 'REL-1');
  });

  it('gives way to a flag and to the environment', async () => {
    const config = write('elsewhere.json', { ...relative, baseUrl: 'http://127.0.0.1:9/', mchid: '1230000109' });
    const flag = await run(['v3/credit-repayment/partner/contracts/FLAG-1', '--config', config, '-u', sandbox.baseURL, '-m', sandbox.mchid]);
    assert.equal(flag.code, 0, flag.stderr);
    const env = await run(['v3/credit-repayment/partner/contracts/ENV-1', '--config', config], { WECHATPAY_BASE_URL: sandbox.baseURL, WECHATPAY_MCHID: sandbox.mchid });
    assert.equal(env.code, 0, env.stderr);
  });

  it('refuses an unknown key (the SDK’s baseURL for baseUrl), naming the file and listing the keys, before sending anything', async () => {
    const before = sandbox.requests.length;
    const { baseUrl, ...rest } = relative;
    const config = write('sdk-names.json', { ...rest, baseURL: baseUrl });
    const { code, stderr } = await run(['v3/credit-repayment/partner/contracts/X', '--config', config]);
    assert.equal(code, 1);
    assert.equal(stderr, `ERR_WECHATPAY_INVALID_OPTION: --config: ${config}: unknown key "baseURL" (the keys are mchid, serial, privateKey, merchantCert, apiv3Key, secret, baseUrl, ca, platform)\n`);
    assert.equal(sandbox.requests.length, before);
  });

  it('refuses a value of the wrong type, naming the file and the key but never quoting the value', async () => {
    for (const [name, given, key] of [
      ['number.json', { ...relative, mchid: 1900000001 }, 'mchid must be a non-empty string'],
      ['array.json', { ...relative, apiv3Key: ['0123456789abcdef0123456789abcdef'] }, 'apiv3Key must be a non-empty string'],
      ['empty.json', { ...relative, privateKey: '' }, 'privateKey must be a non-empty string'],
      ['platform.json', { ...relative, platform: 'PUB_KEY_ID_0001=keys/platform.pem' }, 'platform must be an array of "ID=FILE" strings'],
    ] as const) {
      const config = write(name, given);
      const { code, stderr } = await run(['v3/x', '--config', config]);
      assert.equal(code, 1, name);
      assert.equal(stderr, `ERR_WECHATPAY_INVALID_OPTION: --config: ${config}: ${key}\n`);
    }
  });

  it('refuses a file it names that cannot be read, naming both files', async () => {
    const config = write('gone.json', { ...relative, privateKey: 'keys/gone.pem' });
    const { code, stderr } = await run(['v3/x', '--config', config]);
    assert.equal(code, 1);
    assert.equal(stderr, `ERR_WECHATPAY_INVALID_OPTION: --config: ${config}: privateKey names ${join(dir, 'keys', 'gone.pem')}, which cannot be read (ENOENT)\n`);
    const platform = write('gone-platform.json', { ...relative, platform: ['PUB_KEY_ID_0001=keys/gone.pem'] });
    assert.match((await run(['v3/x', '--config', platform])).stderr, /: platform PUB_KEY_ID_0001 names .*gone\.pem, which cannot be read \(ENOENT\)\n$/);
  });

  it('refuses a file that is not a JSON object, or not a file', async () => {
    for (const text of ['[]', '"x"', 'null', '3']) {
      const config = write('not-an-object.json', text);
      const { code, stderr } = await run(['v3/x', '--config', config]);
      assert.equal(code, 1, text);
      assert.equal(stderr, `ERR_WECHATPAY_INVALID_OPTION: --config: ${config} does not hold a JSON object\n`);
    }
    const folder = await run(['v3/x', '--config', join(dir, 'keys')]);
    assert.equal(folder.stderr, `ERR_WECHATPAY_INVALID_OPTION: --config: cannot read ${join(dir, 'keys')} (EISDIR)\n`);
  });
});
