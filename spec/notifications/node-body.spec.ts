import assert from 'node:assert/strict';
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { isBodyTooLarge } from '../../lib/notifications/body-limit';
import { readNodeBody } from '../../lib/notifications/node-body';
import { close, listen, post, postOversized } from '../support/notification-http';

const MAX = 4096;

/** What the server made of one request's body, and the state of the stream then. */
interface Outcome {
  body?: Buffer;
  error?: unknown;
  didRead: boolean;
  paused: boolean;
}

describe('readNodeBody', () => {
  let server: Server;
  let url = '';
  const outcomes: Array<Promise<Outcome>> = [];
  /** Runs before the body is read, when a test wants to spoil the request first. */
  let prepare: (request: IncomingMessage) => void = () => undefined;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => void unhandled.push(reason);

  before(async () => {
    process.on('unhandledRejection', onUnhandled);
    server = createServer((request, response) => {
      prepare(request);
      const outcome = readNodeBody(request, MAX).then(
        (body): Outcome => ({ body, didRead: request.readableDidRead, paused: request.isPaused() }),
        (error: unknown): Outcome => ({ error, didRead: request.readableDidRead, paused: request.isPaused() }),
      );
      outcomes.push(outcome);
      void outcome.then(({ body }) => {
        if (!response.destroyed) response.writeHead(body ? 200 : 413, { Connection: body ? 'keep-alive' : 'close' }).end(body ? String(body.length) : '');
      });
    });
    url = await listen(server);
  });
  after(async () => {
    process.off('unhandledRejection', onUnhandled);
    await close(server);
    assert.deepEqual(unhandled, [], 'no unhandled rejection');
  });

  it('resolves to the body byte for byte, however it was cut into chunks', async () => {
    const text = Buffer.from('{"summary":"支付成功","amount":1.50}');
    await new Promise<void>((resolve, reject) => {
      const outgoing = httpRequest(url, { method: 'POST' }, (incoming) => incoming.resume().on('end', resolve));
      outgoing.on('error', reject);
      // Split inside the three bytes of 支: the reader must not decode on the way.
      for (let at = 0; at < text.length; at += 7) outgoing.write(text.subarray(at, at + 7));
      outgoing.end();
    });
    const { body, error } = await outcomes.at(-1)!;
    assert.equal(error, undefined);
    assert.ok(body?.equals(text));
  });

  it('accepts a body of exactly the bound, and an empty one', async () => {
    assert.equal((await post(url, {}, Buffer.alloc(MAX, 0x61))).body, String(MAX));
    assert.equal((await post(url, {}, '')).body, '0');
  });

  it('refuses a Content-Length over the bound before reading any byte', async () => {
    const answer = await postOversized(url, { announce: true, declared: MAX + 1, sent: 0 });
    assert.equal(answer.status, 413);
    const { error, didRead } = await outcomes.at(-1)!;
    assert.ok(isBodyTooLarge(error));
    assert.match((error as Error).message, /Content-Length announces 4097 bytes/);
    assert.equal(didRead, false, 'the stream was never read');
  });

  it('stops at the first chunk past the bound of a chunked body, and pauses the stream', async () => {
    const answer = await postOversized(url, { announce: false, declared: 0, sent: 1024 * 1024 });
    assert.equal(answer.status, 413);
    assert.ok(answer.sentBeforeAnswer < 1024 * 1024);
    const { error, paused } = await outcomes.at(-1)!;
    assert.ok(isBodyTooLarge(error));
    assert.match((error as Error).message, /over maxBodyBytes 4096 \(\d+ bytes arrived\)/);
    assert.equal(paused, true);
  });

  it('rejects, without an unhandled rejection, when the client goes away mid-body', async () => {
    const count = outcomes.length;
    const outgoing = httpRequest(url, { method: 'POST', headers: { 'Content-Length': '1000' } });
    outgoing.on('error', () => undefined);
    outgoing.write(Buffer.alloc(100));
    while (outcomes.length === count) await new Promise((resolve) => setTimeout(resolve, 5));
    outgoing.destroy();
    const { error } = await outcomes.at(-1)!;
    assert.equal((error as { code?: string }).code, 'ECONNRESET');
  });

  it('rejects a request destroyed before its body was read', async () => {
    prepare = (request) => request.destroy();
    try {
      await post(url, {}, '{}').catch(() => undefined);
    } finally {
      prepare = () => undefined;
    }
    const { error } = await outcomes.at(-1)!;
    assert.equal((error as { code?: string }).code, 'ECONNRESET');
  });
});
