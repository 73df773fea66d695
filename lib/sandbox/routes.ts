import { inspect } from 'node:util';
import { listed } from '../listed';
import { VERBS } from '../chain';
import { callable, checkFields, optional, rootPath, wholeNumber, type FieldCheck } from './argument-checks';

/** A request as a sandbox route sees it, after the Authorization has been verified. */
export interface SandboxRequest {
  method: string;
  /** The path, without the query. */
  path: string;
  /** Path and query exactly as received. */
  target: string;
  /** Template variables of the route's path, percent-decoded. */
  params: Record<string, string>;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  /** The raw body. */
  body: Buffer;
  /** The body parsed as JSON, when it is JSON. */
  json?: unknown;
}

/** What a route answers; the sandbox signs it. */
export interface SandboxReply {
  status?: number;
  /** A JSON body (serialized once, then signed). */
  json?: unknown;
  /** A raw body, signed as is. */
  body?: string | Buffer;
  headers?: Record<string, string>;
}

/** A reply's status, when it gives one. */
const REPLY_STATUS = optional(wholeNumber(200, 599));

/**
 * Why `reply`, as a route answered it, cannot be sent (`undefined, not a reply …`, `status "ok": …`),
 * or undefined when it can. Fields besides those of {@link SandboxReply} are the route's own.
 */
export function replyProblem(reply: unknown): string | undefined {
  if (reply === null || typeof reply !== 'object') return `${String(reply)}, not a reply { status?, json?, body?, headers? }`;
  const { status, body, headers } = reply as Record<string, unknown>;
  const shown = (value: unknown) => inspect(value, { depth: 0, breakLength: Infinity }).slice(0, 64);
  const statusProblem = REPLY_STATUS(status);
  if (statusProblem !== undefined) return `status ${shown(status)}: ${statusProblem}`;
  if (body !== undefined && typeof body !== 'string' && !Buffer.isBuffer(body)) return `body ${shown(body)}: expected a string or a Buffer`;
  if (headers !== undefined && (headers === null || typeof headers !== 'object' || !Object.values(headers).every((value) => typeof value === 'string'))) return `headers ${shown(headers)}: expected an object of strings`;
  return undefined;
}

/** One endpoint of the sandbox. */
export interface Route {
  method: string;
  /** A path with `{name}` variables, e.g. `/v3/pay/transactions/id/{transaction_id}`. */
  path: string;
  handle(request: SandboxRequest): SandboxReply | Promise<SandboxReply>;
}

/** A route compiled for matching. */
export interface CompiledRoute extends Route {
  pattern: RegExp;
  names: string[];
}

const METHODS = VERBS.map((verb) => verb.toUpperCase());

/** How each field of a {@link Route} is checked. */
const ROUTE_CHECKS: Readonly<Record<keyof Route, FieldCheck>> = {
  method: (value) => (typeof value === 'string' && METHODS.includes(value.toUpperCase()) ? undefined : `expected ${listed(METHODS.map((method) => `'${method}'`), 'or')}`),
  path: rootPath('/v3/pay/transactions/id/{transaction_id}'),
  handle: callable,
};

/** `route` as a {@link Route}, or an InvalidArgumentError naming its field at fault, after `where`. */
export function checkRoute(route: unknown, where: string): Route {
  checkFields(route, ROUTE_CHECKS, { name: `${where}: route`, expected: 'an object with method, path and handle', takes: 'a route takes' });
  return route as Route;
}

/** Compiles `{name}` variables into a pattern matching one path segment each. */
export function compileRoute(route: Route): CompiledRoute {
  const names: string[] = [];
  const source = route.path
    .split(/(\{[^}]+\})/)
    .map((part) => {
      const variable = /^\{([^}]+)\}$/.exec(part);
      if (!variable) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(variable[1]);
      return '([^/]+)';
    })
    .join('');
  return { ...route, method: route.method.toUpperCase(), pattern: new RegExp(`^${source}$`), names };
}

/** The route for `method` and `path`, with its decoded parameters. */
export function matchRoute(routes: readonly CompiledRoute[], method: string, path: string): { route: CompiledRoute; params: Record<string, string> } | undefined {
  for (const route of routes) {
    if (route.method !== method) continue;
    const match = route.pattern.exec(path);
    if (!match) continue;
    const params: Record<string, string> = {};
    route.names.forEach((name, index) => {
      params[name] = decodeURIComponent(match[index + 1]);
    });
    return { route, params };
  }
  return undefined;
}

/** The gateway's answer to a request whose fields are wrong: 400 `PARAM_ERROR` with `message`. */
export function paramError(message: string): SandboxReply {
  return { status: 400, json: { code: 'PARAM_ERROR', message } };
}
