// The body-parser trap. A JSON body parser in front of the notification handler reads the stream
// and leaves an object: the bytes the signature covers are gone. Many parsers can keep them
// (NestJS `rawBody: true`, koa body parsers, `express.json({ verify })`); when one did, those are
// the raw body. When one did not, the notification cannot be verified: that is our configuration's
// fault, not the sender's, so it is a BODY_CONSUMED error answered 500 and delivered again later.
import type { IncomingMessage } from 'node:http';
import { BodyConsumedError } from '../errors';
import { readNodeBody } from './node-body';

/** Where a raw body may have been kept, and what to advise when none was. */
export interface KeptBodies {
  /** Objects a body parser may have put the raw bytes on, as `rawBody` (a Buffer or string), in the order to look. */
  holders: readonly object[];
  /** Parsed bodies that are the raw bytes themselves when they are a Buffer (`express.raw()`'s `req.body`). */
  parsed: readonly unknown[];
  /** What to change, for the BODY_CONSUMED message: "mount … before express.json(), or …". */
  advice: string;
}

/** The raw body a parser kept, if any: a `rawBody` Buffer or string, or a parsed body that is a Buffer. */
export function keptRawBody(kept: Pick<KeptBodies, 'holders' | 'parsed'>): Buffer | string | undefined {
  for (const holder of kept.holders) {
    const { rawBody } = holder as { rawBody?: unknown };
    if (Buffer.isBuffer(rawBody) || typeof rawBody === 'string') return rawBody;
  }
  return kept.parsed.find((body): body is Buffer => Buffer.isBuffer(body));
}

/** Whether something already read from the request's stream (or it is over): its bytes are no longer ours to read. */
export function bodyConsumed(request: IncomingMessage): boolean {
  return request.readableDidRead || request.readableEnded;
}

/**
 * The raw body of a node request behind whatever middleware ran first: the one a parser kept,
 * else the stream read within `maxBytes`; a {@link BodyConsumedError} carrying `advice` when a
 * parser read the stream and kept nothing.
 */
export async function rawBodyOf(request: IncomingMessage, maxBytes: number, kept: KeptBodies): Promise<Buffer | string> {
  const raw = keptRawBody(kept);
  if (raw !== undefined) return raw;
  if (bodyConsumed(request)) {
    throw new BodyConsumedError(`notification: the request body was already read by a body parser that kept no raw copy, so the signature cannot be checked: ${kept.advice}`);
  }
  return readNodeBody(request, maxBytes);
}
