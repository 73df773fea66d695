import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Wechatpay, WechatpayError } from '../lib';
import { Sandbox } from '../lib/sandbox';

describe('the HTTP defaults both APIs share', () => {
  let server: Server;
  let sandbox: Sandbox;
  const sockets: Socket[] = [];

  before(async () => {
    sandbox = await Sandbox.start();
    server = createServer((request, response) => {
      request.resume();
      request.on('end', () => response.writeHead(404, { 'Content-Type': 'application/json' }).end('{"code":"NOT_FOUND","message":"none here"}'));
    });
    // This server would keep an idle connection for a minute: only the client can close it sooner.
    server.keepAliveTimeout = 60_000;
    server.on('connection', (socket: Socket) => sockets.push(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });

  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await sandbox.close();
  });

  it('closes an idle keep-alive connection after a few seconds, as Node’s global agent does, so none is reused after the server dropped it', { timeout: 15_000 }, async () => {
    const wxpay = new Wechatpay({ ...sandbox.clientOptions, baseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` });
    await assert.rejects(wxpay.v3.certificates.get(), WechatpayError);
    assert.equal(sockets.length, 1);
    // 'end' is the client's FIN: the client, not this server, ended the idle connection.
    await new Promise((resolve) => sockets[0].once('end', resolve));
  });

  it('redacts key material that came in through the user’s own options when an error is serialized', async () => {
    const marker = 'user-agent-key-material-5e1d';
    // An http:// call never uses this agent; it only rides in the config that errors carry.
    const httpsAgent = new HttpsAgent({ key: `-----BEGIN PRIVATE KEY-----\n${marker}\n-----END PRIVATE KEY-----\n`, passphrase: marker });
    const wxpay = new Wechatpay({ ...sandbox.clientOptions, httpsAgent, baseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` });
    const error: unknown = await wxpay.v3.certificates.get().then(() => assert.fail('a 404 resolved'), (reason: unknown) => reason);
    assert.ok(error instanceof WechatpayError);
    assert.doesNotMatch(JSON.stringify(error), new RegExp(marker));
    assert.doesNotMatch(JSON.stringify(error.toJSON()), new RegExp(marker));
  });
});
