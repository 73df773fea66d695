import { pipeline, Readable, Transform, type TransformCallback } from 'node:stream';
import type { AxiosResponse, InternalAxiosRequestConfig } from 'axios';
import { type WechatpayError, MalformedBodyError, AnswerTooLargeError } from './errors';

/** How many bytes a signed answer may have by default, counted after decompression (`maxContentLength`). */
export const MAX_ANSWER_BYTES = 4 * 1024 * 1024;

/** The limit the caller's `maxContentLength` set, kept here while axios is told to read without one. */
const LIMIT = Symbol('wechatpay.answerLimit');

interface LimitedConfig extends InternalAxiosRequestConfig {
  [LIMIT]?: number;
}

/**
 * Makes axios hand the answer over as a stream, decompressed but unread, so that the SDK reads it
 * itself: headers are judged before any of the body is read, and the body is counted against the
 * call's `maxContentLength` (-1 for none) as it arrives.
 */
export function streamAnswer(config: InternalAxiosRequestConfig): void {
  (config as LimitedConfig)[LIMIT] = config.maxContentLength ?? -1;
  config.maxContentLength = -1;
  config.responseType = 'stream';
  config.transformResponse = [];
}

function limitOf(response: AxiosResponse): number {
  const limit = (response.config as LimitedConfig)[LIMIT];
  return limit === undefined || limit < 0 ? Number.POSITIVE_INFINITY : limit;
}

function tooLarge(response: AxiosResponse, limit: number, what: string): WechatpayError {
  return new AnswerTooLargeError(
    `the answer is larger than maxContentLength ${limit} bytes (${what}); raise the call's maxContentLength if it is genuine`,
    { config: response.config, response },
  );
}

/** Stops reading an answer that will not be used: its connection is closed rather than drained. */
export function discardAnswer(response: AxiosResponse): void {
  const data = response.data as { destroy?: () => void; cancel?: () => Promise<void> } | undefined;
  if (typeof data?.destroy === 'function') data.destroy();
  else if (typeof data?.cancel === 'function') data.cancel().catch(() => undefined);
}

/**
 * Reads a streamed answer's whole body, at most `maxContentLength` bytes after decompression: a
 * `Content-Length` above it is refused before reading, and a body that grows past it (a gzip
 * bomb, say) is cut off there.
 */
export async function readAnswer(response: AxiosResponse): Promise<Buffer> {
  const limit = limitOf(response);
  const data: unknown = response.data;
  if (!isAsyncIterable(data)) {
    const raw = rawBody(data);
    if (raw.length > limit) throw tooLarge(response, limit, `${raw.length} bytes`);
    return raw;
  }
  const declared = Number(responseHeader(response, 'content-length'));
  if (declared > limit) {
    discardAnswer(response);
    throw tooLarge(response, limit, `Content-Length ${declared}`);
  }
  if (data instanceof Readable) return collect(data, limit, response);
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of data) {
    const bytes = Buffer.from(chunk as Uint8Array);
    total += bytes.length;
    if (total > limit) {
      discardAnswer(response);
      throw tooLarge(response, limit, 'counted after decompression');
    }
    chunks.push(bytes);
  }
  return Buffer.concat(chunks, total);
}

/** {@link readAnswer} for a Node stream, by its events (an async iterator costs more per answer). */
function collect(stream: Readable, limit: number, response: AxiosResponse): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    stream.on('data', (chunk: Buffer) => {
      total += chunk.length;
      if (total <= limit) return void chunks.push(chunk);
      stream.destroy();
      reject(tooLarge(response, limit, 'counted after decompression'));
    });
    let ended = false;
    stream.once('end', () => {
      ended = true;
      resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total));
    });
    stream.once('error', reject);
    // A stream destroyed without an error (the caller gave up) has no end to wait for.
    stream.once('close', () => {
      if (!ended) reject(new MalformedBodyError('the answer was closed before its end', { config: response.config, response }));
    });
  });
}

/** The answer's stream, failing with `ERR_WECHATPAY_ANSWER_TOO_LARGE` once it passes `maxContentLength`. */
export function limitAnswer(response: AxiosResponse): unknown {
  const limit = limitOf(response);
  const source = response.data as NodeJS.ReadableStream;
  if (limit === Number.POSITIVE_INFINITY || typeof source.pipe !== 'function') return source;
  let total = 0;
  const limited = new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      total += chunk.length;
      callback(total > limit ? tooLarge(response, limit, 'counted after decompression') : null, chunk);
    },
  });
  // The pipeline closes the connection when the limit is passed, and passes the source's errors on.
  return pipeline(source, limited, () => undefined);
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return value !== null && typeof value === 'object' && Symbol.asyncIterator in value;
}

/** An answer's body as the bytes received (axios hands over a Buffer, an ArrayBuffer or, after a transform, text). */
export function rawBody(data: unknown): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (data instanceof ArrayBuffer) return Buffer.from(data);
  return Buffer.from(typeof data === 'string' ? data : '');
}

/** One header of an answer by its lower-case name; an empty value counts as absent. */
export function responseHeader(response: AxiosResponse, name: string): string | undefined {
  const value: unknown = response.headers[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}
