/** One part of a multipart/form-data body. */
export interface FormPart {
  /** The `name` of its Content-Disposition. */
  name: string;
  /** The `filename` of its Content-Disposition, when it has one. */
  filename?: string;
  /** Its Content-Type header, when it has one. */
  contentType?: string;
  /** Its bytes, exactly as received. */
  data: Buffer;
}

const BOUNDARY = /^multipart\/form-data\s*;(?:.*;)?\s*boundary=(?:"([^"]{1,70})"|([^\s;]{1,70}))/i;
const CRLF = Buffer.from('\r\n');
const HEADERS_END = Buffer.from('\r\n\r\n');

/** The boundary of a multipart/form-data Content-Type, or undefined for any other type. */
export function formBoundary(contentType: string | string[] | undefined): string | undefined {
  if (typeof contentType !== 'string') return undefined;
  const match = BOUNDARY.exec(contentType);
  return match ? (match[1] ?? match[2]) : undefined;
}

/** A `key="value"` (or bare `key=value`) parameter of a Content-Disposition header. */
function dispositionParam(disposition: string, key: string): string | undefined {
  const match = new RegExp(`;\\s*${key}=(?:"([^"]*)"|([^;\\s]*))`, 'i').exec(disposition);
  return match ? (match[1] ?? match[2]) : undefined;
}

/**
 * Where the next delimiter (CRLF, `--`, the boundary) starts: only where CRLF or `--` follows it
 * (RFC 2046), so a line that merely begins with the boundary stays part of the data.
 */
function nextDelimiter(body: Buffer, delimiter: Buffer, from: number): number {
  for (let at = body.indexOf(delimiter, from); at >= 0; at = body.indexOf(delimiter, at + 1)) {
    const after = body.subarray(at + delimiter.length, at + delimiter.length + 2).toString('latin1');
    if (after === '\r\n' || after === '--') return at;
  }
  return -1;
}

/**
 * Splits a multipart/form-data body (RFC 7578) into its parts, byte-exact: a part's data is
 * everything between the blank line after its headers and the CRLF before the next boundary.
 * Returns why it cannot, for a body that is not well formed.
 */
export function parseForm(body: Buffer, boundary: string): FormPart[] | string {
  const delimiter = Buffer.from(`--${boundary}`);
  if (!body.subarray(0, delimiter.length).equals(delimiter)) return 'the body does not start with the boundary';
  const parts: FormPart[] = [];
  let offset = delimiter.length;
  for (;;) {
    if (body.subarray(offset, offset + 2).toString('latin1') === '--') return parts;
    if (!body.subarray(offset, offset + 2).equals(CRLF)) return 'a boundary is not followed by CRLF';
    const headersEnd = body.indexOf(HEADERS_END, offset);
    if (headersEnd < 0) return 'a part has no end of headers';
    const next = nextDelimiter(body, Buffer.concat([CRLF, delimiter]), headersEnd + 2);
    if (next < 0) return 'the body has no closing boundary';
    const headers = new Map<string, string>();
    for (const line of body.subarray(offset + 2, headersEnd).toString('utf8').split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
    const disposition = headers.get('content-disposition') ?? '';
    const name = dispositionParam(disposition, 'name');
    if (!/^form-data\b/i.test(disposition) || name === undefined) return 'a part has no form-data Content-Disposition with a name';
    parts.push({ name, filename: dispositionParam(disposition, 'filename'), contentType: headers.get('content-type'), data: body.subarray(headersEnd + 4, next) });
    offset = next + CRLF.length + delimiter.length;
  }
}

/**
 * The bytes a request's signature covers: for a multipart/form-data upload the gateway signs the
 * `meta` part's JSON, not the form around it; for anything else, the body itself.
 */
export function signedBody(contentType: string | string[] | undefined, body: Buffer): Buffer {
  const boundary = formBoundary(contentType);
  if (boundary === undefined) return body;
  const parts = parseForm(body, boundary);
  const meta = typeof parts === 'string' ? undefined : parts.find((part) => part.name === 'meta');
  // A form without a meta part cannot have been signed the gateway's way; its raw bytes will not verify either.
  return meta?.data ?? body;
}
