// Loopback HTTP for the notification specs: servers started and stopped, notifications captured
// as the sandbox sends them, and requests of any shape (replayed, altered, oversized) sent to a
// merchant server, with its answer read back.
import assert from 'node:assert/strict';
import { createServer, request as httpRequest, type IncomingHttpHeaders, type OutgoingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Sandbox } from '../../lib/sandbox';

/** What a merchant server answered. */
export interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A notification as it went over the wire: its headers and its body, byte for byte. */
export interface Captured {
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** The path every spec serves notifications on. */
export const NOTIFY_PATH = '/wechatpay/notify';

/** Listens on an ephemeral loopback port; resolves to the notification URL. */
export async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}${NOTIFY_PATH}`;
}

/** Closes a server, its idle keep-alive connections included. */
export async function close(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
}

/** A transaction resource as a payment notification carries it. */
export function order(outTradeNo: string) {
  return { out_trade_no: outTradeNo, transaction_id: '4200000000202611280000000001', trade_state: 'SUCCESS', amount: { total: 100, currency: 'CNY' } };
}

/** Has `sandbox` send notifications to a server of our own, and keeps each as it arrived. */
export async function capture(sandbox: Sandbox, events: ReadonlyArray<{ resource: unknown; event_type?: string }>): Promise<Captured[]> {
  const captured: Captured[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      captured.push({ headers: request.headers, body: Buffer.concat(chunks) });
      response.writeHead(204).end();
    });
  });
  const url = await listen(server);
  for (const event of events) await sandbox.notify(url, event);
  await close(server);
  return captured;
}

/** Headers node sets itself on a request it sends. */
const HOP_BY_HOP = new Set(['host', 'connection', 'content-length', 'transfer-encoding']);

/** The headers to send again of a captured notification: its own, without those node sets itself. */
export function replayHeaders(captured: Captured): OutgoingHttpHeaders {
  return Object.fromEntries(Object.entries(captured.headers).filter(([name]) => !HOP_BY_HOP.has(name)));
}

/** POSTs `body` with `headers` (Content-Length set from the body unless `chunked`); resolves to the answer. */
export function post(url: string, headers: OutgoingHttpHeaders, body: Buffer | string, { chunked = false } = {}): Promise<Answer> {
  const bytes = Buffer.from(body);
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(url, { method: 'POST', headers: chunked ? headers : { ...headers, 'Content-Length': String(bytes.length) } }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () => resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, body: Buffer.concat(chunks).toString('utf8') }));
      incoming.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end(bytes);
  });
}

/**
 * Starts a POST of a body larger than the server may accept and resolves with the answer as soon
 * as it comes, while the body is still being sent: `announce` says whether the request declares
 * its length (`Content-Length: declared`) or is chunked. The request never ends by itself, so an
 * answer proves the server refused without waiting for the rest; the connection is then dropped.
 */
export function postOversized(url: string, { announce, declared, sent }: { announce: boolean; declared: number; sent: number }): Promise<Answer & { sentBeforeAnswer: number }> {
  return new Promise((resolve, reject) => {
    let written = 0;
    let settled = false;
    const headers: OutgoingHttpHeaders = { 'Content-Type': 'application/json', ...(announce ? { 'Content-Length': String(declared) } : {}) };
    const outgoing = httpRequest(url, { method: 'POST', headers }, (incoming) => {
      const sentBeforeAnswer = written;
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () => {
        settled = true;
        outgoing.destroy();
        resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, body: Buffer.concat(chunks).toString('utf8'), sentBeforeAnswer });
      });
    });
    // The server closes the connection once it answered: a write still under way may fail then.
    outgoing.on('error', (error) => settled || reject(error));
    const chunk = Buffer.alloc(1024, 0x20);
    const writeMore = (): void => {
      if (written >= sent || outgoing.destroyed) return;
      written += chunk.length;
      outgoing.write(chunk, () => setImmediate(writeMore));
    };
    outgoing.flushHeaders();
    writeMore();
  });
}

/** Asserts a FAIL answer: `status`, JSON `{ code: 'FAIL', message }`; answers the message. */
export function assertFail(answer: Answer, status: number): string {
  assert.equal(answer.status, status, `expected ${status}, got ${answer.status}: ${answer.body}`);
  assert.match(String(answer.headers['content-type']), /^application\/json/);
  const body = JSON.parse(answer.body) as Record<string, unknown>;
  assert.deepEqual(Object.keys(body).sort(), ['code', 'message']);
  assert.equal(body.code, 'FAIL');
  assert.equal(typeof body.message, 'string');
  return body.message as string;
}

/** Asserts the acknowledgement: 204, no body. */
export function assertAcknowledged(answer: Answer): void {
  assert.equal(answer.status, 204, `expected 204, got ${answer.status}: ${answer.body}`);
  assert.equal(answer.body, '');
}
