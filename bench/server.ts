/**
 * The server half of `npm run bench`, forked by `client-cpu.ts` so that the gateway's own
 * signing and verifying never lands on the client's CPU clock. It runs two servers on
 * loopback: the sandbox gateway, and a plain node:http server that sends the very same bytes
 * unsigned, for the bare-axios baseline. It reports both over IPC and stops when the parent
 * disconnects (or dies), so it can never outlive a benchmark run.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Formatter } from '../lib/formatter';
import { Sandbox, type SandboxClientOptions } from '../lib/sandbox';
import { contractRoutes } from '../lib/sandbox/contracts';

/** What the child sends once both servers listen. */
export interface ServersReady {
  type: 'ready';
  /** For `new Wechatpay(...)`, pointing at the sandbox. */
  clientOptions: SandboxClientOptions;
  /** The plain server's URL, with the same path as the sandbox call. */
  plainURL: string;
  /** The answer body both servers send, so the parent can build a same-size response message. */
  answer: string;
}

const TERMINATE_PATH = '/v3/credit-repayment/partner/contracts/terminate';

/**
 * A genuine terminate answer, produced once by the sandbox's own contract route. Serving it
 * fixed lets every call repeat the same contract (the real route refuses a second termination)
 * and lets the plain server send byte-for-byte the same body.
 */
async function terminateAnswer(request: Record<string, unknown>): Promise<string> {
  const route = contractRoutes().find((candidate) => candidate.method === 'POST' && candidate.path === TERMINATE_PATH);
  if (!route) throw new Error(`the sandbox has no POST ${TERMINATE_PATH} route to take the answer from`);
  const body = Buffer.from(JSON.stringify(request));
  const reply = await route.handle({ method: 'POST', path: TERMINATE_PATH, target: TERMINATE_PATH, params: {}, query: {}, headers: {}, body, json: request });
  if ((reply.status ?? 200) !== 200 || reply.json === undefined) throw new Error(`the terminate route answered ${reply.status ?? 200} without JSON`);
  return JSON.stringify(reply.json);
}

/**
 * Headers named and sized like the sandbox's signed answer: the baseline client then parses as
 * many header bytes as ours does, and only the signature work differs.
 */
function lookalikeHeaders(serial: string): Record<string, string> {
  return {
    'Content-Type': 'application/json; charset=utf-8',
    'Request-ID': randomUUID(),
    'Wechatpay-Timestamp': String(Formatter.timestamp()),
    'Wechatpay-Nonce': Formatter.nonce(),
    'Wechatpay-Signature': randomBytes(256).toString('base64'),
    'Wechatpay-Serial': serial,
  };
}

function startPlainServer(answer: string, headers: Record<string, string>): Promise<Server> {
  const body = Buffer.from(answer);
  const server = createServer((request, response) => {
    // Answer only once the request has been read in full, as the sandbox does.
    request.resume();
    request.on('end', () => {
      response.writeHead(200, headers);
      response.end(body);
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

async function main(): Promise<void> {
  if (!process.send) throw new Error('bench/server runs as a forked child of bench/client-cpu');
  const request = JSON.parse(process.argv[2] ?? '{}') as Record<string, unknown>;
  const answer = await terminateAnswer(request);
  const sandbox = await Sandbox.start();
  sandbox.route({ method: 'POST', path: TERMINATE_PATH, handle: () => ({ body: answer }) });
  const plain = await startPlainServer(answer, lookalikeHeaders(sandbox.platformKeys[0].id));

  process.once('disconnect', () => {
    void Promise.all([sandbox.close(), closeServer(plain)]);
  });
  const ready: ServersReady = {
    type: 'ready',
    clientOptions: sandbox.clientOptions,
    plainURL: `http://127.0.0.1:${(plain.address() as AddressInfo).port}${TERMINATE_PATH}`,
    answer,
  };
  process.send(ready);
}

main().catch((error: unknown) => {
  console.error('bench server failed:', error);
  process.exit(1);
});
