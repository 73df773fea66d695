import { inspect } from 'node:util';
import type { AxiosResponse } from 'axios';
import type { Deadline } from './deadline';
import { InvalidOptionError } from './errors';
import type { RequestOptions } from './request-options';
import { parsePathTemplate, type PathTemplate } from './uri-template';

/** The HTTP verbs a chain node answers to. */
export const VERBS = ['get', 'post', 'put', 'patch', 'delete'] as const;
/** One of {@link VERBS}. */
export type Verb = (typeof VERBS)[number];

/** A node-style callback: called once, with the error or with the response. */
export type Callback<T = AxiosResponse<unknown>> = (error: Error | null, response?: T) => void;

/**
 * A point in the URL path. Any property is the next segment (`get`, `post`, `put`, `patch`,
 * `delete` and `chain` too); calling a verb node sends that verb on its parent's path,
 * calling a `chain` node descends by a whole path.
 */
export interface ChainNode {
  /** `chain(path)`: descends by a whole path (or a tail of one), verbatim, templates included. */
  (path: string): ChainNode;
  /** A verb: sends the call and resolves to the verified axios response. */
  (options?: RequestOptions): Promise<AxiosResponse<unknown>>;
  /** A verb with a node-style callback: returns undefined and calls back exactly once. */
  (options: RequestOptions | undefined, callback: Callback): void;
  /** A verb with only a callback. */
  (callback: Callback): void;
  [segment: string]: ChainNode;
}

/**
 * The escape hatch for the day the catalogue is wrong: the same node, typed as the untyped
 * {@link ChainNode}, so its verbs take any options and answer `unknown`. The path stays typed up
 * to here; nothing is added to it.
 *
 * @example
 * ```ts
 * await untyped(wxpay.v3.pay.transactions.jsapi).post({ json: { field_the_catalogue_lacks: 1 } });
 * ```
 */
export function untyped(node: ChainNode): ChainNode {
  return node;
}

/** Sends one call; the chain only decides the verb, the path template and the options. */
export type Sender = (verb: Verb, template: PathTemplate, options: unknown) => Promise<AxiosResponse<unknown>>;

/** Sends one call of one API under the call's {@link Deadline}, which ends the whole exchange. */
export type ApiSender = (verb: Verb, template: PathTemplate, options: unknown, deadline: Deadline) => Promise<AxiosResponse<unknown>>;

const VERB_SET: ReadonlySet<string> = new Set(VERBS);

/**
 * The most nodes a client keeps cached, in all: paths built with interpolated ids would otherwise
 * grow the cache without end. A child is cached in its parent only while it is in the cache.
 */
const MAX_CACHED_NODES = 2048;

/**
 * Turns one property name into a path segment, as the PHP SDK does: `_var_` and `$var$`
 * become the template `{var}`, `_empty_` a trailing slash, a leading capital is lowered and
 * every other capital becomes `-` and its lower case. Names with a `/` are whole paths, kept verbatim.
 */
