import { generateKeyPair, type KeyObject } from 'node:crypto';
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
}

/** Issues an X.509 v3 end-entity certificate with jsrsasign (no openssl binary involved). */
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
      { extname: 'basicConstraints', cA: false },
      { extname: 'keyUsage', critical: true, names: ['digitalSignature', 'keyEncipherment'] },
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
