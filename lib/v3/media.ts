import { createHash, randomBytes } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { invalidArgument } from '../crypto/arguments';
import { OptionError, InvalidArgumentError } from '../errors';

/**
 * The largest file {@link MediaUpload.from} reads. The gateway itself caps images at 2 to 5 MiB and
 * videos at 5 MiB (PDF 7.5 MiB); the margin leaves that judgement to it, while a wrong path (a
 * disk image, a log) fails here before it is read into memory.
 */
export const MAX_MEDIA_BYTES = 16 * 1024 * 1024;

/** What to upload: a path (or `file://` URL), the bytes, or a readable stream of them. */
export type MediaInput = string | URL | Buffer | Uint8Array | NodeJS.ReadableStream | AsyncIterable<Uint8Array | string>;

/** How to describe the file; both are taken from the path when there is one. */
export interface MediaOptions {
  /** The name sent in `meta` and in the file part; required for bytes and streams without a path. */
  filename?: string;
  /** The file part's Content-Type; by default from the filename's extension (`image/png`, `video/mp4`, …). */
  contentType?: string;
}

/** A multipart/form-data body: the bytes to send and the Content-Type header naming its boundary. */
export interface MultipartBody {
  contentType: string;
  body: Buffer;
}

/** The file types WeChat Pay's upload endpoints take; anything else goes as application/octet-stream. */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.bmp': 'image/bmp',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.pdf': 'application/pdf',
  '.mp4': 'video/mp4',
  '.m4v': 'video/x-m4v',
  '.mov': 'video/quicktime',
  '.avi': 'video/x-msvideo',
  '.wmv': 'video/x-ms-wmv',
  '.mpeg': 'video/mpeg',
  '.mpg': 'video/mpeg',
  '.mkv': 'video/x-matroska',
  '.flv': 'video/x-flv',
  '.f4v': 'video/x-f4v',
  '.rmvb': 'application/vnd.rn-realmedia-vbr',
};

