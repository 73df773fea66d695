// Reads a Fetch `Request`'s body (Next.js route handlers, Hono, Bun, Deno, workers) within a bound,
// and stops the moment the bound is passed.
import { BodyConsumedError } from '../errors';
import { announcedTooLarge, bodyTooLarge } from './body-limit';

/** What is read of a Fetch `Request`: its headers and its body stream. */
export interface FetchLikeRequest {
  readonly headers: { get(name: string): string | null };
  readonly body: ReadableStream<Uint8Array> | null;
  readonly bodyUsed: boolean;
}

/**
 * The body of `request`, at most `maxBytes`: a `Content-Length` over the bound is refused before
 * any byte is read, and the stream is cancelled at the first chunk past it. A body someone already
 * read (`request.json()`, `request.text()`) is a {@link BodyConsumedError}.
 */
export async function readFetchBody(request: FetchLikeRequest, maxBytes: number): Promise<Buffer> {
  if (request.bodyUsed) {
    throw new BodyConsumedError('notification: the Request body was already read (request.json(), request.text(), …): hand the Request to the notification handler before anything reads it, or pass request.clone()');
  }
  const announced = announcedTooLarge(request.headers.get('content-length'), maxBytes);
  if (announced) throw announced;
  if (request.body === null) return Buffer.alloc(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return Buffer.concat(chunks, size);
    size += value.byteLength;
    if (size > maxBytes) {
      // Not awaited: the refusal does not wait for the sender; a failing cancel has nothing to tell.
      reader.cancel().catch(() => undefined);
      throw bodyTooLarge(`${size} bytes arrived`, maxBytes);
    }
    chunks.push(value);
  }
}
