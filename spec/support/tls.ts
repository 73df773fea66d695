import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A CA, a server certificate for 127.0.0.1 and two client certificates (one from another CA), made by the openssl CLI. */
export interface TestPki {
  caCert: string;
  serverCert: string;
  serverKey: string;
  merchantCert: string;
  merchantKey: string;
  /** PKCS#12 of the merchant certificate and key, with {@link TestPki.pfxPassphrase}. */
  merchantPfx: Buffer;
  pfxPassphrase: string;
  /** A client certificate issued by a CA the server does not trust. */
  strangerCert: string;
  strangerKey: string;
}

/** Issues the test PKI in a scratch folder, removed before returning. */
export function issueTestPki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'wechatpay-pki-'));
  const at = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const ca = (name: string) => openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', at(`${name}.key`), '-out', at(`${name}.crt`), '-days', '2', '-subj', `/CN=${name}`, '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign');
    const leaf = (name: string, issuer: string, subject: string, extensions: string) => {
      openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', at(`${name}.key`), '-out', at(`${name}.csr`), '-subj', subject);
      writeFileSync(at(`${name}.ext`), extensions);
      openssl('x509', '-req', '-in', at(`${name}.csr`), '-CA', at(`${issuer}.crt`), '-CAkey', at(`${issuer}.key`), '-CAcreateserial', '-out', at(`${name}.crt`), '-days', '2', '-extfile', at(`${name}.ext`));
    };
    ca('ca');
    ca('stranger-ca');
    leaf('server', 'ca', '/CN=127.0.0.1', 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
    leaf('merchant', 'ca', '/O=Tenpay.com/OU=1900000001/CN=1900000001', 'extendedKeyUsage=clientAuth\n');
    leaf('stranger', 'stranger-ca', '/CN=stranger', 'extendedKeyUsage=clientAuth\n');
    const pfxPassphrase = 'p12-pass-5f3a9c';
    openssl('pkcs12', '-export', '-in', at('merchant.crt'), '-inkey', at('merchant.key'), '-out', at('merchant.p12'), '-passout', `pass:${pfxPassphrase}`);
    const text = (name: string) => readFileSync(at(name), 'utf8');
    return {
      caCert: text('ca.crt'),
      serverCert: text('server.crt'),
      serverKey: text('server.key'),
      merchantCert: text('merchant.crt'),
      merchantKey: text('merchant.key'),
      merchantPfx: readFileSync(at('merchant.p12')),
      pfxPassphrase,
      strangerCert: text('stranger.crt'),
      strangerKey: text('stranger.key'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
