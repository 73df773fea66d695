import { randomBytes, type KeyObject } from 'node:crypto';
import { Formatter } from '../formatter';
import { keptKeys, KEYS_DIR_ENV } from './kept-keys';
import { createKeyPair, issueCertificate, toIdentity, type CertificateProfile, type Identity } from './pki';

/** Every key and certificate of one sandbox merchant. */
export interface Keys {
  /** The sandbox's root CA: issues the merchant, platform and server certificates. */
  ca: Identity;
  /** The merchant API certificate: signs APIv3 requests, and is the APIv2 mutual-TLS client certificate. */
  merchant: Identity;
  platformCertificate: Identity;
  platformPublicKey: Identity;
  /** The HTTPS server certificate for 127.0.0.1. */
  server: Identity;
  /** The merchant's APIv3 key: 32 characters, as the merchant platform issues them. */
  apiv3Key: string;
  /** The merchant's APIv2 key (API密钥): 32 characters too. */
  apiv2Secret: string;
}

const YEAR_MS = 365 * 24 * 3600 * 1000;

/**
 * The id of merchant `mchid`'s WeChat Pay public key, shaped as the merchant platform's are: the
 * merchant id inside, so two merchants' sandboxes never share an id (a key file kept from before
 * keeps the id it was written with, which the clients configured from it name).
 */
function publicKeyId(mchid: string): string {
  return `PUB_KEY_ID_01${mchid}2026010100000000000001`;
}
const ISSUER = '/C=CN/O=wechatpay-ts sandbox/CN=Sandbox Root CA';
const PLATFORM_SUBJECT = '/C=CN/O=Tenpay.com/OU=Tenpay.com CA Center/CN=Tenpay.com sign';
/** The address the sandbox listens on, and its server certificate names. */
export const LOOPBACK = '127.0.0.1';

/** A positive 20-byte serial in upper-case hex, as the platform issues them. */
export function serialHex(): string {
  // A positive 20-byte serial, upper-case hex, as the platform issues them.
  const bytes = randomBytes(20);
  bytes[0] = (bytes[0] & 0x7f) | 0x10;
  return bytes.toString('hex').toUpperCase();
}

async function createKeys(mchid: string): Promise<Keys> {
  const [ca, merchant, platform, publicKey, server] = await Promise.all([createKeyPair(), createKeyPair(), createKeyPair(), createKeyPair(), createKeyPair()]);
  const notBefore = new Date(Date.now() - 24 * 3600 * 1000);
  const notAfter = new Date(notBefore.getTime() + 5 * YEAR_MS);
  const certify = (pair: { publicKey: KeyObject; privateKey: KeyObject }, subject: string, profile: CertificateProfile) => {
    const serial = serialHex();
    return toIdentity(serial, pair, issueCertificate({ serial, subject, issuer: ISSUER, notBefore, notAfter, publicKey: pair.publicKey, issuerKey: ca.privateKey, issuerPublicKey: ca.publicKey, profile }));
  };
  const caSerial = serialHex();
  return {
    ca: toIdentity(caSerial, ca, issueCertificate({ serial: caSerial, subject: ISSUER, issuer: ISSUER, notBefore, notAfter, publicKey: ca.publicKey, issuerKey: ca.privateKey, issuerPublicKey: ca.publicKey, profile: { kind: 'ca' } })),
    merchant: certify(merchant, `/C=CN/O=Sandbox Merchant/OU=${mchid}/CN=${mchid}`, { kind: 'client' }),
    platformCertificate: certify(platform, PLATFORM_SUBJECT, { kind: 'signing' }),
    platformPublicKey: toIdentity(publicKeyId(mchid), publicKey),
    server: certify(server, `/C=CN/O=wechatpay-ts sandbox/CN=${LOOPBACK}`, { kind: 'server', ipAddresses: [LOOPBACK] }),
    apiv3Key: Formatter.nonce(32),
    apiv2Secret: Formatter.nonce(32),
  };
}

/** Key generation is the slow part of a start; one set per merchant id (and folder) serves every sandbox of a process. */
const keyCache = new Map<string, Promise<Keys>>();

/**
 * The keys of merchant `mchid`: made on the first start, shared by every later sandbox of the
 * process. With `keysDir` (by default the folder `WECHATPAY_SANDBOX_KEYS_DIR` names, if it is
 * set), kept there across processes: read when a file has them, else made and written.
 */
export function sandboxKeys(mchid: string, keysDir: string | undefined = process.env[KEYS_DIR_ENV] || undefined): Promise<Keys> {
  const cacheKey = `${keysDir ?? ''}\n${mchid}`;
  let pending = keyCache.get(cacheKey);
  if (!pending) {
    pending = keysDir === undefined ? createKeys(mchid) : keptKeys(keysDir, mchid, () => createKeys(mchid));
    // A failed read is not remembered: the next start tries again.
    pending.catch(() => keyCache.delete(cacheKey));
    keyCache.set(cacheKey, pending);
  }
  return pending;
}

/** A new platform certificate issued by the sandbox CA, valid for five years from a minute ago: what a rotation brings. */
export async function issuePlatformCertificate(ca: Identity): Promise<Identity> {
  const pair = await createKeyPair();
  const serial = serialHex();
  const notBefore = new Date(Date.now() - 60 * 1000);
  const certificate = issueCertificate({
    serial,
    subject: PLATFORM_SUBJECT,
    issuer: ISSUER,
    notBefore,
    notAfter: new Date(notBefore.getTime() + 5 * YEAR_MS),
    publicKey: pair.publicKey,
    issuerKey: ca.privateKey,
    issuerPublicKey: ca.publicKey,
    profile: { kind: 'signing' },
  });
  return toIdentity(serial, pair, certificate);
}

