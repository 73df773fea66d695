import { createHash, randomBytes, type Hash as Digest } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Transform, Writable, type Readable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import type { AxiosResponse } from 'axios';
import { InvalidOptionError, IncompleteHeadersError, HashMismatchError, MalformedBodyError, AnswerTooLargeError } from '../errors';
import { Hash } from '../crypto/hash';
import type { Wechatpay } from '../wechatpay';
import { responseHeader } from '../response-body';
import { listed } from '../listed';
import { unknownKey } from '../plain-object';
import { isUnsignedDownload } from '../v3/download-paths';

/**
 * The digest a download must match. Either the `hash_type` and `hash_value` the call that led to
 * the file gave (bills), or the name of an answer header holding its SHA-1 in hex
 * (`Wechatpay-Statement-Sha1` on `/v3/statements` and `/v3/global/statements`).
 */
export type ExpectedDigest = { hash_type: string; hash_value: string } | { header: string };

/** An unsigned file to fetch through the client (signed request, unverified answer) and check. */
export interface FileRequest {
  /** The path below `baseURL`, such as `v3/billdownload/file`; it must be one the gateway does not sign. */
  path: string;
  query?: Record<string, string>;
  expect: ExpectedDigest;
  /** Gunzip the body on the way; the digest is then over the decompressed bytes, which are what is kept. */
  gunzip?: boolean;
}

/** Where a download goes and how long it may take. */
export interface DownloadOptions {
  /**
   * Write the file here. It is streamed to a temporary file beside it and renamed into place
   * only once its digest matched; on any failure the temporary file is removed. Without `file`
   * the download resolves with the bytes in memory.
   */
  file?: string;
  signal?: AbortSignal;
  /**
   * Milliseconds the whole download may take, from the request to the last byte written
   * (ten minutes by default; 0 for none). The call that finds a bill's
   * `download_url` gets the same deadline.
   */
  timeout?: number;
  /**
   * The most bytes to keep (after gunzip); a larger file fails with `ERR_WECHATPAY_ANSWER_TOO_LARGE`
   * and leaves nothing behind. No limit by default: a bill is as large as the day's business.
   */
  maxBytes?: number;
  /**
   * Called as the body arrives, with the bytes received so far (as sent: compressed for a GZIP
   * bill) and the `Content-Length` when the gateway gave one.
   */
  onProgress?: (bytes: number, total?: number) => void;
}

/** What every finished download reports. */
export interface DownloadResult {
  /** The algorithm checked (`SHA1`). */
  hash_type: string;
  /** The digest the bytes matched, lower-case hex. */
  hash_value: string;
  /** How many bytes were kept (after gunzip). */
  bytes: number;
}

/** A download written to disk. */
export interface FileDownload extends DownloadResult {
  /** The destination path, now holding the checked bytes. */
  file: string;
}

/** A download held in memory. */
export interface BufferDownload extends DownloadResult {
  data: Buffer;
}

/** How long a whole download may take by default: ten minutes, enough for a large bill over a slow link. */
export const DOWNLOAD_TIMEOUT_MS = 10 * 60 * 1000;

/**
 * How many bytes each stage of a download may hold before it waits (gunzip's output chunk is a
 * quarter of it). Inflating runs on libuv's pool, the digest on the main thread, the write on the
 * pool again: with room for a few chunks in each stage the three overlap instead of taking turns.
 * On a 200 MB bill this halves the time of gunzip + digest + write against Node's 16–64 KiB
 * defaults (`npm run bench`), for a few MiB of memory.
 */
export const STAGE_BYTES = 1024 * 1024;

/** `hash_type` values the gateway uses, to node:crypto algorithms. */
const ALGORITHMS: Record<string, string> = { SHA1: 'sha1', SHA256: 'sha256' };

/** The fields of a {@link FileRequest}. */
const FILE_REQUEST_FIELDS = ['path', 'query', 'expect', 'gunzip'];

/** The names {@link DownloadOptions} takes. */
const DOWNLOAD_OPTIONS = ['file', 'signal', 'timeout', 'maxBytes', 'onProgress'];

/**
 * Counts and digests every byte passing through, failing once there are more than `maxBytes`.
 * It digests a chunk in a microtask, not in the call that hands it over: gunzip hands each chunk
 * over before it asks libuv's pool to inflate the next, so a digest taken there would leave the
 * pool idle; taken a moment later, it runs on the main thread while the pool inflates (on a
 * 200 MB bill, about a quarter off the download, `npm run bench`).
 */
