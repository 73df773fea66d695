// The types that make the generated catalogue (lib/openapi/) callable: a verb that knows its
// options and its answer, and the node that keeps the untyped chain underneath it.
import type { AxiosResponse } from 'axios';
import type { Callback } from './chain';
import type { CallOptions } from './request-options';
import type { V2CallOptions } from './v2/request';
import type { ChainNode } from './wechatpay';

/** One method of one catalogue path: the options a call takes and the `data` it answers. */
export interface Operation<Options, Data> {
  options: Options;
  data: Data;
}

/** Request headers, as `headers` takes them. */
export type Headers = Record<string, string | number | undefined>;

/** What every APIv3 call may add to the options its endpoint defines: axios options, `encrypt`, `decrypt`. */
export type V3Extra = Omit<CallOptions, 'json' | 'body' | 'media' | 'query' | 'headers'>;

/** What every APIv2 call may add to its `xml`: axios options, `nonceless` and `security`. */
export type V2Extra = Omit<CallOptions, 'json' | 'body' | 'media' | 'query' | 'headers' | 'encrypt' | 'decrypt'> & Omit<V2CallOptions, 'xml'>;

/** A verb of a catalogue endpoint whose options are required (a body, a path variable, a header). */
export interface Verb<Options, Data> {
  /** Sends the call; calls back once with the error or the verified response, and returns undefined. */
  (options: Options, callback: Callback<AxiosResponse<Data>>): void;
  /** Sends the call; resolves to the verified axios response. */
  (options: Options): Promise<AxiosResponse<Data>>;
}

/** A verb of a catalogue endpoint whose options may be left out. */
export interface OptionalVerb<Options, Data> extends Verb<Options, Data> {
  /** Sends the call; resolves to the verified axios response. */
  (options?: Options): Promise<AxiosResponse<Data>>;
  /** Sends the call with no options; calls back once, and returns undefined. */
  (callback: Callback<AxiosResponse<Data>>): void;
}

/** A node the catalogue knows, over the untyped chain: paths it lacks still work, untyped. */
export type Node<Known> = Known & ChainNode;
