// The types that make the generated catalogue callable: a verb that knows its options and its
// answer, and the node that keeps the untyped chain underneath it. The catalogue's declarations
// are the package @wechatpay-ts/openapi-types (openapi-types/ in the repository), which imports
// nothing: its option types extend three empty interfaces, which this module fills in with the
// call options and the MediaUpload class by augmenting that package. The chain's tree
// (openapi/tree.d.ts, generated) imports this module and the package; nothing here imports it.
import type { AxiosResponse } from 'axios';
import type { Callback, ChainNode } from './chain';
import type { CallOptions } from './request-options';
import type { V2CallOptions } from './v2/request';
import type { MediaUpload as MediaUploadFile } from './v3/media';

import type { Operation } from '@wechatpay-ts/openapi-types/operation';

export type { Operation } from '@wechatpay-ts/openapi-types/operation';

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

// Inside the augmentation, V3Extra, V2Extra and MediaUpload name the package's interfaces; these
// names reach this module's types from there.
type SdkV3Extra = V3Extra;
type SdkV2Extra = V2Extra;

/* eslint-disable @typescript-eslint/no-empty-object-type -- an augmentation adds members by extending */
declare module '@wechatpay-ts/openapi-types/operation' {
  /** What every APIv3 call may add to the options its endpoint defines: axios options, `encrypt`, `decrypt`, headers. */
  interface V3Extra extends SdkV3Extra {}
  /** What every APIv2 call may add to its `xml`: axios options, `nonceless`, `security`, headers. */
  interface V2Extra extends SdkV2Extra {}
  /** The file an upload endpoint takes as `media`: `await MediaUpload.from(file)`. */
  interface MediaUpload extends MediaUploadFile {}
}
/* eslint-enable @typescript-eslint/no-empty-object-type */

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
