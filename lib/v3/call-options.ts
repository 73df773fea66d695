import type { AxiosRequestConfig, Method } from 'axios';
import { toAxiosConfig, type ApiOptionKeys } from '../request-options';
import type { PathTemplate } from '../uri-template';
import { MediaUpload } from './media';
import { rewriteFields } from './sensitive-fields';

/** APIv3's own call options, and APIv2's, which an APIv3 call refuses. */
const V3_KEYS: ApiOptionKeys = {
  own: ['json', 'body', 'media', 'encrypt', 'decrypt'],
  foreign: ['xml', 'nonceless', 'security'],
  foreignWhy: 'it is an APIv2 option; APIv2 paths start with v2/',
};

/** An APIv3 call's options, checked: the axios config with its body, and the sensitive fields to handle. */
export interface V3Call {
  /** The request; its `data` is the body as sent, except with `encrypt`, when it is set once the fields are encrypted. */
  config: AxiosRequestConfig;
  /** The `json` option, kept as given when fields of it are to be encrypted. */
  json?: unknown;
  /** `json` fields to encrypt to the platform key before signing. */
  encrypt?: string[];
  /** Answer fields to decrypt with the merchant key after verification. */
  decrypt?: string[];
}

function checkPaths(value: unknown, option: 'encrypt' | 'decrypt', refuse: (text: string) => Error): string[] {
  if (!Array.isArray(value) || !value.every((path) => typeof path === 'string')) throw refuse(`option "${option}" must be an array of dotted paths`);
  // Checks each path's syntax before anything is sent.
  rewriteFields({}, value, (field) => field, option);
  return value;
}

/**
 * Checks the options of an APIv3 call, in one place: the shared ones ({@link toAxiosConfig}) and
 * APIv3's own. The body is one of `json` (serialized once, and those bytes are signed and sent),
 * `body` (a string or Buffer, byte for byte) and `media` (a {@link MediaUpload}); `encrypt` needs
 * `json`.
 */
export function checkV3Call(method: Method, template: PathTemplate, options: unknown): V3Call {
  const { config, own, refuse } = toAxiosConfig(method, template, options, V3_KEYS);
  const bodies = (['json', 'body', 'media'] as const).filter((key) => key in own);
  if (bodies.length > 1) throw refuse(bodies.includes('media') ? 'give one of json, body and media' : 'give either json or body, not both');
  if ('media' in own) {
    if (!(own.media instanceof MediaUpload)) throw refuse('option "media" must be a MediaUpload (await MediaUpload.from(file))');
    config.data = own.media;
  } else if ('body' in own) {
    if (typeof own.body !== 'string' && !Buffer.isBuffer(own.body)) throw refuse('option "body" must be a string or a Buffer (use json for objects)');
    config.data = own.body;
  }
  const call: V3Call = { config };
  if (own.encrypt !== undefined) {
    if (!('json' in own)) throw refuse('option "encrypt" names fields of json, but the call has no json');
    call.encrypt = checkPaths(own.encrypt, 'encrypt', refuse);
    call.json = own.json;
  } else if ('json' in own) {
    config.data = JSON.stringify(own.json);
    if (config.data === undefined) throw refuse('option "json" is not serializable to JSON');
  }
  if (own.decrypt !== undefined) call.decrypt = checkPaths(own.decrypt, 'decrypt', refuse);
  return call;
}
