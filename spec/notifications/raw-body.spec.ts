import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { BodyConsumedError, ErrorCode } from '../../lib';
import { bodyConsumed, keptRawBody, rawBodyOf, type KeptBodies } from '../../lib/notifications/raw-body';
import { close, listen, post } from '../support/notification-http';

const ADVICE = 'mount it first';

/** How a stand-in middleware treats the request before rawBodyOf sees it. */
type Before = (request: IncomingMessage) => Promise<Partial<KeptBodies>>;

/** A JSON parser as apps have them: reads the stream, keeps the object, and the raw bytes only if told. */
const jsonParser =
  (keep?: (request: IncomingMessage, raw: Buffer) => Partial<KeptBodies>): Before =>
  async (request) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const parsed: unknown = JSON.parse(raw.toString('utf8'));
    return { parsed: [parsed], ...keep?.(request, raw) };
  };

describe('rawBodyOf (the body-parser trap)', () => {
  let server: Server;
  let url = '';
  let middleware: Before = () => Promise.resolve({});
  const outcomes: Array<{ body?: Buffer | string; error?: unknown; streamWasRead: boolean }> = [];

  before(async () => {
    server = createServer((request, response) => {
      void middleware(request)
        .then(async (kept) => {
          const streamWasRead = request.readableDidRead;
          try {
            outcomes.push({ body: await rawBodyOf(request, 4096, { holders: [], parsed: [], advice: ADVICE, ...kept }), streamWasRead });
          } catch (error) {
            outcomes.push({ error, streamWasRead });
          }
        })
        .then(() => response.writeHead(204).end());
    });
    url = await listen(server);
  });
  after(() => close(server));

  /** Sends `body` through `before` into rawBodyOf; resolves to what it made of it. */
  async function through(before: Before, body = '{"a": 1.50}') {
    middleware = before;
    await post(url, { 'Content-Type': 'application/json' }, body);
    return outcomes.at(-1)!;
  }

  it('reads the stream itself when nothing ran before it', async () => {
    const { body } = await through(() => Promise.resolve({}));
    assert.equal(String(body), '{"a": 1.50}');
  });

  it('takes the raw body a parser kept as rawBody, a Buffer or a string, the first holder that has one', async () => {
    const buffer = await through(jsonParser((request, raw) => ({ holders: [{}, Object.assign(request, { rawBody: raw })] })));
    assert.ok(Buffer.isBuffer(buffer.body) && buffer.body.toString() === '{"a": 1.50}');
    const text = await through(jsonParser((_request, raw) => ({ holders: [{ rawBody: raw.toString('utf8') }, { rawBody: Buffer.from('second') }] })));
    assert.equal(text.body, '{"a": 1.50}');
  });

  it('takes a parsed body that is a Buffer (express.raw) as the raw body', async () => {
    const { body } = await through(async (request) => {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      return { parsed: [Buffer.concat(chunks)] };
    });
    assert.equal(String(body), '{"a": 1.50}');
  });

  it('refuses with BODY_CONSUMED, and the advice, when a parser read the stream and kept nothing', async () => {
    const { error, streamWasRead } = await through(jsonParser());
    assert.equal(streamWasRead, true);
    assert.ok(error instanceof BodyConsumedError);
    assert.equal(error.code, ErrorCode.BODY_CONSUMED);
    assert.match(error.message, /^notification: the request body was already read by a body parser that kept no raw copy, so the signature cannot be checked: mount it first$/);
  });

  it('counts a stream read only in part as consumed too', async () => {
    const { error } = await through(
      (request) =>
        new Promise((resolve) => {
          request.once('readable', () => {
            request.read(1);
            resolve({});
          });
        }),
    );
    assert.ok(error instanceof BodyConsumedError);
  });

  it('tells what a parser left: keptRawBody and bodyConsumed', () => {
    assert.equal(keptRawBody({ holders: [{ rawBody: 42 }, { rawBody: '' }], parsed: [] }), '');
    assert.equal(keptRawBody({ holders: [{ rawBody: null }], parsed: [{ a: 1 }, 'text'] }), undefined);
    assert.equal(bodyConsumed({ readableDidRead: false, readableEnded: false } as IncomingMessage), false);
    assert.equal(bodyConsumed({ readableDidRead: false, readableEnded: true } as IncomingMessage), true);
  });
});
