/**
 * The server half of `npm run bench`, forked by `client-cpu.ts` so that the gateway's own
 * signing and verifying never lands on the client's CPU clock. It runs two servers on
 * loopback: the sandbox gateway, and a plain node:http server that sends the very same bytes
 * for the bare-axios baseline. It reports both over IPC and stops when the parent disconnects
 * (or dies), so it can never outlive a benchmark run.
 */
import { randomBytes, randomUUID, sign, verify, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Formatter } from '../lib/formatter';
import { parseAuthorization, Sandbox, type SandboxClientOptions } from '../lib/sandbox';
import { contractRoutes } from '../lib/sandbox/contracts';

/** What the child sends once both servers listen. */
export interface ServersReady {
  type: 'ready';
  /** For `new Wechatpay(...)`, pointing at the sandbox. */
  clientOptions: SandboxClientOptions;
  /** The plain server's URL, with the same path as the sandbox call; it answers after the sandbox's RSA work. */
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

/** The sandbox's per-request RSA work, repeated by the plain server: the request check and the answer's signature. */
interface GatewayWork {
  merchantKey: KeyObject;
  platformKey: KeyObject;
  platformId: string;
}

/**
 * Answers like the sandbox, minus its routing and bookkeeping: the same body, the same header
 * names, and real `Wechatpay-*` values from the same RSA work (verify the request, sign the
 * answer). The baseline client never checks them; they are there so it parses as many header
 * bytes as ours, and waits about as long between calls. A client that idles longer between
 * calls wakes to colder caches and pays more CPU per call (on this 2-core machine bare axios
 * usually costs some 10% more against this server than against one that answers at once), so
 * an instant server would flatter the baseline. `?instant` skips the work, for the information
 * row that shows the effect.
 */
function startPlainServer(answer: string, work: GatewayWork): Promise<Server> {
  const body = Buffer.from(answer);
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const target = request.url ?? '/';
      const timestamp = Formatter.timestamp();
      const nonce = Formatter.nonce();
      let signature = '';
      if (!target.endsWith('?instant')) {
        const authorization = parseAuthorization(request.headers.authorization);
        const requestMessage = Formatter.request(request.method ?? 'POST', target, timestamp, nonce, Buffer.concat(chunks)) as Buffer;
        // The baseline's Authorization carries a filler signature: the check fails, but costs what a real one does.
        verify('sha256', requestMessage, work.merchantKey, Buffer.from(authorization?.signature ?? '', 'base64'));
        signature = sign('sha256', Formatter.response(timestamp, nonce, body) as Buffer, work.platformKey).toString('base64');
      }
      response.writeHead(200, {
        'Content-Type': 'application/json; charset=utf-8',
        'Request-ID': randomUUID(),
        'Wechatpay-Timestamp': String(timestamp),
        'Wechatpay-Nonce': nonce,
        'Wechatpay-Signature': signature || randomBytes(256).toString('base64'),
        'Wechatpay-Serial': work.platformId,
      });
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
  const [platform] = sandbox.platformKeys;
  const plain = await startPlainServer(answer, { merchantKey: sandbox.merchant.publicKey, platformKey: platform.privateKey, platformId: platform.id });

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