export function toSegment(name: string): string {
  if (name.includes('/')) return name.replace(/^\/+/, '');
  const variable = /^_(.+)_$/.exec(name) ?? /^\$(.+)\$$/.exec(name);
  if (variable) return variable[1] === 'empty' ? '' : `{${variable[1]}}`;
  return name.replace(/^[A-Z]/, (c) => c.toLowerCase()).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

function join(parent: string, tail: string): string {
  return parent === '' ? tail : `${parent}/${tail}`;
}

interface NodeState {
  readonly path: string;
  readonly proxy: object;
  /** Property name to child, so a repeated access skips the segment rules and the path join. */
  readonly children: Map<string, NodeState>;
  /** The parents' entries that name this node, dropped when it leaves the cache. */
  readonly cachedAs: Array<[parent: NodeState, key: string]>;
  template?: PathTemplate;
}

/** Calls `callback` outside the promise chain, so an exception it throws is not swallowed and cannot trigger a second call. */
export function settle<T>(promise: Promise<T>, callback: Callback<T>): void {
  promise.then(
    (value) => process.nextTick(callback, null, value),
    (error: Error) => process.nextTick(callback, error),
  );
}

/**
 * Builds the chain of one client: an ES Proxy per path, created once and cached, so the same
 * node reached twice is the same object. Property access descends (`node.v3.pay`), a property
 * with `/` descends by a whole path (`node['v3/pay']`), `chain(path)` descends verbatim and
 * `get/post/put/patch/delete(options?, callback?)` send the call. A node is not a thenable
 * (`then` and `toJSON` are undefined) and prints as its path.
 */
export function createChain(send: Sender, describeRoot: () => string, rootPrototype: object | null): object {
  const nodes = new Map<string, NodeState>();

  // A node's meaning when called comes from its path alone: the last segment is the verb
  // (or `chain`), the rest is the path it acts on. So `wxpay.v3.pay.get` and `wxpay['v3/pay/get']`
  // are one node, and both send GET /v3/pay.
  const call = (state: NodeState, args: unknown[]): unknown => {
    const slash = state.path.lastIndexOf('/');
    const last = state.path.slice(slash + 1);
    const parent = node(slash < 0 ? '' : state.path.slice(0, slash));
    if (state.path !== '' && last === 'chain' && args.length <= 1) {
      const tail = typeof args[0] === 'string' ? args[0].replace(/^\/+/, '') : '';
      if (tail === '') throw new InvalidOptionError('chain(path) needs a non-empty path string');
      return node(join(parent.path, tail)).proxy;
    }
    if (state.path === '' || !VERB_SET.has(last)) {
      throw new InvalidOptionError(`${state.path || 'the client'} is a path, not a method: call .get(), .post(), .put(), .patch() or .delete() on it`);
    }
    const callback = typeof args[args.length - 1] === 'function' ? (args.pop() as Callback) : undefined;
    let promise: Promise<AxiosResponse<unknown>>;
    try {
      if (args.length > 1) throw new InvalidOptionError(`${last}() takes (options?, callback?)`);
      parent.template ??= parsePathTemplate(parent.path);
      promise = send(last as Verb, parent.template, args[0]);
    } catch (error) {
      promise = Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    if (!callback) return promise;
    settle(promise, callback);
    return undefined;
  };

  /** Drops the oldest node from the cache, and from every parent that caches it. */
  function evict(path: string): void {
    const state = nodes.get(path);
    nodes.delete(path);
    for (const [parent, key] of state?.cachedAs ?? []) {
      if (parent.children.get(key) === state) parent.children.delete(key);
    }
  }

  function node(path: string): NodeState {
    const cached = nodes.get(path);
    if (cached) return cached;
    const target = Object.defineProperties(() => undefined, {
      [inspect.custom]: { value: () => (path === '' ? describeRoot() : `[Wechatpay chain: ${path}]`) },
      [Symbol.toPrimitive]: { value: () => path },
      [Symbol.toStringTag]: { value: 'WechatpayChain' },
    });
    const state: NodeState = {
      path,
      children: new Map(),
      cachedAs: [],
      proxy: new Proxy(target, {
        get(own, key) {
          if (typeof key === 'symbol') return Reflect.get(own, key) as unknown;
          // Not segments: a node must not look like a promise to `await`, nor be called by JSON.stringify.
          if (key === 'then' || key === 'toJSON') return undefined;
          let child = state.children.get(key);
          if (!child) {
            child = node(join(path, toSegment(key)));
            state.children.set(key, child);
            child.cachedAs.push([state, key]);
          }
          return child.proxy;
        },
        apply: (_own, _this, args: unknown[]) => call(state, args),
        getPrototypeOf: (own) => (path === '' ? rootPrototype : Reflect.getPrototypeOf(own)),
      }),
    };
    if (nodes.size >= MAX_CACHED_NODES) evict(nodes.keys().next().value as string);
    nodes.set(path, state);
    return state;
  }

  return node('').proxy;
}
