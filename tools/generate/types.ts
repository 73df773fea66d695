// Turns catalogue schemas into TypeScript type text: objects with their field descriptions as
// TSDoc, required fields non-optional, enums as literal unions.
import { flatten, type Schema } from './catalogue';
import { propertyName } from './names';

/**
 * How values travel: APIv3 JSON keeps numbers and booleans; APIv2 XML is text, so a request
 * field takes a number or its string, and every answer field arrives as a string.
 */
export type Wire = 'json' | 'xml-request' | 'xml-answer';

/** A TSDoc comment at `indent`, or nothing when there is nothing to say. */
export function docComment(lines: string[], indent: string): string {
  const text = lines
    .join('\n')
    // The catalogue has the odd no-break or ideographic space; a plain one reads the same.
    .replace(/[\u00A0\u1680\u2000-\u200B\u2028\u2029\u202F\u205F\u3000\uFEFF]/g, ' ')
    .replace(/\*\//g, '*\\/')
    .split('\n')
    .map((line) => line.trimEnd())
    .filter((line, i, all) => line !== '' || (i > 0 && i < all.length - 1));
  if (text.length === 0) return '';
  if (text.length === 1) return `${indent}/** ${text[0]} */\n`;
  return `${indent}/**\n${text.map((line) => `${indent} *${line === '' ? '' : ` ${line}`}`).join('\n')}\n${indent} */\n`;
}

/** What a field's TSDoc says: its description, then the meaning of each enum value the catalogue explains. */
export function fieldDoc(schema: Schema): string[] {
  const lines = schema.description ? [String(schema.description)] : [];
  const meanings = schema['x-enum-meanings'];
  if (schema.enum && meanings) {
    schema.enum.forEach((value, i) => {
      if (meanings[i]) lines.push(`- \`${String(value)}\`: ${meanings[i]}`);
    });
  }
  return lines;
}

function literal(value: unknown, wire: Wire): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (wire === 'xml-answer') return JSON.stringify(String(value));
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : 'unknown';
}

/** The TypeScript type of `schema`, laid out at `indent`. */
export function typeText(schema: Schema | undefined, indent: string, wire: Wire, optionalFields: ReadonlySet<string> = new Set()): string {
  if (!schema) return 'unknown';
  const flat = flatten(schema);
  if (flat.allOf) return flat.allOf.map((part) => paren(typeText(part, indent, wire))).join(' & ');
  if (flat.oneOf) return [...new Set(flat.oneOf.map((part) => paren(typeText(part, indent, wire))))].join(' | ');
  if (flat.enum && flat.enum.length > 0) return [...new Set(flat.enum.map((value) => literal(value, wire)))].join(' | ');
  const type = typeof flat.type === 'string' ? flat.type.trim() : undefined;
  if (type === 'array') return `Array<${typeText(flat.items, indent, wire)}>`;
  if (flat.properties || type === 'object') return objectText(flat, indent, wire, optionalFields);
  if (wire === 'xml-answer' && type !== undefined && type !== 'file') return 'string';
  switch (type) {
    case 'string':
      return 'string';
    case 'integer':
    case 'int':
    case 'number':
      return wire === 'xml-request' ? 'number | string' : 'number';
    case 'boolean':
      return 'boolean';
    default:
      return 'unknown';
  }
}

function paren(text: string): string {
  return /^[A-Za-z0-9_<>[\]"' ]+$/.test(text) || text.startsWith('{') || text.startsWith('Array<') ? text : `(${text})`;
}

function objectText(schema: Schema, indent: string, wire: Wire, optionalFields: ReadonlySet<string>): string {
  const properties = Object.entries(schema.properties ?? {});
  const extra = schema.additionalProperties;
  if (properties.length === 0) {
    return `Record<string, ${typeof extra === 'object' ? typeText(extra, indent, wire) : 'unknown'}>`;
  }
  const required = new Set(Array.isArray(schema.required) ? schema.required : []);
  // The catalogue lists both order ids as required where the gateway takes either one (二选一).
  if (required.has('transaction_id') && required.has('out_trade_no')) {
    required.delete('transaction_id');
    required.delete('out_trade_no');
  }
  const inner = `${indent}  `;
  const members = properties.map(([key, child]) => {
    const optional = !required.has(key) || optionalFields.has(key) ? '?' : '';
    return `${docComment(fieldDoc(child ?? {}), inner)}${inner}${propertyName(key)}${optional}: ${typeText(child ?? {}, inner, wire)};\n`;
  });
  if (typeof extra === 'object') members.push(`${inner}[key: string]: unknown;\n`);
  return `{\n${members.join('')}${indent}}`;
}
