// Turns catalogue schemas into TypeScript type text: objects with their field descriptions as
// TSDoc, required fields non-optional, enums as literal unions. An object type the catalogue
// repeats (a definitions/ entry, or the same fields written out again at another endpoint) is
// declared once in definitions.d.ts and referenced by name; that is most of what keeps the
// generated declarations small.
import { flatten, type Schema } from './catalogue';
import { BANNER, NameRegistry, pascal, propertyName } from './names';

/**
 * How values travel: APIv3 JSON keeps numbers and booleans; APIv2 XML is text, so a request
 * field takes a number or its string, and every answer field arrives as a string.
 */
export type Wire = 'json' | 'xml-request' | 'xml-answer';

/** How one schema is written: its wire, and the fields left optional whatever the catalogue says. */
export interface Writing {
  wire: Wire;
  /** Fields optional at every depth (see `relaxedFields` in declarations.ts). */
  relaxed: ReadonlySet<string>;
  /** Fields optional at the top level only (APIv2's `nonce_str` and `sign`, which the client adds). */
  top?: ReadonlySet<string>;
  /** The value type of the top level's index signature, where it has one (headers: `string | number | undefined`). */
  index?: string;
}

/** The module the group files import the shared types from, and the name they give it. */
export const DEFINITIONS = { file: 'definitions', alias: 'Defs' } as const;

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

function paren(text: string): string {
  return /^[A-Za-z0-9_.<>[\]"' ]+$/.test(text) || text.startsWith('{') || text.startsWith('Array<') ? text : `(${text})`;
}

/** `text` moved right by one level: every line after the first, which continues a line already indented. */
export function indented(text: string): string {
  return text.replace(/\n(?=.)/g, '\n\t');
}

/**
 * A member line with its TSDoc: a one-line comment on the member's own line, a longer one above.
 * Tabs indent the generated declarations; they are read through an editor's hover more than
 * opened, and the package ships them.
 */
export function member(doc: string[], text: string): string {
  const comment = docComment(doc, '\t');
  return comment.includes('\n\t *') || comment === '' ? `${comment}\t${text}\n` : `${comment.slice(0, -1)} ${text}\n`;
}

interface Seen {
  count: number;
  /** The name to declare it under: its definitions/ name when it has one, else where it was first met. */
  wanted: string;
}

/**
 * Writes type text for the catalogue's schemas, in two passes over the same calls: the first
 * (`counting`) finds the object types written more than once, the second writes those as
 * references into definitions.d.ts and the rest inline.
 */
export class TypeWriter {
  /** Whether this is the counting pass. */
  counting = true;
  private readonly seen = new Map<string, Seen>();
  private readonly names = new Map<string, string>();
  private readonly registry = new NameRegistry();
  private readonly declared: string[] = [];

  constructor() {
    // Global names the declarations use, which a shared type must not shadow.
    for (const global of ['Array', 'Record', 'Partial', 'Pick', 'Omit', 'Object', 'String', 'Number', 'Boolean', 'Date', 'Error', 'Function', 'Promise', 'Map', 'Set', 'Symbol']) this.registry.claim(global);
  }

  /** Starts the writing pass. */
  write(): void {
    this.counting = false;
  }

  /** The type of `schema`, as a group file writes it (shared types as `Defs.Name`); `hint` names it should it be shared. */
  typeText(schema: Schema | undefined, writing: Writing, hint: string): string {
    return this.render(schema, writing, hint, `${DEFINITIONS.alias}.`, true);
  }

  /** The text of definitions.d.ts: every shared type, in the order first written. */
  definitionsFile(): string {
    return `// ${BANNER}\n\n${this.declared.join('\n')}`;
  }

  private render(schema: Schema | undefined, writing: Writing, hint: string, prefix: string | undefined, top = false): string {
    if (!schema) return 'unknown';
    const flat = flatten(schema);
    const { wire } = writing;
    if (flat.allOf) return flat.allOf.map((part) => paren(this.render(part, writing, hint, prefix))).join(' & ');
    if (flat.oneOf) return [...new Set(flat.oneOf.map((part) => paren(this.render(part, writing, hint, prefix))))].join(' | ');
    if (flat.enum && flat.enum.length > 0) return [...new Set(flat.enum.map((value) => literal(value, wire)))].join(' | ');
    const type = typeof flat.type === 'string' ? flat.type.trim() : undefined;
    if (type === 'array') return `Array<${this.render(flat.items, writing, `${hint}Item`, prefix)}>`;
    if (flat.properties || type === 'object') return this.object(flat, writing, hint, prefix, top);
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

  /**
   * An object type. With `prefix` undefined, written wholly inline: that text is the object's
   * identity, what the counting pass counts. Otherwise a shared one is a reference.
   */
  private object(schema: Schema, writing: Writing, hint: string, prefix: string | undefined, top = false): string {
    if (Object.keys(schema.properties ?? {}).length === 0) return this.members(schema, writing, hint, prefix, top);
    if (prefix === undefined) return this.members(schema, writing, hint, undefined, top);
    const identity = this.members(schema, writing, hint, undefined, top);
    const wanted = schema['x-definition'] ? pascal(schema['x-definition']) : hint;
    if (this.counting) {
      const seen = this.seen.get(identity);
      if (seen) seen.count += 1;
      else this.seen.set(identity, { count: 1, wanted });
      return this.members(schema, writing, hint, prefix, top);
    }
    const seen = this.seen.get(identity);
    if (!seen || seen.count < 2) return this.members(schema, writing, hint, prefix, top);
    let name = this.names.get(identity);
    if (name === undefined) {
      name = this.registry.claim(seen.wanted || 'Shape');
      this.names.set(identity, name);
      // A type alias rather than an interface, so a value of it converts to `Record<string, unknown>`.
      const index = this.declared.push('') - 1;
      this.declared[index] = `export type ${name} = ${this.members(schema, writing, name, '', top)};\n`;
    }
    return `${prefix}${name}`;
  }

  private members(schema: Schema, writing: Writing, hint: string, prefix: string | undefined, top = false): string {
    const properties = Object.entries(schema.properties ?? {});
    const extra = schema.additionalProperties;
    if (properties.length === 0) {
      return `Record<string, ${typeof extra === 'object' ? this.render(extra, writing, `${hint}Value`, prefix) : 'unknown'}>`;
    }
    const required = new Set(Array.isArray(schema.required) ? schema.required : []);
    // The catalogue lists both order ids as required where the gateway takes either one (二选一).
    if (required.has('transaction_id') && required.has('out_trade_no')) {
      required.delete('transaction_id');
      required.delete('out_trade_no');
    }
    const lines = properties.map(([key, child]) => {
      const optional = !required.has(key) || writing.relaxed.has(key) || (top && writing.top?.has(key)) ? '?' : '';
      const text = this.render(child ?? {}, writing, pascal(key), prefix);
      return member(fieldDoc(child ?? {}), `${propertyName(key)}${optional}: ${indented(text)};`);
    });
    if (typeof extra === 'object') lines.push(`\t[key: string]: ${(top && writing.index) || 'unknown'};\n`);
    return `{\n${lines.join('')}}`;
  }
}
