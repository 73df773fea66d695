// A merchant notification server whose answers a spec writes in advance (500, 500, then 204),
// keeping every POST it received and when, so that a spec can check how the sandbox retried.
import { createServer } from 'node:http';
import { NotificationVerifier, type NotificationEvent } from '../../lib';
import type { Sandbox } from '../../lib/sandbox';
import { close, listen } from './notification-http';

/** One notification as the scripted server received it. */
export interface Arrival {
  /** Milliseconds after the server started. */
  at: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A running scripted server. */
export interface ScriptedServer {
  url: string;
  /** Every POST received, oldest first. */
  arrivals: Arrival[];
  /** Resolves once `count` POSTs have arrived. */
  arrived(count: number): Promise<void>;
  /**
   * Resolves once the answer to the `count`-th POST was written out, and the event loop then
   * turned twice more: the client in this process has read that answer and acted on it (the
   * answer is in its socket when the next poll phase begins, before a setImmediate of ours runs,
   * however long the process waits for a CPU).
   */
  answered(count: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * Answers the n-th POST with `statuses[n]` (the last status for every one after), optionally
 * after `delayMs`; empty bodies.
 */
export async function scriptedServer(statuses: readonly number[], { delayMs = 0 } = {}): Promise<ScriptedServer> {
  const started = Date.now();
  const arrivals: Arrival[] = [];
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  let written = 0;
  const writeWaiters: Array<{ count: number; resolve: () => void }> = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const status = statuses[Math.min(arrivals.length, statuses.length - 1)];
      arrivals.push({ at: Date.now() - started, headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      for (const waiter of waiters.filter(({ count }) => arrivals.length >= count)) waiter.resolve();
      response.on('finish', () => {
        written += 1;
        for (const waiter of writeWaiters.filter(({ count }) => written >= count)) waiter.resolve();
      });
      setTimeout(() => response.writeHead(status).end(), delayMs);
    });
  });
  const url = await listen(server);
  return {
    url,
    arrivals,
    arrived: (count) => (arrivals.length >= count ? Promise.resolve() : new Promise((resolve) => waiters.push({ count, resolve }))),
    answered: async (count) => {
      if (written < count) await new Promise<void>((resolve) => writeWaiters.push({ count, resolve }));
      for (let turn = 0; turn < 2; turn += 1) await new Promise((resolve) => setImmediate(resolve));
    },
    close: () => close(server),
  };
}

/** The notifications `server` received, verified and decrypted with the keys of `sandbox`, which sent them. */
export function verifiedArrivals(server: ScriptedServer, sandbox: Sandbox): Promise<NotificationEvent[]> {
  const verifier = new NotificationVerifier(sandbox.notificationOptions);
  return Promise.all(server.arrivals.map(({ headers, body }) => verifier.verify({ headers, body })));
}
