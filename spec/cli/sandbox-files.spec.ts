import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

const BIN = join(__dirname, '..', '..', 'lib', 'cli', 'main.js');

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Starts `wechatpay sandbox …` and resolves with the process and what it printed once it printed `until`. */
function startSandbox(args: string[], until: RegExp): Promise<{ child: ChildProcessWithoutNullStreams; printed: string }> {
  const child = spawn(process.execPath, [BIN, 'sandbox', ...args], { env: { PATH: process.env.PATH } });
  let printed = '';
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`wechatpay sandbox exited (${code}): ${printed}`)));
    child.stdout.on('data', (chunk: Buffer) => {
      printed += chunk.toString();
      if (until.test(printed)) resolve({ child, printed });
    });
  });
}

describe('wechatpay sandbox --out', () => {
  const dirs: string[] = [];
  const children: ChildProcessWithoutNullStreams[] = [];
  after(() => {
    for (const child of children) child.kill();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('writes the credentials to files (keys 0600), prints the next command, and that command works with --config', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wechatpay-sandbox-'));
    dirs.push(dir);
    const { child, printed } = await startSandbox(['--out', dir], /next:\n.+\n/);
    children.push(child);
    assert.doesNotMatch(printed, /PRIVATE KEY|apiv3Key/, 'no key on stdout');
    for (const name of ['apiclient_key.pem', 'config.json']) assert.equal(statSync(join(dir, name)).mode & 0o777, 0o600, name);
    const next = /next:\n(.+)\n/.exec(printed)?.[1] ?? '';
    assert.match(next, /^wechatpay v3\/credit-repayment\/partner\/contracts\/terminate --json '(.+)' --config (\S+)$/);
    const [, json, config] = /--json '(.+)' --config (\S+)$/.exec(next) ?? [];
    const { code, stdout, stderr } = await run(['v3/credit-repayment/partner/contracts/terminate', '--json', json, '--config', config]);
    assert.equal(code, 0, stderr);
    assert.equal((JSON.parse(stdout) as { contract_info: { contract_state: string } }).contract_info.contract_state, 'CONTRACT_STATE_TERMINATED');
    const doctor = await run(['doctor', '--config', config, '--merchant-cert', join(dir, 'apiclient_cert.pem')]);
    assert.equal(doctor.code, 0, doctor.stdout);
  });

  it('with --tls writes the CA, and --ca (or the config) makes the other commands trust it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wechatpay-sandbox-tls-'));
    dirs.push(dir);
    const { child } = await startSandbox(['--tls', '--out', dir], /next:\n.+\n/);
    children.push(child);
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as { baseUrl: string; ca: string };
    assert.match(config.baseUrl, /^https:/);
    assert.equal(config.ca, join(dir, 'ca.pem'));
    const ok = await run(['v3/credit-repayment/partner/contracts/TLS-1', '--config', join(dir, 'config.json')]);
    assert.equal(ok.code, 0, ok.stderr);
    const missing = await run(['v3/credit-repayment/partner/contracts/TLS-1', '--config', join(dir, 'config.json'), '--ca', join(dir, 'nope.pem')]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /--ca: cannot read .*nope\.pem \(ENOENT\)/);
  });

  it('without --out prints a summary and no keys', async () => {
    const { child, printed } = await startSandbox([], /keys are never printed/);
    children.push(child);
    assert.match(printed, /^sandbox gateway on http:\/\/127\.0\.0\.1:\d+\//);
    assert.doesNotMatch(printed, /PRIVATE KEY/);
  });
});