class DigestTap extends Transform {
  bytes = 0;
  constructor(
    readonly digest: Digest,
    private readonly maxBytes: number,
  ) {
    super({ highWaterMark: STAGE_BYTES });
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) {
      callback(new AnswerTooLargeError(`the download is larger than maxBytes ${this.maxBytes}`));
      return;
    }
    queueMicrotask(() => {
      this.digest.update(chunk);
      callback(null, chunk);
    });
  }
}

/** Collects a stream in memory. */
class Collector extends Writable {
  readonly chunks: Buffer[] = [];
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.chunks.push(chunk);
    callback();
  }
}

function expectedOf(expect: ExpectedDigest, response: AxiosResponse): { hashType: string; value: string } {
  if ('header' in expect) {
    const value = responseHeader(response, expect.header.toLowerCase());
    if (value === undefined) {
      throw new IncompleteHeadersError(`response: the ${expect.header} header is missing`, { config: response.config, response });
    }
    return { hashType: 'SHA1', value };
  }
  return { hashType: expect.hash_type, value: expect.hash_value };
}

/**
 * Refuses download options that are not what {@link DownloadOptions} says (`file`, `onProgress`,
 * `maxBytes`), or not an object, naming `caller` (`downloadFile`, `downloadBill`): before anything
 * is sent.
 */
export function checkDownloadOptions(options: unknown, caller: string): asserts options is DownloadOptions {
  if (options === null || typeof options !== 'object') throw new InvalidOptionError(`${caller}: options must be an object ({ file?, signal?, timeout?, maxBytes?, onProgress? })`);
  // A misspelt `file` would otherwise hold the whole file in memory and write nothing.
  const unknown = unknownKey(options, DOWNLOAD_OPTIONS);
  if (unknown !== undefined) throw new InvalidOptionError(`${caller}: options.${unknown}: unknown; the options are ${listed(DOWNLOAD_OPTIONS)}`);
  const { file, onProgress, maxBytes } = options as Record<string, unknown>;
  if (file !== undefined && (typeof file !== 'string' || file === '')) throw new InvalidOptionError(`${caller}: file must be a non-empty path`);
  if (onProgress !== undefined && typeof onProgress !== 'function') throw new InvalidOptionError(`${caller}: onProgress must be a function`);
  if (maxBytes !== undefined && (typeof maxBytes !== 'number' || !(maxBytes >= 0))) throw new InvalidOptionError(`${caller}: maxBytes must be a number of bytes, at least 0`);
}

/** Refuses an `expect` that is neither `{ hash_type, hash_value }` (of a type this SDK checks) nor `{ header }`, naming it. */
function checkExpected(expect: unknown): void {
  const given = expect !== null && typeof expect === 'object' ? (expect as Record<string, unknown>) : undefined;
  if (given && typeof given.header === 'string' && given.header !== '') return;
  if (given && typeof given.hash_type === 'string' && typeof given.hash_value === 'string') {
    algorithmOf(given.hash_type);
    return;
  }
  throw new InvalidOptionError('downloadFile: expect must be { hash_type, hash_value } (as the bill call answers them) or { header } (the answer header that carries the digest)');
}

function algorithmOf(hashType: string): string {
  const algorithm = ALGORITHMS[hashType.toUpperCase()];
  if (!algorithm) throw new MalformedBodyError(`hash_type "${hashType}" is not one this SDK can check (SHA1, SHA256)`);
  return algorithm;
}

/** Reports the bytes passing through. */
function progressTap(report: (bytes: number, total?: number) => void, total: number | undefined): Transform {
  let bytes = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      bytes += chunk.length;
      report(bytes, total);
      callback(null, chunk);
    },
  });
}

/** Sends `source` (gunzipped when asked) through a digest into `sink`; settles once `sink` has everything. */
async function drain(response: AxiosResponse, request: FileRequest, options: DownloadOptions, tap: DigestTap, sink: Writable): Promise<void> {
  const stages: (Readable | Transform)[] = [response.data as Readable];
  if (options.onProgress) {
    const length = Number(response.headers['content-length']);
    stages.push(progressTap(options.onProgress, Number.isSafeInteger(length) && length >= 0 ? length : undefined));
  }
  if (request.gunzip === true) stages.push(createGunzip({ chunkSize: STAGE_BYTES / 4 }));
  await pipeline([...stages, tap, sink]);
}

