import type * as FastXmlParser from 'fast-xml-parser';
import type { XMLParser, XMLValidator } from 'fast-xml-parser';
import { bytesOf, invalidArgument } from '../crypto/arguments';
import { WechatpayError, MalformedBodyError } from '../errors';
import { isPlainObject } from '../plain-object';

/**
 * The largest XML body {@link Transformer.toObject} reads. APIv2 answers and notifications are a
 * few KiB; the bound keeps a hostile body from costing more than a fraction of a second to parse.
 */
export const MAX_XML_BYTES = 1024 * 1024;

/** Element names that are gadgets for prototype pollution wherever the result gets merged later. */
const RESERVED_NAMES = new Set(['__proto__', 'constructor', 'prototype']);

/** The ASCII subset of XML names: every APIv2 field is snake_case, so nothing wider is needed. */
const XML_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/** Characters that would need escaping as text; such values go in CDATA, as WeChat Pay's own XML does. */
const NEEDS_CDATA = /[<>&"']/;

/** Markup that only a DTD uses: its presence alone is refused, so no entity is ever declared or expanded. */
const DECLARATION = /<!(?:DOCTYPE|ENTITY|ELEMENT|ATTLIST|NOTATION)/i;

/** Characters XML 1.0 forbids everywhere (controls other than tab/LF/CR, U+FFFE/U+FFFF, lone surrogates). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const NOT_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** A reference in text: one of the five predefined entities, a character reference, or a bare `&` (refused). */
const REFERENCE = /&(?:(lt|gt|amp|quot|apos)|#([0-9]{1,7})|#x([0-9A-Fa-f]{1,6}));|&/g;

const PREDEFINED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

const TEXT = '#text';
const CDATA = '#cdata';

/** The decoder refuses broken UTF-8 rather than signing or trusting U+FFFD replacements. */
const utf8 = new TextDecoder('utf-8', { fatal: true });

function malformed(why: string, cause?: unknown): MalformedBodyError {
  return new MalformedBodyError(`Transformer.toObject: ${why}`, { cause });
}

function refuseReservedName(name: string): string {
  if (RESERVED_NAMES.has(name)) throw malformed(`the element name ${name} is refused (prototype pollution)`);
  return name;
}

/** fast-xml-parser, loaded on the first XML read: a client that never touches APIv2 never loads it. */
let xml: { parser: XMLParser; validator: typeof XMLValidator } | undefined;

/**
 * Built once: a parser that keeps document order (so duplicates and nesting are visible), parses
 * no numbers, trims nothing (a signature covers values exactly), decodes no entities (done below,
 * predefined ones only) and keeps CDATA apart from text (CDATA is never entity-decoded).
 */
function xmlReader(): NonNullable<typeof xml> {
  if (xml) return xml;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, to keep require('wechatpay-ts') light
  const library = require('fast-xml-parser') as typeof FastXmlParser;
  const parser = new library.XMLParser({
    preserveOrder: true,
    ignoreAttributes: true,
    ignoreDeclaration: true,
    ignorePiTags: true,
    parseTagValue: false,
    trimValues: false,
    processEntities: false,
    htmlEntities: false,
    cdataPropName: CDATA,
    commentPropName: false,
    transformTagName: refuseReservedName,
    // The parser would rename `toString`, `valueOf`, … silently; as own keys of a plain object they are harmless.
    onDangerousProperty: (name) => name,
  });
  return (xml = { parser, validator: library.XMLValidator });
}

function isXmlChar(codePoint: number): boolean {
  return (
    codePoint === 0x9 ||
    codePoint === 0xa ||
    codePoint === 0xd ||
    (codePoint >= 0x20 && codePoint <= 0xd7ff) ||
    (codePoint >= 0xe000 && codePoint <= 0xfffd) ||
    (codePoint >= 0x10000 && codePoint <= 0x10ffff)
  );
}

/** Decodes the five predefined entities and character references; any other `&` is malformed XML. */
function decodeText(text: string, element: string): string {
  if (!text.includes('&')) return text;
  return text.replace(REFERENCE, (_match, name?: string, decimal?: string, hex?: string) => {
    if (name !== undefined) return PREDEFINED[name];
    if (decimal !== undefined || hex !== undefined) {
      const codePoint = decimal !== undefined ? Number.parseInt(decimal, 10) : Number.parseInt(hex ?? '', 16);
      if (!isXmlChar(codePoint)) throw malformed(`<${element}> holds a character reference to a character XML does not allow`);
      return String.fromCodePoint(codePoint);
    }
    throw malformed(`<${element}> holds an & that is not &lt; &gt; &amp; &quot; &apos; or a character reference (custom entities are never expanded)`);
  });
}

/** The input as text, bounded and type-checked before any parsing work. */
function textOf(xml: unknown): string {
  if (typeof xml === 'string') {
    if (xml.length > MAX_XML_BYTES || Buffer.byteLength(xml, 'utf8') > MAX_XML_BYTES) {
      throw invalidArgument('Transformer.toObject: xml', `is over the ${MAX_XML_BYTES}-byte limit`);
    }
    return xml;
  }
  const bytes = bytesOf(xml, 'Transformer.toObject: xml');
  if (bytes.length > MAX_XML_BYTES) throw invalidArgument('Transformer.toObject: xml', `is ${bytes.length} bytes, over the ${MAX_XML_BYTES}-byte limit`);
  try {
    return utf8.decode(bytes);
  } catch (cause) {
    throw malformed('the body is not valid UTF-8', cause);
  }
}

/** One node of the parser's ordered output: `{ name: children }`, `{ '#text': text }` or `{ '#cdata': [{ '#text': text }] }`. */
type OrderedNode = Record<string, unknown>;

function nameOf(node: OrderedNode): string {
  return Object.keys(node).find((key) => key !== ':@') ?? '';
}

function childrenOf(node: OrderedNode, name: string): OrderedNode[] {
  const children = node[name];
  return Array.isArray(children) ? (children as OrderedNode[]) : [];
}

/** A text node's string (with `parseTagValue: false` the parser gives nothing else). */
function textIn(node: OrderedNode): string {
  const text = node[TEXT];
  return typeof text === 'string' ? text : '';
}

function isBlank(node: OrderedNode): boolean {
  return nameOf(node) === TEXT && textIn(node).trim() === '';
}

/** The text of a leaf element; a child element means the body is not the flat APIv2 shape. */
function valueOf(children: OrderedNode[], element: string): string {
  let value = '';
  for (const child of children) {
    const kind = nameOf(child);
    if (kind === TEXT) value += decodeText(textIn(child), element);
    else if (kind === CDATA) value += childrenOf(child, CDATA).map(textIn).join('');
    else throw malformed(`<${element}> holds a child element <${kind}>; APIv2 XML is flat (nested XML must travel inside CDATA)`);
  }
  return value;
}

/** Where the construct opened at `from` ends (just past `close`); an unclosed one is malformed. */
function endOf(text: string, from: number, close: string, what: string): number {
  const end = text.indexOf(close, from);
  if (end === -1) throw malformed(`an unclosed ${what}`);
  return end + close.length;
}

/**
 * Refuses the markup XML 1.0 forbids that fast-xml-parser's validator lets through: `]]>` in
 * character data, `--` inside a comment (or one ending `--->`), and `<` in an attribute value.
 * libxml and every conforming parser refuse these; reading on would mean reading values other
 * parsers would not. One pass over the text.
 */
function refuseIllFormedMarkup(text: string): void {
  let at = 0;
  while (at < text.length) {
    const open = text.indexOf('<', at);
    if (text.slice(at, open === -1 ? text.length : open).includes(']]>')) throw malformed("']]>' stands in text, where only a CDATA section may end with it");
    if (open === -1) return;
    if (text.startsWith('<![CDATA[', open)) {
      at = endOf(text, open + 9, ']]>', 'CDATA section');
    } else if (text.startsWith('<!--', open)) {
      at = endOf(text, open + 4, '-->', 'comment');
      const comment = text.slice(open + 4, at - 3);
      if (comment.includes('--') || comment.endsWith('-')) throw malformed("a comment holds '--'");
    } else if (text.startsWith('<?', open)) {
      at = endOf(text, open + 2, '?>', 'processing instruction');
    } else {
      let quote = '';
      at = open + 1;
      for (; at < text.length; at += 1) {
        const character = text[at];
        if (quote !== '') {
          if (character === quote) quote = '';
          else if (character === '<') throw malformed("an attribute value holds '<'");
        } else if (character === '"' || character === "'") quote = character;
        else if (character === '>') break;
      }
      if (at === text.length) throw malformed('an unclosed tag');
      at += 1;
    }
  }
}

function checkedDocument(text: string): OrderedNode[] {
  if (DECLARATION.test(text)) throw malformed('a DTD or entity declaration is refused (XXE and entity expansion)');
  if (NOT_XML_CHAR.test(text)) throw malformed('the body holds a character XML does not allow');
  refuseIllFormedMarkup(text);
  const { parser, validator } = xmlReader();
  const verdict = validator.validate(text);
  if (verdict !== true) throw malformed(`not well-formed XML (line ${verdict.err.line}, column ${verdict.err.col}: ${verdict.err.msg})`);
  try {
    return parser.parse(text) as OrderedNode[];
  } catch (cause) {
    if (cause instanceof WechatpayError) throw cause;
    throw malformed('the XML parser refused the body', cause);
  }
}

/** Options of {@link Transformer.toXml}. */
export interface ToXmlOptions {
  /**
   * Wrap every value in CDATA, not only those with `<>&"'` in them. WeChat Pay writes its own
   * answers this way, and some integrations compare the notification answer byte for byte. A value
   * holding a carriage return is still written as escaped text, with `&#13;`: no CDATA keeps a CR.
   */
  alwaysCdata?: boolean;
}

/** What escaped text replaces: markup characters, and CR, which a parser would read back as LF. */
const TEXT_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#13;' };

/**
 * A value holding a carriage return, as escaped text. XML parsers turn every raw CR (in text and
 * in CDATA alike) into LF, so the receiver would check the sign over other bytes; `&#13;` alone
 * survives (wechatpay-php writes it so too).
 */
function escapedText(value: string): string {
  return value.replace(/[&<>\r]/g, (character) => TEXT_ESCAPES[character]);
}

/** A value in CDATA; `]]>` inside it is split across two sections, which every parser joins back. */
function cdata(value: string): string {
  return `<![CDATA[${value.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
}

function scalarOf(value: unknown, key: string): string | undefined {
  switch (typeof value) {
    case 'undefined':
      return undefined;
    case 'string':
      return value;
    case 'number':
      if (!Number.isFinite(value)) throw invalidArgument(`Transformer.toXml: object.${key}`, 'is not a finite number');
      return String(value);
    case 'bigint':
    case 'boolean':
      return String(value);
    default:
      if (value === null) return undefined;
      throw invalidArgument(`Transformer.toXml: object.${key}`, `is ${Array.isArray(value) ? 'an array' : `a ${typeof value}`}; APIv2 XML is flat (serialize nested data to a string first)`);
  }
}

/**
 * APIv2's XML, both ways. APIv2 XML is flat, `<xml><key>value</key>…</xml>`, so both directions
 * deal in flat records of strings and refuse anything else rather than guess.
 */
export const Transformer = {
  /**
   * Writes a flat record as `<xml><key>value</key>…</xml>`, keys in the order given. Numbers,
   * bigints and booleans become strings; `undefined` and `null` values are left out, like
   * optional fields not given. Values with `<>&"'` go in CDATA (see {@link ToXmlOptions}); a value
   * with a carriage return is escaped text instead, the CR written `&#13;`.
   *
   * @throws OptionError (INVALID_ARGUMENT) naming the key, for a nested object or array, a key
   * that is not an XML name (or is `__proto__`, `constructor`, `prototype`), or a value holding a
   * character XML cannot carry.
   *
   * @example
   * Transformer.toXml({ appid: 'wxd930ea5d5a258f4f', body: 'A&B' });
   * // '<xml><appid>wxd930ea5d5a258f4f</appid><body><![CDATA[A&B]]></body></xml>'
   */
  toXml(object: Record<string, unknown>, { alwaysCdata = false }: ToXmlOptions = {}): string {
    if (!isPlainObject(object)) throw invalidArgument('Transformer.toXml: object', 'expected a plain object of fields');
    let xml = '<xml>';
    for (const key of Object.keys(object)) {
      if (!XML_NAME.test(key) || RESERVED_NAMES.has(key)) {
        throw invalidArgument('Transformer.toXml: object', `the key ${JSON.stringify(key)} is not usable as an XML element name`);
      }
      const value = scalarOf(object[key], key);
      if (value === undefined) continue;
      if (NOT_XML_CHAR.test(value)) throw invalidArgument(`Transformer.toXml: object.${key}`, 'holds a character XML cannot carry');
      let text = value;
      if (value.includes('\r')) text = escapedText(value);
      else if (alwaysCdata || NEEDS_CDATA.test(value)) text = cdata(value);
      xml += `<${key}>${text}</${key}>`;
    }
    return `${xml}</xml>`;
  },

  /**
   * Reads flat APIv2 XML into a record of strings, safely: a DTD or entity declaration is refused
   * before parsing (XXE, billion laughs), only the five predefined entities and character
   * references are decoded, every value stays the exact string sent (`0001` stays `0001`, no
   * trimming), and the names `__proto__`, `constructor` and `prototype` are refused. The root
   * element may have any name (`<xml>` for answers, `<root>` inside a refund's `req_info`); its
   * children must be leaves, each named once. XML nested inside CDATA stays a string.
   *
   * @throws WechatpayError (MALFORMED_BODY) for anything that is not such a document.
   * @throws OptionError (INVALID_ARGUMENT) for input that is not a string or bytes, or is over
   * 1 MiB.
   *
   * @example
   * Transformer.toObject('<xml><return_code><![CDATA[SUCCESS]]></return_code><total_fee>0001</total_fee></xml>');
   * // { return_code: 'SUCCESS', total_fee: '0001' }
   */
  toObject(xml: string | Buffer): Record<string, string> {
    const document = checkedDocument(textOf(xml));
    const roots = document.filter((node) => !isBlank(node));
    if (roots.length !== 1 || [TEXT, CDATA].includes(nameOf(roots[0]))) {
      throw malformed(`expected exactly one root element, found ${roots.length} top-level nodes`);
    }
    const rootName = nameOf(roots[0]);
    const fields: Record<string, string> = {};
    for (const child of childrenOf(roots[0], rootName)) {
      const name = nameOf(child);
      if (name === TEXT) {
        if (isBlank(child)) continue;
        throw malformed(`<${rootName}> holds text outside any field element`);
      }
      if (name === CDATA) throw malformed(`<${rootName}> holds CDATA outside any field element`);
      if (Object.hasOwn(fields, name)) throw malformed(`the field <${name}> appears more than once`);
      fields[name] = valueOf(childrenOf(child, name), name);
    }
    return fields;
  },
};
