import { createHash, generateKeyPair, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { KJUR } from 'jsrsasign';

const generateRsa = promisify(generateKeyPair);

/** A key pair, and the X.509 certificate that names it when it has one. */
export interface Identity {
  /** The key's id as the protocol names it: a certificate serial (hex) or a `PUB_KEY_ID_…`. */
  id: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** PKCS#8 PEM of the private key. */
  privateKeyPem: string;
  /** SPKI PEM of the public key. */
  publicKeyPem: string;
  /** The certificate (PEM), for identities that have one. */
  certificatePem?: string;
}

/** A fresh RSA-2048 key pair (node:crypto, off the main thread). */
export async function createKeyPair(): Promise<{ privateKey: KeyObject; publicKey: KeyObject }> {
  return generateRsa('rsa', { modulusLength: 2048 });
}

/** `YYYYMMDDHHmmssZ`, the GeneralizedTime jsrsasign takes. */
function generalizedTime(date: Date): string {
  return `${date.toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`;
}

/**
 * What a certificate may be used for, which decides its extensions:
 * - `signing`: an end-entity key that signs and encrypts (the platform certificate);
 * - `client`: the same, and also TLS client authentication (the merchant API certificate, which
 *   signs APIv3 requests and is the APIv2 mutual-TLS certificate, as `apiclient_cert.pem` is);
 * - `server`: a TLS server certificate for the IP addresses given;
 * - `ca`: a certificate authority that issues the others.
 */
export type CertificateProfile = { kind: 'signing' } | { kind: 'client' } | { kind: 'server'; ipAddresses: string[] } | { kind: 'ca' };

/** What a certificate says about its subject and how long it lasts. */
export interface CertificateRequest {
  serial: string;
  subject: string;
  issuer: string;
  notBefore: Date;
  notAfter: Date;
  publicKey: KeyObject;
  /** The issuer's private key; signs the certificate. */
  issuerKey: KeyObject;
  /**
   * The issuer's public key (the subject's own for a self-signed certificate). It is named in
   * the authority key identifier, which OpenSSL matches against its candidate issuers: a wrong
   * one breaks the chain, so it is asked for rather than guessed.
   */
  issuerPublicKey: KeyObject;
  /** What the certificate is for; `signing` when omitted. */
  profile?: CertificateProfile;
}

/**
 * A key identifier: SHA-1 over the DER SubjectPublicKeyInfo. RFC 5280 allows any method that
 * yields unique ids; OpenSSL only uses them to pick a candidate issuer, and matches them as bytes.
 */
function keyIdentifier(key: KeyObject): string {
  return createHash('sha1').update(key.export({ type: 'spki', format: 'der' })).digest('hex');
}

/** The extensions of a profile, as jsrsasign takes them. */
function extensionsOf(profile: CertificateProfile): Array<{ extname: string } & Record<string, unknown>> {
  const endEntity = [
    { extname: 'basicConstraints', cA: false },
    { extname: 'keyUsage', critical: true, names: ['digitalSignature', 'keyEncipherment'] },
  ];
  switch (profile.kind) {
    case 'signing':
      return endEntity;
    case 'client':
      return [...endEntity, { extname: 'extKeyUsage', array: [{ name: 'clientAuth' }] }];
    case 'server':
      // Clients match an IP host against IP subjectAltNames only (RFC 6125), never against the CN.
      return [...endEntity, { extname: 'extKeyUsage', array: [{ name: 'serverAuth' }] }, { extname: 'subjectAltName', array: profile.ipAddresses.map((ip) => ({ ip })) }];
    case 'ca':
      return [
        { extname: 'basicConstraints', critical: true, cA: true },
        { extname: 'keyUsage', critical: true, names: ['keyCertSign', 'cRLSign'] },
      ];
  }
}

/** Issues an X.509 v3 certificate with jsrsasign (no openssl binary involved). */
export function issueCertificate(request: CertificateRequest): string {
  const certificate = new KJUR.asn1.x509.Certificate({
    version: 3,
    serial: { hex: request.serial },
    issuer: { str: request.issuer },
    subject: { str: request.subject },
    notbefore: generalizedTime(request.notBefore),
    notafter: generalizedTime(request.notAfter),
    sbjpubkey: request.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    ext: [
      ...extensionsOf(request.profile ?? { kind: 'signing' }),
      { extname: 'subjectKeyIdentifier', kid: { hex: keyIdentifier(request.publicKey) } },
      { extname: 'authorityKeyIdentifier', kid: { hex: keyIdentifier(request.issuerPublicKey) } },
    ],
    sigalg: 'SHA256withRSA',
    cakey: request.issuerKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  });
  return certificate.getPEM();
}

/** Wraps a key pair (and optional certificate) as an {@link Identity}. */
export function toIdentity(id: string, pair: { privateKey: KeyObject; publicKey: KeyObject }, certificatePem?: string): Identity {
  return {
    id,
    privateKey: pair.privateKey,
    publicKey: pair.publicKey,
    privateKeyPem: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    certificatePem,
  };
}
