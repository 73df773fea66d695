import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Sandbox } from '../../lib/sandbox';
import { runCli as run } from '../support/cli';

describe('the wechatpay command', () => {
  let sandbox: Sandbox;
  let dir: string;
  let credentials: string[];
  before(async () => {
    sandbox = await Sandbox.start();
    dir = mkdtempSync(join(tmpdir(), 'wechatpay-cli-'));
    writeFileSync(join(dir, 'apiclient_key.pem'), sandbox.merchant.privateKeyPem);
    const [platform] = sandbox.platformKeys;
    writeFileSync(join(dir, 'platform.pem'), platform.certificatePem ?? '');
    credentials = ['-m', sandbox.mchid, '-s', sandbox.merchant.id, '-f', join(dir, 'apiclient_key.pem'), '-p', `${platform.id}=${join(dir, 'platform.pem')}`, '-u', sandbox.baseURL];
  });
  after(async () => {
    rmSync(dir, { recursive: true, force: true });
    await sandbox.close();
  });

  for (const args of [['--help'], ['call', '--help'], ['certificates', 'download', '--help'], ['sandbox', '--help'], ['bill', 'download', '--help']]) {
    it(`prints help for ${args.join(' ')}`, async () => {
      const { code, stdout } = await run(args);
      assert.equal(code, 0);
      assert.match(stdout, /^Usage: wechatpay-ts /, 'run as node bin.js, it calls itself by its package name');
    });
  }

  it('prints its version', async () => {
    const { stdout } = await run(['--version']);
    assert.match(stdout.trim(), /^\d+\.\d+\.\d+$/);
  });

  it('makes a call in slash form and prints the verified answer as JSON', async () => {
    const { code, stdout } = await run(['v3/credit-repayment/partner/contracts/terminate', '-X', 'POST', '--json', '{"out_contract_code":"CLI-1","contract_termination_remark":"r"}', ...credentials]);
    assert.equal(code, 0);
    assert.equal((JSON.parse(stdout) as { contract_info: { contract_state: string } }).contract_info.contract_state, 'CONTRACT_STATE_TERMINATED');
  });

  it('sends POST when --json is given without -X, as curl -d does; APIv2 paths default to POST', async () => {
    const before = sandbox.requests.length;
    const { code, stdout } = await run(['v3/credit-repayment/partner/contracts/terminate', '--json', '{"out_contract_code":"CLI-POST","contract_termination_remark":"r"}', ...credentials]);
    assert.equal(code, 0, stdout);
    assert.equal((JSON.parse(stdout) as { contract_info: { contract_state: string } }).contract_info.contract_state, 'CONTRACT_STATE_TERMINATED');
    assert.equal(sandbox.requests.at(-1)?.method, 'POST');
    assert.equal(sandbox.requests.length, before + 1);
  });

  it('refuses a body on an explicit GET, naming the flags, and sends nothing', async () => {
    const before = sandbox.requests.length;
    const { code, stderr } = await run(['v3/credit-repayment/partner/contracts/terminate', '-X', 'GET', '--json', '{}', ...credentials]);
    assert.equal(code, 1);
    assert.match(stderr, /ERR_WECHATPAY_INVALID_OPTION: --json: a GET sends no body; use -X POST \(or leave -X out\)/);
    assert.equal(sandbox.requests.length, before);
  });

  it('sends POST on an APIv2 path without -X, and refuses --xml on an explicit GET', async () => {
    const before = sandbox.requests.length;
    const xml = JSON.stringify({ appid: 'wx8888888888888888', mch_id: sandbox.mchid, body: 'cli', out_trade_no: 'CLI-V2-1', total_fee: 1, spbill_create_ip: '127.0.0.1', auth_code: '134567890123456789' });
    const v2 = ['-m', sandbox.mchid, '--secret', sandbox.apiv2Secret, '-u', sandbox.baseURL];
    const { code, stdout, stderr } = await run(['v2/pay/micropay', '--xml', xml, ...v2]);
    assert.equal(code, 0, stderr);
    assert.equal((JSON.parse(stdout) as { result_code: string }).result_code, 'SUCCESS');
    assert.deepEqual([sandbox.requests.at(-1)?.method, sandbox.requests.at(-1)?.api, sandbox.requests.length], ['POST', 'v2', before + 1]);
    const get = await run(['v2/pay/micropay', '-X', 'GET', '--xml', xml, ...v2]);
    assert.equal(get.code, 1);
    assert.match(get.stderr, /^ERR_WECHATPAY_INVALID_OPTION: --xml: a GET sends no body; use -X POST \(or leave -X out\)/);
    assert.equal(sandbox.requests.length, before + 1);
  });

  it('refuses --security without the merchant certificate, naming --merchant-cert, and sends nothing', async () => {
    const before = sandbox.requests.length;
    const { code, stderr } = await run(['v2/secapi/pay/refund', '--security', '--xml', '{}', '-m', sandbox.mchid, '--secret', sandbox.apiv2Secret, '-u', sandbox.baseURL]);
    assert.equal(code, 1);
    assert.match(stderr, /^ERR_WECHATPAY_INVALID_OPTION: --security: .*--merchant-cert FILE/);
    assert.equal(sandbox.requests.length, before);
  });

  it('makes a call in chained form, with query and header flags', async () => {
    sandbox.route({ method: 'GET', path: '/v3/cli/echo', handle: ({ query, headers }) => ({ json: { query, trace: headers['x-trace'] } }) });
    const { code, stdout } = await run(['v3.cli.echo', '-q', 'a=1', '-q', 'b=x y', '-H', 'X-Trace: t1', ...credentials]);
    assert.equal(code, 0, stdout);
    assert.deepEqual(JSON.parse(stdout), { query: { a: '1', b: 'x y' }, trace: 't1' });
  });

  it('takes credentials from the environment and from a config file', async () => {
    const [platform] = sandbox.platformKeys;
    const env = { WECHATPAY_MCHID: sandbox.mchid, WECHATPAY_SERIAL: sandbox.merchant.id, WECHATPAY_PRIVATE_KEY: join(dir, 'apiclient_key.pem'), WECHATPAY_PLATFORM_ID: platform.id, WECHATPAY_PLATFORM_KEY: join(dir, 'platform.pem'), WECHATPAY_BASE_URL: sandbox.baseURL };
    assert.equal((await run(['v3/credit-repayment/partner/contracts/ENV-1'], env)).code, 0);
    const config = join(dir, 'wechatpay.json');
    writeFileSync(config, JSON.stringify({ mchid: sandbox.mchid, serial: sandbox.merchant.id, privateKey: join(dir, 'apiclient_key.pem'), platform: [`${platform.id}=${join(dir, 'platform.pem')}`], baseUrl: sandbox.baseURL }));
    const { code, stdout } = await run(['v3/credit-repayment/partner/contracts/CFG-1', '--config', config]);
    assert.equal(code, 0);
    assert.equal((JSON.parse(stdout) as { out_contract_code: string }).out_contract_code, 'CFG-1');
  });

  it('says where a --config file or a --json value stops being JSON, without quoting any of it', async () => {
    const config = join(dir, 'key-by-mistake.json');
    writeFileSync(config, '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n');
    const file = await run(['v3/x', '--config', config]);
    assert.equal(file.code, 1);
    assert.match(file.stderr, /^ERR_WECHATPAY_INVALID_OPTION: --config: .*key-by-mistake\.json: not valid JSON/);
    assert.doesNotMatch(file.stderr, /BEGIN|MIIE|---/);
    const json = await run(['v3/x', '--json', '{"apiv3_key":"0123456789abcdef', ...credentials]);
    assert.match(json.stderr, /^ERR_WECHATPAY_INVALID_OPTION: --json: not valid JSON/);
    assert.doesNotMatch(json.stderr, /0123456789|apiv3_key/);
    const unreadable = await run(['v3/x', '--config', join(dir, 'absent.json')]);
    assert.match(unreadable.stderr, /^ERR_WECHATPAY_INVALID_OPTION: --config: cannot read .*absent\.json \(ENOENT\)/);
  });

  it('exits non-zero with the error code on a failure', async () => {
    sandbox.inject({ type: 'tampered-body' });
    const forged = await run(['v3/credit-repayment/partner/contracts/X', ...credentials]);
    assert.equal(forged.code, 1);
    assert.match(forged.stderr, /^ERR_WECHATPAY_BAD_SIGNATURE: /);
    const refused = await run(['v3/credit-repayment/partner/contracts/terminate', '-X', 'POST', '--json', '{}', ...credentials]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /^ERR_WECHATPAY_API_ERROR: .*PARAM_ERROR/);
    const bad = await run(['v3/x', '--json', '{oops', ...credentials]);
    assert.match(bad.stderr, /^ERR_WECHATPAY_INVALID_OPTION: --json: not valid JSON/);
    const missing = await run(['v3/x']);
    assert.match(missing.stderr, /^ERR_WECHATPAY_INVALID_OPTION: mchid: /);
  });

  it('downloads and verifies the platform certificates into a folder, as the PHP downloader does', async () => {
    const out = join(dir, 'certs');
    const { code, stdout } = await run(['certificates', 'download', '-m', sandbox.mchid, '-s', sandbox.merchant.id, '-f', join(dir, 'apiclient_key.pem'), '-k', sandbox.apiv3Key, '-o', out, '-u', sandbox.baseURL]);
    assert.equal(code, 0);
    const [platform] = sandbox.platformKeys;
    assert.deepEqual(readdirSync(out), [`wechatpay_${platform.id}.pem`]);
    assert.equal(new X509Certificate(readFileSync(join(out, `wechatpay_${platform.id}.pem`))).serialNumber.toUpperCase(), platform.id);
    assert.match(stdout, new RegExp(`^${platform.id}\\t`));
    const wrongKey = await run(['certificates', 'download', '-m', sandbox.mchid, '-s', sandbox.merchant.id, '-f', join(dir, 'apiclient_key.pem'), '-k', 'x'.repeat(32), '-o', out, '-u', sandbox.baseURL]);
    assert.equal(wrongKey.code, 1);
    assert.match(wrongKey.stderr, /^ERR_WECHATPAY_DECRYPTION_FAILED/);
  });
});