/** `type/subtype` with optional parameters, and nothing that could end the header line. */
const CONTENT_TYPE = /^[\w.+-]+\/[\w.+-]+(?:\s*;\s*[\w.+-]+=(?:[\w.+-]+|"[^"\\\r\n]*"))*$/;
/** A double quote would end `filename="…"` early; control characters would break the part's headers. */
// eslint-disable-next-line no-control-regex
const UNSAFE_FILENAME = /["\\\u0000-\u001f\u007f]/;

const FILE = 'MediaUpload.from: file';
const FILENAME = 'MediaUpload.from: options.filename';

/** The Content-Type WeChat Pay expects for a file of this name, by its extension. */
export function mediaContentType(filename: string): string {
  return CONTENT_TYPES[extname(filename).toLowerCase()] ?? 'application/octet-stream';
}

function tooLarge(size: number): InvalidArgumentError {
  return invalidArgument(FILE, `is ${size} bytes, over the ${MAX_MEDIA_BYTES}-byte limit`);
}

function unreadable(what: string, cause: unknown): InvalidArgumentError {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  return new InvalidArgumentError(`${FILE}: cannot read ${what}${code ? ` (${code})` : ''}`, { cause });
}

async function readPath(path: string): Promise<Buffer> {
  try {
    // The size first, so an oversize file is refused without reading it.
    const info = await stat(path);
    if (!info.isFile()) throw invalidArgument(FILE, `${path} is not a regular file`);
    if (info.size > MAX_MEDIA_BYTES) throw tooLarge(info.size);
    const bytes = await readFile(path);
    if (bytes.length > MAX_MEDIA_BYTES) throw tooLarge(bytes.length);
    return bytes;
  } catch (error) {
    if (error instanceof OptionError) throw error;
    throw unreadable(path, error);
  }
}

/** Reads a stream to its end, stopping (and destroying it) as soon as it passes the limit. */
async function readStream(stream: AsyncIterable<unknown>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk instanceof Uint8Array ? chunk : undefined;
      if (!bytes) throw invalidArgument(FILE, `the stream gave a ${chunk === null ? 'null' : typeof chunk} chunk, not bytes`);
      size += bytes.length;
      // Leaving the loop destroys the stream, so nothing more is read.
      if (size > MAX_MEDIA_BYTES) throw tooLarge(size);
      chunks.push(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    }
  } catch (error) {
    if (error instanceof OptionError) throw error;
    throw unreadable('the stream', error);
  }
  return Buffer.concat(chunks, size);
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return value !== null && typeof value === 'object' && typeof (value as Record<symbol, unknown>)[Symbol.asyncIterator] === 'function';
}

/** The path a string, URL or `fs.createReadStream` stream stands for, if any. */
function pathOf(input: unknown): string | undefined {
  try {
    if (input instanceof URL) return fileURLToPath(input);
    if (typeof input === 'string') return input.startsWith('file://') ? fileURLToPath(input) : input;
  } catch (cause) {
    throw new InvalidArgumentError(`${FILE}: ${String(input).slice(0, 200)} is not a file path or a valid file:// URL`, { cause });
  }
  const streamPath = isAsyncIterable(input) ? (input as { path?: unknown }).path : undefined;
  return typeof streamPath === 'string' ? streamPath : undefined;
}

function checkFilename(filename: unknown): string {
  if (typeof filename !== 'string') throw invalidArgument(FILENAME, `expected a string, got ${filename === null ? 'null' : typeof filename}`);
  if (filename === '') throw invalidArgument(FILENAME, 'is empty');
  if (UNSAFE_FILENAME.test(filename)) throw invalidArgument(FILENAME, 'must not contain a double quote, a backslash or a control character');
  if (Buffer.byteLength(filename) > 255) throw invalidArgument(FILENAME, 'is over 255 bytes');
  return filename;
}

/**
 * A file ready to go to one of the APIv3 upload endpoints (`v3/merchant/media/upload`,
 * `…/video_upload`, `v3/marketing/favor/media/image-upload`, `v3/merchant-service/images/upload`,
 * …): its bytes, their SHA-256 and the `meta` JSON the request signature covers. Give it to a
 * call as the `media` option; the signer then signs `meta` and sends a multipart/form-data body
 * with the `meta` part and the `file` part.
 *
 * @example
 * ```ts
 * const upload = await MediaUpload.from('./shop-front.png');
 * const { data } = await wxpay.v3.merchant.media.upload.post({ media: upload });
 * data.media_id;
 * await wxpay.v3.merchant.media.video_upload.post({ media: await MediaUpload.from(buffer, { filename: 'intro.mp4' }) });
 * ```
 */
export class MediaUpload {
  /** The `meta` part exactly as sent and signed: `{"filename":"…","sha256":"…"}`. */
  readonly meta: string;

  private constructor(
    /** The file's bytes. */
    readonly file: Buffer,
    /** The name sent in `meta` and in the file part. */
    readonly filename: string,
    /** The file part's Content-Type. */
    readonly contentType: string,
    /** Lower-case hex SHA-256 of {@link file}. */
    readonly sha256: string,
  ) {
    this.meta = JSON.stringify({ filename, sha256 });
  }

  /**
   * Reads `input` once, fully (at most {@link MAX_MEDIA_BYTES}), and hashes it: a path or
   * `file://` URL, a Buffer or Uint8Array, or a readable stream (an `fs.createReadStream` stream
   * names its file; for other streams and bytes give `filename`). A wrong, unreadable or oversize
   * input rejects with an {@link OptionError} (`ERR_WECHATPAY_INVALID_ARGUMENT`) naming it.
   */
  static async from(input: MediaInput, options: MediaOptions = {}): Promise<MediaUpload> {
    if (options === null || typeof options !== 'object') throw invalidArgument('MediaUpload.from: options', 'expected an object');
    const path = pathOf(input);
    let file: Buffer;
    if (typeof input === 'string' || input instanceof URL) file = await readPath(path as string);
    else if (input instanceof Uint8Array) {
      if (input.byteLength > MAX_MEDIA_BYTES) throw tooLarge(input.byteLength);
      file = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
    } else if (isAsyncIterable(input)) file = await readStream(input);
    else throw invalidArgument(FILE, `expected a path, a Buffer or a readable stream, got ${input === null ? 'null' : typeof input}`);
    if (file.length === 0) throw invalidArgument(FILE, 'is empty');

    if (options.filename === undefined && path === undefined) throw invalidArgument(FILENAME, 'is required when the file is given as bytes or a stream without a path');
    const filename = checkFilename(options.filename ?? basename(path as string));
    const contentType = options.contentType ?? mediaContentType(filename);
    if (typeof contentType !== 'string' || !CONTENT_TYPE.test(contentType)) throw invalidArgument('MediaUpload.from: options.contentType', 'expected a media type such as image/png');
    return new MediaUpload(file, filename, contentType, createHash('sha256').update(file).digest('hex'));
  }

  /**
   * The multipart/form-data body (RFC 7578): the `meta` part (application/json) and the `file`
   * part, under a fresh random boundary that occurs nowhere in the file.
   */
  toMultipart(): MultipartBody {
    let boundary: string;
    do boundary = `wechatpay-ts-${randomBytes(16).toString('hex')}`;
    while (this.file.includes(boundary));
    const head = (disposition: string, type: string) => `--${boundary}\r\nContent-Disposition: form-data; ${disposition}\r\nContent-Type: ${type}\r\n\r\n`;
    const body = Buffer.concat([
      Buffer.from(`${head('name="meta"', 'application/json')}${this.meta}\r\n`),
      Buffer.from(head(`name="file"; filename="${this.filename}"`, this.contentType)),
      this.file,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    return { contentType: `multipart/form-data; boundary=${boundary}`, body };
  }
}
