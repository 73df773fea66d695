// Reads a node request's body (an IncomingMessage, as node:http, express, koa and NestJS hand
// it over) within a bound, and stops the moment the bound is passed.
import type { IncomingMessage } from 'node:http';
import { announcedTooLarge, bodyTooLarge } from './body-limit';

/** The error of a request that closed before its body ended (the client went away). */
function cutShort(): Error {
  return Object.assign(new Error('notification: the request was closed before its body ended'), { code: 'ECONNRESET' });
}

/**
 * The body of `request`, at most `maxBytes`. A `Content-Length` over the bound is refused before
 * any byte is read; otherwise the bytes are counted as they come, and the first chunk past the
 * bound stops the reading: the stream is paused and what is still on its way is never buffered
 * (the refusal's answer closes the connection). A request that ends early (the client went away)
 * rejects with the stream's error; the promise always settles once.
 */
export function readNodeBody(request: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const announced = announcedTooLarge(request.headers['content-length'], maxBytes);
  if (announced) return Promise.reject(announced);
  if (request.destroyed) return Promise.reject(cutShort());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = (): void => {
      request.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > maxBytes) {
        stop();
        request.pause();
        reject(bodyTooLarge(`${size} bytes arrived`, maxBytes));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      stop();
      resolve(Buffer.concat(chunks, size));
    };
    const onError = (error: Error): void => {
      stop();
      reject(error);
    };
    // 'close' before 'end': the request was cut short, and no 'error' may follow it.
    const onClose = (): void => {
      stop();
      reject(cutShort());
    };
    request.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
  });
}
