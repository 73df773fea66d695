import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { serve, type ServerType } from '@hono/node-server';
import { BodyConsumedError } from '../../lib';
import { isBodyTooLarge } from '../../lib/notifications/body-limit';
import { readFetchBody } from '../../lib/notifications/fetch-body';
import { post, postOversized } from '../support/notification-http';

const MAX = 4096;

describe('readFetchBody, on Requests node’s HTTP server hands over through @hono/node-server', () => {
  let server: ServerType;
  let url = '';
  /** Runs before the body is read, when a test wants to read it first. */
  let prepare: (request: Request) => Promise<unknown> = () => Promise.resolve();
  const outcomes: Array<{ body?: Buffer; error?: unknown; locked?: boolean }> = [];

  before(async () => {
    server = await new Promise<ServerType>((resolve) => {
      const started: ServerType = serve(
        {
          port: 0,
          hostname: '127.0.0.1',
          fetch: async (request: Request) => {
            await prepare(request);
            try {
              const body = await readFetchBody(request, MAX);
              outcomes.push({ body });
              return new Response(String(body.length));
            } catch (error) {
              outcomes.push({ error, locked: request.body?.locked });
              return new Response(null, { status: 413, headers: { Connection: 'close' } });
            }
          },
        },
        () => resolve(started),
      );
    });
    const address = server.address();
    assert.ok(address !== null && typeof address === 'object');
    url = `http://127.0.0.1:${address.port}/`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('resolves to the body byte for byte, up to exactly the bound; to an empty Buffer when there is none', async () => {
    const text = Buffer.from('{"summary":"支付成功","amount":1.50}');
    assert.equal((await post(url, {}, text)).body, String(text.length));
    assert.ok(outcomes.at(-1)!.body?.equals(text));
    assert.equal((await post(url, {}, Buffer.alloc(MAX))).body, String(MAX));
    assert.equal((await post(url, {}, '')).body, '0');
  });

  it('refuses a Content-Length over the bound before reading: the stream is not even locked', async () => {
    assert.equal((await postOversized(url, { announce: true, declared: MAX + 1, sent: 0 })).status, 413);
    const { error, locked } = outcomes.at(-1)!;
    assert.ok(isBodyTooLarge(error));
    assert.equal(locked, false);
  });

  it('stops at the first chunk past the bound of a chunked body', async () => {
    const answer = await postOversized(url, { announce: false, declared: 0, sent: 1024 * 1024 });
    assert.equal(answer.status, 413);
    assert.ok(answer.sentBeforeAnswer < 1024 * 1024);
    assert.match((outcomes.at(-1)!.error as Error).message, /over maxBodyBytes 4096 \(\d+ bytes arrived\)/);
  });

  it('refuses a body already read (bodyUsed) with BODY_CONSUMED, advising request.clone()', async () => {
    prepare = (request) => request.text();
    try {
      assert.equal((await post(url, {}, '{}')).status, 413);
    } finally {
      prepare = () => Promise.resolve();
    }
    const { error } = outcomes.at(-1)!;
    assert.ok(error instanceof BodyConsumedError);
    assert.match(error.message, /request\.clone\(\)/);
  });
});
