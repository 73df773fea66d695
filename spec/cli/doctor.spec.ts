import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CheckResult } from '../../lib';
import { Sandbox } from '../../lib/sandbox';
import { runCli as run } from '../support/cli';

describe('wechatpay doctor', () => {
  let sandbox: Sandbox;
  let dir: string;
  let flags: string[];
  before(async () => {
    sandbox = await Sandbox.start({ mchid: '1900000903' });
    dir = mkdtempSync(join(tmpdir(), 'wechatpay-doctor-'));
    writeFileSync(join(dir, 'apiclient_key.pem'), sandbox.merchant.privateKeyPem);
    writeFileSync(join(dir, 'apiclient_cert.pem'), sandbox.merchantTls.cert);
    writeFileSync(join(dir, 'other_key.pem'), generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const [platform] = sandbox.platformKeys;
    writeFileSync(join(dir, 'platform.pem'), platform.certificatePem ?? '');
    flags = ['-m', sandbox.mchid, '-s', sandbox.merchant.id, '-p', `${platform.id}=${join(dir, 'platform.pem')}`, '-u', sandbox.baseURL, '-k', sandbox.apiv3Key, '--merchant-cert', join(dir, 'apiclient_cert.pem')];
  });
  after(async () => {
    rmSync(dir, { recursive: true, force: true });
    await sandbox.close();
  });

  it('prints ✓ for every check of a correct setup and exits 0', async () => {
    const { code, stdout } = await run(['doctor', '-f', join(dir, 'apiclient_key.pem'), ...flags]);
    assert.equal(code, 0, stdout);
    assert.doesNotMatch(stdout, /^[✗!]/m);
    assert.match(stdout, /^✓ the gateway verified our signature/m);
    assert.ok(!stdout.includes(sandbox.apiv3Key) && !stdout.includes('PRIVATE KEY'), 'no secret printed');
  });

  it('prints ✗ with what to do for a private key of another certificate, and exits 1; --json gives the same as data', async () => {
    const { code, stdout } = await run(['doctor', '-f', join(dir, 'other_key.pem'), ...flags]);
    assert.equal(code, 1);
    assert.match(stdout, /^✗ the private key does not belong to the merchant certificate\n {4}→ /m);
    const json = await run(['doctor', '--json', '-f', join(dir, 'other_key.pem'), ...flags]);
    assert.equal(json.code, 1);
    const results = JSON.parse(json.stdout) as CheckResult[];
    assert.equal(results.find((result) => result.id === 'key-matches-certificate')?.status, 'fail');
  });

  it('says where the command takes the option a fix is about: its flag, its environment variable, its --config key', async () => {
    const withoutSerial = flags.filter((flag, i) => flag !== '-s' && flags[i - 1] !== '-s');
    const { code, stdout } = await run(['doctor', '--offline', '-f', join(dir, 'apiclient_key.pem'), ...withoutSerial]);
    assert.equal(code, 1);
    assert.match(stdout, /^✗ no merchant certificate serial given\n {4}→ give the merchant certificate serial .*\(-s\/--serial, WECHATPAY_SERIAL or serial in the --config file\)$/m);
    const json = await run(['doctor', '--offline', '--json', '-f', join(dir, 'apiclient_key.pem'), ...withoutSerial]);
    const serial = (JSON.parse(json.stdout) as CheckResult[]).find((result) => result.id === 'serial');
    assert.equal(serial?.option, 'serial');
  });
});
