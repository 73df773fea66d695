import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * A key or certificate file path as the client takes it: a `file://` URL, a relative path resolved
 * against `base` (the working directory unless given). A value that already is a `file://` URL or
 * PEM text is returned as it is.
 */
export function keySource(value: string, base?: string): string {
  return value.startsWith('file://') || value.includes('-----BEGIN') ? value : pathToFileURL(resolve(base ?? '', value)).href;
}
