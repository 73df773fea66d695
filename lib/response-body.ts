import type { AxiosResponse } from 'axios';

/** An answer's body as the bytes received (axios hands over a Buffer, an ArrayBuffer or, after a transform, text). */
export function rawBody(data: unknown): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (data instanceof ArrayBuffer) return Buffer.from(data);
  return Buffer.from(typeof data === 'string' ? data : '');
}

/** One header of an answer by its lower-case name; an empty value counts as absent. */
export function responseHeader(response: AxiosResponse, name: string): string | undefined {
  const value: unknown = response.headers[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}