/**
 * Fetches an unsigned file through the client and keeps it only if it matches its digest.
 * The request is signed like any other; the answer is not (the gateway does not sign files), so
 * the digest is what proves it. The body is streamed, so memory stays flat however large the
 * file, when it goes to disk. A mismatch rejects with a {@link VerificationError} whose code is
 * `HASH_MISMATCH`, and leaves nothing behind.
 *
 * @example A statement, whose SHA-1 comes in a header
 * ```ts
 * await downloadFile(wxpay, { path: 'v3/statements', query: { bill_date: '2026-11-24' }, expect: { header: 'Wechatpay-Statement-Sha1' } }, { file: '/var/bills/statement.csv' });
 * ```
 */
export function downloadFile(wxpay: Wechatpay, request: FileRequest, options: DownloadOptions & { file: string }): Promise<FileDownload>;
export function downloadFile(wxpay: Wechatpay, request: FileRequest, options?: Omit<DownloadOptions, 'file'>): Promise<BufferDownload>;
export async function downloadFile(wxpay: Wechatpay, request: FileRequest, options: DownloadOptions = {}): Promise<FileDownload | BufferDownload> {
  if (request === null || typeof request !== 'object') throw new InvalidOptionError('downloadFile: request must be { path, query?, expect, gunzip? }');
  const unknown = unknownKey(request, FILE_REQUEST_FIELDS);
  if (unknown !== undefined) throw new InvalidOptionError(`downloadFile: request.${unknown}: unknown; a file request takes ${listed(FILE_REQUEST_FIELDS)}`);
  checkDownloadOptions(options, 'downloadFile');
  if (typeof request.path !== 'string' || !/^[A-Za-z0-9._~\-/]+$/.test(request.path)) {
    throw new InvalidOptionError('downloadFile: path must be a plain path such as v3/billdownload/file');
  }
  // The client reads this path's answer unverified only because download-paths.ts lists it; any
  // other answer would be verified (and a file fails that), so say it here, before sending.
  if (!isUnsignedDownload(`/${request.path.replace(/^\/+/, '')}`)) {
    throw new InvalidOptionError(`downloadFile: ${request.path} is not a file the gateway sends unsigned (bills, statements, fapiao and transfer files); call it through the client, whose answer is verified`);
  }
  checkExpected(request.expect);
  const { maxBytes = Number.POSITIVE_INFINITY } = options;

  // The file's own limit is maxBytes, checked on the bytes kept; the client's answer limit is for signed answers.
  const response = await wxpay.chain(request.path).get({ query: request.query, responseType: 'stream', maxContentLength: -1, signal: options.signal, timeout: options.timeout ?? DOWNLOAD_TIMEOUT_MS });
  const body = response.data as Readable;
  let expected: { hashType: string; value: string };
  let tap: DigestTap;
  try {
    expected = expectedOf(request.expect, response);
    tap = new DigestTap(createHash(algorithmOf(expected.hashType)), maxBytes);
  } catch (error) {
    body.destroy();
    throw error;
  }
  const check = (): string => {
    const actual = tap.digest.digest('hex');
    if (Hash.equals(actual, expected.value.toLowerCase())) return actual;
    throw new HashMismatchError(
      `response: the downloaded file's ${expected.hashType} is ${actual}, but the gateway gave ${expected.value}`,
      { config: response.config, response },
    );
  };
  const hashType = expected.hashType.toUpperCase();

  if (options.file === undefined) {
    const collector = new Collector();
    await drain(response, request, options, tap, collector);
    const hash_value = check();
    return { hash_type: hashType, hash_value, bytes: tap.bytes, data: Buffer.concat(collector.chunks) };
  }

  const file = options.file;
  // Beside the destination, so the final rename stays on one file system and is atomic.
  const temporary = join(dirname(file), `.${basename(file)}.${randomBytes(6).toString('hex')}.part`);
  let handle;
  try {
    handle = await open(temporary, 'wx');
  } catch (error) {
    body.destroy();
    throw error;
  }
  try {
    await drain(response, request, options, tap, handle.createWriteStream({ highWaterMark: STAGE_BYTES }));
    const hash_value = check();
    await rename(temporary, file);
    return { hash_type: hashType, hash_value, bytes: tap.bytes, file };
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(temporary, { force: true });
    throw error;
  }
}
