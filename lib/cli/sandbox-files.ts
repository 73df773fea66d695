import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Sandbox } from '../sandbox';

/** What `wechatpay sandbox --out DIR` wrote, and the command to run next. */
export interface SandboxFiles {
  config: string;
  ca?: string;
  next: string;
}

/** Writes a file readable by its owner only: these hold keys (the sandbox's, but keys all the same). */
function writePrivate(path: string, text: string): void {
  writeFileSync(path, text, { mode: 0o600 });
  chmodSync(path, 0o600);
}

/**
 * Writes what a client of `sandbox` needs into `dir`: the merchant key (`apiclient_key.pem`), its
 * certificate (`apiclient_cert.pem`), each platform key (`platform_<id>.pem`), with `tls` the CA
 * (`ca.pem`), and `config.json`, which every command takes as `--config` (mchid, serial, the key
 * and platform files, baseUrl, the sandbox's APIv3 and APIv2 keys, and the CA). Key files and the
 * config are mode 0600.
 */
export function writeSandboxFiles(sandbox: Sandbox, directory: string, tls: boolean): SandboxFiles {
  const dir = resolve(directory);
  mkdirSync(dir, { recursive: true });
  const file = (name: string) => join(dir, name);
  writePrivate(file('apiclient_key.pem'), sandbox.merchant.privateKeyPem);
  writeFileSync(file('apiclient_cert.pem'), sandbox.merchantTls.cert);
  const platform = sandbox.platformKeys.map((key) => {
    const path = file(`platform_${key.id}.pem`);
    writeFileSync(path, key.certificatePem ?? key.publicKeyPem);
    return `${key.id}=${path}`;
  });
  const ca = tls ? file('ca.pem') : undefined;
  if (ca) writeFileSync(ca, sandbox.caCertificatePem);
  const config = file('config.json');
  const { mchid, serial, baseURL, secret } = sandbox.clientOptions;
  writePrivate(config, `${JSON.stringify({ mchid, serial, privateKey: file('apiclient_key.pem'), platform, baseUrl: baseURL, apiv3Key: sandbox.apiv3Key, secret, ...(ca ? { ca } : {}) }, null, 2)}\n`);
  const next = `wechatpay v3/credit-repayment/partner/contracts/terminate --json '{"out_contract_code":"100001256","contract_termination_remark":"try"}' --config ${config}`;
  return { config, ca, next };
}
