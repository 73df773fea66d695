import { createHash, createHmac, randomBytes, X509Certificate, type KeyObject } from 'node:crypto';

/*
 * A PKCS#12 (RFC 7292) writer: just enough DER to hold one private key and its certificate, the
 * shape of WeChat Pay's `apiclient_cert.p12`. Node can read PFX files (through OpenSSL) but not
 * write them, jsrsasign does neither, and the sandbox must not shell out to an openssl binary.
 * The key bag is node's own encrypted PKCS#8 (PBES2: PBKDF2-HMAC-SHA256 + AES-256-CBC); the
 * integrity MAC is HMAC-SHA256 with the PKCS#12 key derivation. These are OpenSSL 3's defaults,
 * which every current reader accepts.
 */

const OID = {
  data: '1.2.840.113549.1.7.1',
  pkcs8ShroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
  certBag: '1.2.840.113549.1.12.10.1.3',
  x509Certificate: '1.2.840.113549.1.9.22.1',
  friendlyName: '1.2.840.113549.1.9.20',
  localKeyId: '1.2.840.113549.1.9.21',
  sha256: '2.16.840.1.101.3.4.2.1',
} as const;

/** OpenSSL's default iteration count for the MAC key. */
const MAC_ITERATIONS = 2048;
/** SHA-256's output and block sizes, `u` and `v` of RFC 7292 appendix B. */
const HASH_SIZE = 32;
const BLOCK_SIZE = 64;
/** The PKCS#12 KDF's purpose byte for a MAC key. */
const MAC_KEY_ID = 3;

function tlv(tag: number, ...contents: Buffer[]): Buffer {
  const body = Buffer.concat(contents);
  if (body.length < 0x80) return Buffer.concat([Buffer.from([tag, body.length]), body]);
  const length: number[] = [];
  for (let rest = body.length; rest > 0; rest = Math.floor(rest / 256)) length.unshift(rest % 256);
  return Buffer.concat([Buffer.from([tag, 0x80 | length.length, ...length]), body]);
}

const sequence = (...items: Buffer[]): Buffer => tlv(0x30, ...items);
const set = (...items: Buffer[]): Buffer => tlv(0x31, ...items);
const octets = (bytes: Buffer): Buffer => tlv(0x04, bytes);
const explicit0 = (item: Buffer): Buffer => tlv(0xa0, item);
const NULL = Buffer.from([0x05, 0x00]);

function integer(value: number): Buffer {
  const bytes: number[] = [];
  for (let rest = value; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  // DER integers are signed: a leading byte with its top bit set needs a zero before it.
  if (bytes.length === 0 || bytes[0] >= 0x80) bytes.unshift(0);
  return tlv(0x02, Buffer.from(bytes));
}

function oid(dotted: string): Buffer {
  const [first, second, ...rest] = dotted.split('.').map(Number);
  const bytes = [first * 40 + second];
  for (const arc of rest) {
    const base128 = [arc % 128];
    for (let high = Math.floor(arc / 128); high > 0; high = Math.floor(high / 128)) base128.unshift((high % 128) | 0x80);
    bytes.push(...base128);
  }
  return tlv(0x06, Buffer.from(bytes));
}

/** UTF-16BE, as ASN.1 BMPString and the PKCS#12 password encoding both want. */
function bmp(text: string): Buffer {
  return Buffer.from(text, 'utf16le').swap16();
}

const contentInfo = (content: Buffer): Buffer => sequence(oid(OID.data), explicit0(octets(content)));
const attribute = (type: string, value: Buffer): Buffer => sequence(oid(type), set(value));

/** Repeats `data` to fill whole `BLOCK_SIZE` blocks (nothing for empty data), per RFC 7292 B.2. */
function fillBlocks(data: Buffer): Buffer {
  const out = Buffer.alloc(BLOCK_SIZE * Math.ceil(data.length / BLOCK_SIZE));
  for (let i = 0; i < out.length; i++) out[i] = data[i % data.length];
  return out;
}

/** The PKCS#12 key derivation (RFC 7292 appendix B.2) with SHA-256, for `size` ≤ 32 bytes. */
function pkcs12Key(passphrase: string, salt: Buffer, id: number, iterations: number, size: number): Buffer {
  // One hash output covers the MAC key, so the input-update step of B.2 (for longer keys) is left out.
  if (size > HASH_SIZE) throw new RangeError('pkcs12Key: keys longer than one SHA-256 output are not needed here');
  const password = Buffer.concat([bmp(passphrase), Buffer.alloc(2)]); // a NUL-terminated BMPString
  const input = Buffer.concat([fillBlocks(salt), fillBlocks(password)]);
  let digest = createHash('sha256').update(Buffer.alloc(BLOCK_SIZE, id)).update(input).digest();
  for (let round = 1; round < iterations; round++) digest = createHash('sha256').update(digest).digest();
  return digest.subarray(0, size);
}

/** What goes into a PFX: a private key, its certificate, and the passphrase that protects both. */
export interface PfxContents {
  privateKey: KeyObject;
  certificatePem: string;
  passphrase: string;
  /** The name readers show for the pair. */
  friendlyName?: string;
}

/**
 * Builds a PKCS#12 file holding `privateKey` (encrypted under `passphrase`) and its certificate,
 * MAC-protected with the same passphrase, ready for `https.Agent({ pfx, passphrase })`.
 */
export function buildPfx({ privateKey, certificatePem, passphrase, friendlyName = 'sandbox merchant' }: PfxContents): Buffer {
  const certificate = new X509Certificate(certificatePem);
  if (!certificate.checkPrivateKey(privateKey)) {
    throw new RangeError('buildPfx: the private key does not belong to the certificate');
  }
  // The same local key id on both bags is how readers pair a key with its certificate.
  const localKeyId = createHash('sha1').update(certificate.raw).digest();
  const attributes = set(attribute(OID.friendlyName, tlv(0x1e, bmp(friendlyName))), attribute(OID.localKeyId, octets(localKeyId)));
  const certBag = sequence(oid(OID.certBag), explicit0(sequence(oid(OID.x509Certificate), explicit0(octets(certificate.raw)))), attributes);
  const encryptedKey = privateKey.export({ type: 'pkcs8', format: 'der', cipher: 'aes-256-cbc', passphrase });
  const keyBag = sequence(oid(OID.pkcs8ShroudedKeyBag), explicit0(encryptedKey), attributes);
  const authenticatedSafe = sequence(contentInfo(sequence(certBag)), contentInfo(sequence(keyBag)));
  const salt = randomBytes(8);
  const mac = createHmac('sha256', pkcs12Key(passphrase, salt, MAC_KEY_ID, MAC_ITERATIONS, HASH_SIZE)).update(authenticatedSafe).digest();
  const macData = sequence(sequence(sequence(oid(OID.sha256), NULL), octets(mac)), octets(salt), integer(MAC_ITERATIONS));
  return sequence(integer(3), contentInfo(authenticatedSafe), macData);
}
