import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { createSecureContext } from 'node:tls';
import { before, describe, it } from 'node:test';
import { buildPfx } from '../../lib/sandbox/pkcs12';
import { createKeyPair, issueCertificate } from '../../lib/sandbox/pki';

describe('buildPfx', () => {
  let pair: Awaited<ReturnType<typeof createKeyPair>>;
  let certificatePem: string;
  before(async () => {
    const [ca, leaf] = await Promise.all([createKeyPair(), createKeyPair()]);
    pair = leaf;
    const notBefore = new Date(Date.now() - 3600_000);
    certificatePem = issueCertificate({ serial: '5A5A', subject: '/CN=1900000001', issuer: '/CN=Test CA', notBefore, notAfter: new Date(notBefore.getTime() + 86_400_000), publicKey: leaf.publicKey, issuerKey: ca.privateKey, issuerPublicKey: ca.publicKey, profile: { kind: 'client' } });
  });

  it('writes a file node:tls loads with its passphrase and refuses with another (the MAC)', () => {
    const pfx = buildPfx({ privateKey: pair.privateKey, certificatePem, passphrase: '1900000001' });
    assert.doesNotThrow(() => createSecureContext({ pfx, passphrase: '1900000001' }));
    assert.throws(() => createSecureContext({ pfx, passphrase: '1900000002' }), /mac verify failure/);
  });

  it('uses OpenSSL 3 default algorithms, as the openssl CLI reports them, and a name longer than one DER short length', () => {
    // ASCII: the CLI prints only the low byte of each BMPString character.
    const friendlyName = 'sandbox merchant '.repeat(10).trim();
    const pfx = buildPfx({ privateKey: pair.privateKey, certificatePem, passphrase: 'p', friendlyName });
    // `-info` reports the algorithms on stderr and the contents on stdout.
    const openssl = (extra: string[]) => {
      const run = spawnSync('openssl', ['pkcs12', '-passin', 'pass:p', ...extra], { input: pfx, encoding: 'utf8' });
      assert.equal(run.status, 0, run.stderr);
      return `${run.stderr}${run.stdout}`;
    };
    const report = openssl(['-info', '-noout']);
    assert.match(report, /MAC: sha256, Iteration 2048/);
    assert.match(report, /Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC, Iteration 2048, PRF hmacWithSHA256/);
    const contents = openssl(['-nodes']);
    const certificate = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(contents)?.[0] ?? '';
    assert.equal(new X509Certificate(certificate).fingerprint256, new X509Certificate(certificatePem).fingerprint256);
    assert.match(contents, /-----BEGIN PRIVATE KEY-----/);
    assert.ok(contents.includes(`friendlyName: ${friendlyName}\n`));
  });

  it('refuses a key that is not the certificate\'s', async () => {
    const other = await createKeyPair();
    assert.throws(() => buildPfx({ privateKey: other.privateKey, certificatePem, passphrase: 'p' }), /does not belong/);
  });
});
