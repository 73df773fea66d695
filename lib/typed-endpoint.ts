// The types that make the generated catalogue (openapi/ at the repository root, declarations
// only) callable: a verb that knows its options and its answer, and the node that keeps the
// untyped chain underneath it. The generated declarations import this module and nothing else
// of lib/, and it imports no module that imports them, so there is no cycle.
import type { AxiosResponse } from 'axios';
import type { Callback, ChainNode } from './chain';
import type { CallOptions } from './request-options';
import type { V2CallOptions } from './v2/request';

export type { MediaUpload } from './v3/media';

/** One method of one catalogue path: the options a call takes and the `data` it answers. */
export interface Operation<Options, Data> {
  options: Options;
  data: Data;
}

/** Request headers, as `headers` takes them. */
export type RequestHeaders = Record<string, string | number | undefined>;

/**
 * What every call may give whatever its endpoint: extra request headers.
 *
 * @inline
 */
interface ExtraHeaders {
  /** Request headers; the client adds the signature, `Accept` and `User-Agent`. */
  headers?: RequestHeaders;
}

/** What every APIv3 call may add to the options its endpoint defines: axios options, `encrypt`, `decrypt`, headers. */
export type V3Extra = Omit<CallOptions, 'json' | 'body' | 'media' | 'query' | 'headers'> & ExtraHeaders;

/** What every APIv2 call may add to its `xml`: axios options, `nonceless`, `security`, headers. */
export type V2Extra = Omit<CallOptions, 'json' | 'body' | 'media' | 'query' | 'headers' | 'encrypt' | 'decrypt'> & Omit<V2CallOptions, 'xml'> & ExtraHeaders;

/** A verb of a catalogue endpoint whose options are required (a body, a path variable, a header). */
export interface TypedVerb<Options, Data> {
  /** Sends the call; calls back once with the error or the verified response, and returns undefined. */
  (options: Options, callback: Callback<AxiosResponse<Data>>): void;
  /** Sends the call; resolves to the verified axios response. */
  (options: Options): Promise<AxiosResponse<Data>>;
}

/** A verb of a catalogue endpoint whose options may be left out. */
export interface OptionalVerb<Options, Data> extends TypedVerb<Options, Data> {
  /** Sends the call; resolves to the verified axios response. */
  (options?: Options): Promise<AxiosResponse<Data>>;
  /** Sends the call with no options; calls back once, and returns undefined. */
  (callback: Callback<AxiosResponse<Data>>): void;
}

/**
 * The verbs of one catalogue path, from its entry in `Endpoints`: each method a
 * {@link TypedVerb}, or an {@link OptionalVerb} when every option may be left out. Mapped from
 * the entry, so each verb keeps the entry's TSDoc.
 */
export type Verbs<Methods> = {
  [Method in keyof Methods]: Methods[Method] extends Operation<infer Options, infer Data> ? (NonNullable<unknown> extends Options ? OptionalVerb<Options, Data> : TypedVerb<Options, Data>) : never;
};

/** A node the catalogue knows, over the untyped chain: paths it lacks still work, untyped. */
export type KnownNode<Known> = Known & ChainNode;
