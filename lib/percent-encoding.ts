/**
 * Which characters {@link percentEncode} leaves as they are.
 * - `'unreserved'`: RFC 3986 unreserved only (`A-Z a-z 0-9 - . _ ~`); everything else is encoded,
 *   so a value cannot leave its path segment or query pair.
 * - `'reserved'`: RFC 6570 reserved expansion (`{+var}`, `{#var}`): unreserved and reserved
 *   (`:/?#[]@!$&'()*+,;=`) kept, and a `%` kept only where it starts a `%XX` triplet.
 */
export type KeptCharacters = 'unreserved' | 'reserved';

/** Why a string was not encoded: the first code point refused, and its UTF-16 index in the string. */
export interface EncodingFault {
  /** The refused code point: a C0 or C1 control character, or a lone surrogate. */
  readonly codePoint: number;
  /** Its index in the string, in UTF-16 code units (the index JavaScript's `s[i]` uses). */
  readonly index: number;
}

const UNRESERVED = 1;
const RESERVED = 2;

/** ASCII classes, looked up per character: cheaper than a regex, and read once at load. */
const ASCII = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~') ASCII[c.charCodeAt(0)] = UNRESERVED;
for (const c of ":/?#[]@!$&'()*+,;=") ASCII[c.charCodeAt(0)] = RESERVED;

/** `%00` … `%FF`: always two upper-case hex digits, so a byte never merges with the character after it. */
const TRIPLET = Array.from({ length: 256 }, (_, byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`);

function isHexDigit(unit: number): boolean {
  return (unit >= 0x30 && unit <= 0x39) || ((unit | 0x20) >= 0x61 && (unit | 0x20) <= 0x66);
}

/**
 * Whether `value` has a valid `%XX` triplet at `index`. Reserved expansion passes such a triplet
 * through (RFC 6570 section 3.2.3); a `%` without two hex digits after it is encoded as `%25`.
 */
export function isTripletAt(value: string, index: number): boolean {
  return value.charCodeAt(index) === 0x25 && isHexDigit(value.charCodeAt(index + 1)) && isHexDigit(value.charCodeAt(index + 2));
}

/**
 * Percent-encodes `value` as RFC 3986 says: each character not kept becomes the `%XX` triplets
 * of its UTF-8 bytes (a surrogate pair is one character, four bytes). A C0 or C1 control
 * character (U+0000–U+001F, U+007F–U+009F) or a lone surrogate is not encoded but returned as
 * an {@link EncodingFault}: such a value is almost always a mistake or an attack (CR/LF to split
 * a line, a byte the gateway reads otherwise), and the caller, which knows what the string is,
 * turns the fault into its own error (see {@link describeFault}).
 *
 * @example
 * percentEncode('中 😀');            // '%E4%B8%AD%20%F0%9F%98%80'
 * percentEncode('a/%41', 'reserved'); // 'a/%41'
 * percentEncode('a\r\nb');            // { codePoint: 0x0d, index: 1 }
 */
export function percentEncode(value: string, keep: KeptCharacters = 'unreserved'): string | EncodingFault {
  const reserved = keep === 'reserved';
  let out = '';
  // `start` marks a run of kept characters not yet copied, so they are copied in one slice.
  let start = 0;
  for (let i = 0; i < value.length; i += 1) {
    const unit = value.charCodeAt(i);
    if (unit < 0x80) {
      const kind = ASCII[unit];
      if (kind === UNRESERVED || (reserved && kind === RESERVED)) continue;
      if (reserved && isTripletAt(value, i)) {
        i += 2;
        continue;
      }
      if (unit < 0x20 || unit === 0x7f) return { codePoint: unit, index: i };
      out += value.slice(start, i) + TRIPLET[unit];
    } else if (unit < 0xa0) {
      return { codePoint: unit, index: i };
    } else if (unit < 0x800) {
      out += value.slice(start, i) + TRIPLET[0xc0 | (unit >> 6)] + TRIPLET[0x80 | (unit & 0x3f)];
    } else if (unit < 0xd800 || unit > 0xdfff) {
      out += value.slice(start, i) + TRIPLET[0xe0 | (unit >> 12)] + TRIPLET[0x80 | ((unit >> 6) & 0x3f)] + TRIPLET[0x80 | (unit & 0x3f)];
    } else {
      const low = value.charCodeAt(i + 1);
      // A high surrogate must be followed by a low one; a low one alone is never valid.
      if (unit > 0xdbff || !(low >= 0xdc00 && low <= 0xdfff)) return { codePoint: unit, index: i };
      const point = 0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00);
      out += value.slice(start, i) + TRIPLET[0xf0 | (point >> 18)] + TRIPLET[0x80 | ((point >> 12) & 0x3f)] + TRIPLET[0x80 | ((point >> 6) & 0x3f)] + TRIPLET[0x80 | (point & 0x3f)];
      i += 1;
    }
    start = i + 1;
  }
  return start === 0 ? value : out + value.slice(start);
}

/** A code point as messages name it: `U+000D`. */
export function codePointName(codePoint: number): string {
  return `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * A fault as error messages write it, e.g. `U+000D at index 1 (a control character)`: the
 * position and the code point, never the value, which may be a secret or a customer's data.
 */
export function describeFault(fault: EncodingFault): string {
  const kind = fault.codePoint >= 0xd800 && fault.codePoint <= 0xdfff ? 'a lone surrogate' : 'a control character';
  return `${codePointName(fault.codePoint)} at index ${fault.index} (${kind}); control characters and lone surrogates are refused`;
}

/**
 * {@link percentEncode}, throwing `refuse(where + description)` for a refused character, so each
 * caller names what it was encoding (a query key, a template variable) in its own error.
 */
export function encodeOrRefuse(value: string, keep: KeptCharacters, refuse: (detail: string) => Error, where = ''): string {
  const encoded = percentEncode(value, keep);
  if (typeof encoded === 'string') return encoded;
  throw refuse(`${where}${describeFault(encoded)}`);
}
