import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { ErrorCode, Wechatpay, WechatpayError } from '../lib';
import type { Sandbox } from '../lib/sandbox';
import { MAX_ANSWER_BYTES } from '../lib/response-body';
import { startSandbox } from './support/sandbox';

const MiB = 1024 * 1024;
const SIGNED_LOOKING = { 'Content-Type': 'application/json', 'Wechatpay-Timestamp': '1', 'Wechatpay-Nonce': 'n', 'Wechatpay-Signature': 'c2ln', 'Wechatpay-Serial': 'S' };

const failsWith = (code: string, pattern?: RegExp) => (error: unknown) => error instanceof WechatpayError && error.code === code && (!pattern || pattern.test(error.message));

/** A loopback server whose answers a test writes by hand, and what it managed to send. */
async function hostile(answer: (request: IncomingMessage, response: ServerResponse) => void): Promise<{ server: Server; baseURL: string }> {
  const server = createServer(answer);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, baseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
}

/** Writes `total` bytes of JSON-ish filler with backpressure; resolves with how many were written when the client left. */
function flood(response: ServerResponse, total: number): Promise<number> {
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  let written = 0;
  return new Promise((resolve) => {
    response.on('close', () => resolve(written));
    const pump = (): void => {
      while (written < total) {
        written += chunk.length;
        if (!response.write(chunk)) return void response.once('drain', pump);
      }
      response.end();
    };
    pump();
  });
}

describe('answer size limits', () => {
  let sandbox: Sandbox;
  let wxpay: Wechatpay;
  before(async () => ({ sandbox, wxpay } = await startSandbox()));
  after(() => sandbox.close());

  const clientFor = (baseURL: string) => new Wechatpay({ ...sandbox.clientOptions, baseURL });

  it('stops reading a 96 MiB answer at the 4 MiB default, long before its end', async () => {
    let sent: Promise<number> | undefined;
    const { server, baseURL } = await hostile((_request, response) => {
      response.writeHead(200, SIGNED_LOOKING);
      sent = flood(response, 96 * MiB);
    });
    try {
      await assert.rejects(clientFor(baseURL).v3.echo.get(), failsWith(ErrorCode.ANSWER_TOO_LARGE, new RegExp(`maxContentLength ${MAX_ANSWER_BYTES}`)));
      assert.ok(((await sent) ?? 0) < 32 * MiB, 'the connection was closed, not drained');
    } finally {
      server.close();
    }
  });

  it('counts inflated bytes: a 64 KiB gzip that inflates to 64 MiB is refused', async () => {
    const bomb = gzipSync(Buffer.alloc(64 * MiB, 0x20));
    assert.ok(bomb.length < 128 * 1024);
    const { server, baseURL } = await hostile((_request, response) => {
      response.writeHead(200, { ...SIGNED_LOOKING, 'Content-Encoding': 'gzip', 'Content-Length': String(bomb.length) });
      response.end(bomb);
    });
    try {
      await assert.rejects(clientFor(baseURL).v3.echo.get(), failsWith(ErrorCode.ANSWER_TOO_LARGE, /after decompression/));
    } finally {
      server.close();
    }
  });

  it('refuses an answer without the signature headers from its headers, without waiting for its body', { timeout: 5000 }, async () => {
    const { server, baseURL } = await hostile((_request, response) => {
      response.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(96 * MiB) });
      response.write('{');
    });
    try {
      await assert.rejects(clientFor(baseURL).v3.echo.get({ timeout: 0 }), failsWith(ErrorCode.INCOMPLETE_HEADERS));
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('refuses a Content-Length above the limit before reading', { timeout: 5000 }, async () => {
    const { server, baseURL } = await hostile((_request, response) => {
      response.writeHead(200, { ...SIGNED_LOOKING, 'Content-Length': String(10 * MiB) });
      response.write('{');
    });
    try {
      await assert.rejects(clientFor(baseURL).v3.echo.get({ timeout: 0 }), failsWith(ErrorCode.ANSWER_TOO_LARGE, /Content-Length 10485760/));
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('verifies a genuine 5 MiB answer when the call raises maxContentLength, and refuses it by default', async () => {
    const filler = 'x'.repeat(5 * MiB);
    sandbox.route({ method: 'GET', path: '/v3/large', handle: () => ({ json: { filler } }) });
    const node = wxpay.chain('v3/large');
    await assert.rejects(node.get(), failsWith(ErrorCode.ANSWER_TOO_LARGE));
    const { data } = await node.get({ maxContentLength: 8 * MiB });
    assert.equal((data as { filler: string }).filler.length, filler.length);
  });

  it('bounds an APIv2 answer the same way', async () => {
    sandbox.inject({ type: 'v2-xml', xml: `<xml><return_code>SUCCESS</return_code><x>${'y'.repeat(5 * MiB)}</x></xml>` });
    const order = { appid: 'wxd678efh567hg6787', mch_id: sandbox.mchid, body: 'x', out_trade_no: 'BIG', total_fee: 1, spbill_create_ip: '127.0.0.1', auth_code: '134567890123456789' };
    await assert.rejects(wxpay.v2.pay.micropay.post({ xml: order }), failsWith(ErrorCode.ANSWER_TOO_LARGE));
  });

  it('bounds an unsigned download handed over as a stream, failing the stream with a typed error', async () => {
    sandbox.route({ method: 'GET', path: '/v3/statements', handle: () => ({ body: 'date,amount\n'.repeat(100) }) });
    const { data } = await wxpay.v3.statements.get({ responseType: 'stream', maxContentLength: 64 });
    const chunks: Buffer[] = [];
    await assert.rejects(
      (async () => {
        for await (const chunk of data as Readable) chunks.push(chunk as Buffer);
      })(),
      failsWith(ErrorCode.ANSWER_TOO_LARGE),
    );
  });
});
