import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { interrupt, runCli as run, runShellLine, startCliSandbox } from '../support/cli';

const NEXT = /next:\n(.+)\n/;

describe('wechatpay sandbox --out DIR', () => {
  const dirs: string[] = [];
  const children: ChildProcessWithoutNullStreams[] = [];
  /** A fresh parent folder for DIR, removed after the tests; its name has a space, as a user's may. */
  const parent = () => {
    const dir = mkdtempSync(join(tmpdir(), 'wechatpay sandbox '));
    dirs.push(dir);
    return dir;
  };
  const start = async (args: string[]) => {
    const started = await startCliSandbox(args, NEXT);
    children.push(started.child);
    return { ...started, next: NEXT.exec(started.printed)?.[1] ?? '' };
  };
  after(async () => {
    await Promise.all(children.map(interrupt));
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('writes the key and the config for the owner alone, prints no key, and prints a next command that works as pasted (a POST the sandbox carries out)', async () => {
    const dir = join(parent(), 'creds');
    const { printed, next } = await start(['--out', dir]);
    assert.deepEqual(readdirSync(dir).filter((name) => !name.startsWith('platform_')).sort(), ['apiclient_cert.pem', 'apiclient_key.pem', 'config.json', 'sandbox-1900000001.json']);
    assert.equal(statSync(dir).mode & 0o777, 0o700, 'the folder it made');
    for (const name of ['apiclient_key.pem', 'config.json', 'sandbox-1900000001.json']) assert.equal(statSync(join(dir, name)).mode & 0o777, 0o600, name);
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Record<string, string>;
    for (const secret of [config.apiv3Key, config.secret, 'PRIVATE KEY']) assert.ok(!printed.includes(secret), 'no key on stdout');
    assert.equal(next, `npx wechatpay-ts v3/credit-repayment/partner/contracts/terminate --json '{"out_contract_code":"100001256","contract_termination_remark":"try"}' --config '${join(dir, 'config.json')}'`);
    const pasted = await runShellLine(next);
    assert.equal(pasted.code, 0, pasted.stderr);
    assert.equal((JSON.parse(pasted.stdout) as { contract_info: { contract_state: string } }).contract_info.contract_state, 'CONTRACT_STATE_TERMINATED');
    // Only the POST route terminates: the sandbox now holds the contract as terminated.
    const after = await run(['v3/credit-repayment/partner/contracts/100001256', '--config', join(dir, 'config.json')]);
    assert.equal((JSON.parse(after.stdout) as { contract_state: string }).contract_state, 'CONTRACT_STATE_TERMINATED');
  });

  it('keeps its keys in DIR: started again with the same --out, the merchant key and the platform keys are the ones already written', async () => {
    const dir = join(parent(), 'creds');
    const first = await start(['--out', dir, '--mode', 'migration']);
    const written = () => Object.fromEntries(readdirSync(dir).filter((name) => name.endsWith('.pem')).map((name) => [name, readFileSync(join(dir, name), 'utf8')]));
    const before = written();
    assert.equal(await interrupt(first.child), 0);
    await start(['--out', dir, '--mode', 'migration']);
    assert.deepEqual(written(), before);
  });

  it('writes a config.json that certificates download and doctor take as it is', async () => {
    const dir = join(parent(), 'creds');
    await start(['--out', dir]);
    const config = join(dir, 'config.json');
    const doctor = await run(['doctor', '--config', config]);
    assert.equal(doctor.code, 0, doctor.stdout);
    assert.match(doctor.stdout, /^✓ the private key belongs to the merchant certificate$/m);
    const certificates = await run(['certificates', 'download', '--config', config, '-o', join(dir, 'downloaded')]);
    assert.equal(certificates.code, 0, certificates.stderr);
    assert.equal(readdirSync(join(dir, 'downloaded')).length, 1);
  });

  it('with --tls writes the CA, which the config names; without it a call fails, with --ca it works; --security calls go over mutual TLS', async () => {
    const dir = join(parent(), 'creds');
    const { next } = await start(['--tls', '--out', dir]);
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Record<string, string>;
    assert.match(config.baseUrl, /^https:\/\/127\.0\.0\.1:\d+\/$/);
    assert.equal(config.ca, join(dir, 'ca.pem'));
    assert.equal((await runShellLine(next)).code, 0);
    const { ca, ...untrusting } = config;
    const without = join(dir, 'without-ca.json');
    writeFileSync(without, JSON.stringify(untrusting));
    const refused = await run(['v3/credit-repayment/partner/contracts/TLS-1', '--config', without]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /^ERR_WECHATPAY_NETWORK: .*SELF_SIGNED_CERT_IN_CHAIN/);
    const trusted = await run(['v3/credit-repayment/partner/contracts/TLS-1', '--config', without, '--ca', ca]);
    assert.equal(trusted.code, 0, trusted.stderr);
    const refund = { appid: 'wx8888888888888888', mch_id: config.mchid, out_trade_no: 'CLI-T1', out_refund_no: 'CLI-R1', total_fee: 100, refund_fee: 100 };
    const secure = await run(['v2/secapi/pay/refund', '--security', '--xml', JSON.stringify(refund), '--config', join(dir, 'config.json')]);
    assert.equal(secure.code, 0, secure.stderr);
    assert.equal((JSON.parse(secure.stdout) as { result_code: string }).result_code, 'SUCCESS');
    const missing = await run(['v3/credit-repayment/partner/contracts/TLS-1', '--config', without, '--ca', join(dir, 'nope.pem')]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /--ca: cannot read .*nope\.pem \(ENOENT\)/);
  });
});
