// The real frameworks the notification adapters are tested in, each started on a loopback port:
// express 4 and 5, koa 3, fastify 5, and Hono on @hono/node-server for the Fetch adapter.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { serve as serveNode, type ServerType } from '@hono/node-server';
import express5 from 'express';
import express4 from 'express4';
import Fastify, { type FastifyInstance } from 'fastify';
import { Hono } from 'hono';
import Koa from 'koa';
import { close, listen, NOTIFY_PATH } from './notification-http';
import type { MerchantServer } from './notification-scenarios';

/** Both express majors, each with its own router and body parsers (body-parser 1 and 2). */
export const EXPRESSES = [
  { name: 'express 4', express: express4 },
  { name: 'express 5', express: express5 },
] as const;

/** An express app: `setup` adds middleware first (body parsers), `mount` the notification route. */
export async function serveExpress(express: typeof express5, setup: (app: express5.Express) => void, mount: (app: express5.Express) => void): Promise<MerchantServer> {
  const app = express();
  setup(app);
  mount(app);
  const server = createServer(app);
  const url = await listen(server);
  return { url, close: () => close(server) };
}

/** A koa app: `setup` adds middleware first, `mount` the notification middleware, and a last one answers what was passed on. */
export async function serveKoa(setup: (app: Koa) => void, mount: (app: Koa) => void): Promise<MerchantServer> {
  const app = new Koa();
  setup(app);
  mount(app);
  app.use((ctx) => {
    ctx.status = 200;
    ctx.body = { passedOn: ctx.path };
  });
  const handle = app.callback();
  // koa handles its own errors; the promise it returns only says when the answer is sent.
  const server = createServer((request, response) => void handle(request, response));
  const url = await listen(server);
  return { url, close: () => close(server) };
}

/** A fastify app with a JSON route of its own (`POST /orders`) beside what `register` adds. */
export async function serveFastify(register: (app: FastifyInstance) => PromiseLike<unknown>): Promise<MerchantServer> {
  const app = Fastify();
  app.post('/orders', (request, reply) => reply.send({ parsed: request.body }));
  await register(app);
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  return { url: `${address}${NOTIFY_PATH}`, close: () => app.close() };
}

/** A Hono app on node's HTTP server, with `mount` adding its routes. */
export async function serveHono(mount: (app: Hono) => void): Promise<MerchantServer> {
  const app = new Hono();
  mount(app);
  const server = await new Promise<ServerType>((resolve) => {
    const started: ServerType = serveNode({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(started));
  });
  const address = server.address();
  assert.ok(address !== null && typeof address === 'object');
  return {
    url: `http://127.0.0.1:${address.port}${NOTIFY_PATH}`,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
