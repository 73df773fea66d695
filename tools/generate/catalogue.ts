// Reads the Swagger 2.0 catalogue: swagger.yaml lists every path, each `$ref` to one file whose
// schemas `$ref` shared files under definitions/. Every `$ref` is resolved here, once, with its
// sibling keys (a local `description` or `example`) laid over what it points at; a schema reached
// through definitions/ keeps that definition's name (`x-definition`), so the declarations can
// declare it once under that name. The errata (errata.ts) correct a file as it is read.
import { readFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { isAlias, isMap, isScalar, isSeq, parseDocument, type Document } from 'yaml';
import { applyErrata } from './errata';

/** The project's vendored copy of the catalogue (catalogue/ at the repository root; see its README). */
export const CATALOGUE = join(__dirname, '..', '..', '..', 'catalogue');

/**
 * The catalogue's description of the notifications WeChat Pay POSTs to a merchant: no merchant
 * calls it, so it is no operation here; events.ts reads the event types it lists.
 */
export const WEBHOOKS = 'v3/webhooks';

/** A schema or parameter as the catalogue writes it, `$ref`s already resolved. */
export interface Schema {
  type?: string;
  format?: string;
  description?: string;
  example?: unknown;
  enum?: unknown[];
  /** The comment beside each enum value (`- TERMINATION_MODE_BY_USER #用户解约`), when it has one. */
  'x-enum-meanings'?: Array<string | undefined>;
  required?: string[] | boolean;
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  items?: Schema;
  allOf?: Schema[];
  oneOf?: Schema[];
  'x-json'?: Schema;
  nullable?: boolean;
  /** The name of the definitions/ entry this schema came from (`TransactionBase`, or the file's name for a whole-file `$ref`). */
  'x-definition'?: string;
}

/** One entry of an operation's `parameters`. */
export interface Parameter extends Schema {
  name: string;
  in: 'path' | 'query' | 'header' | 'body' | 'formData';
  schema?: Schema;
}

/** One path and method of the catalogue. */
export interface Operation {
  /** The path without its leading slash, as the chain writes it: `v3/pay/transactions/id/{transaction_id}`. */
  path: string;
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** The catalogue file, relative to the catalogue root. */
  file: string;
  summary?: string;
  description?: string;
  tags?: string[];
  'x-role'?: string[];
  'x-last-updated-at'?: unknown;
  consumes?: string[];
  produces?: string[];
  parameters: Parameter[];
  responses: Record<string, { description?: string; schema?: Schema }>;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** YAML to plain data, keeping the comment beside each enum value, which `toJS()` drops. */
function toData(node: unknown, doc: Document): Json {
  if (isAlias(node)) return toData(node.resolve(doc), doc);
  if (isScalar(node)) return node.value as Json;
  if (isSeq(node)) return node.items.map((item) => toData(item, doc));
  if (isMap(node)) {
    const out: Record<string, Json> = {};
    for (const pair of node.items) {
      const key = String(isScalar(pair.key) ? pair.key.value : pair.key);
      out[key] = toData(pair.value, doc);
      if (key === 'enum' && isSeq(pair.value)) {
        const meanings = pair.value.items.map((item) => (isScalar(item) ? item.comment?.trim() || undefined : undefined));
        if (meanings.some(Boolean)) out['x-enum-meanings'] = meanings.map((m) => m ?? null);
      }
    }
    return out;
  }
  return null;
}

/** Loads and resolves the catalogue under `root`, all but {@link WEBHOOKS}; operations sorted by path, then method. */
export function loadCatalogue(root: string): Operation[] {
  const definitions = join(root, 'definitions');
  const files = new Map<string, Json>();
  const load = (file: string): Json => {
    let data = files.get(file);
    if (data === undefined) {
      const doc = parseDocument(readFileSync(file, 'utf8'), { uniqueKeys: false });
      data = applyErrata(relative(root, file).split('\\').join('/'), toData(doc.contents, doc));
      files.set(file, data);
    }
    return data;
  };

  const resolve = (value: Json, file: string, depth: number): Json => {
    if (depth > 40) throw new Error(`$ref too deep in ${file}`);
    if (Array.isArray(value)) return value.map((item) => resolve(item, file, depth));
    if (value === null || typeof value !== 'object') return value;
    const { $ref, ...siblings } = value;
    let base: Record<string, Json> = {};
    if (typeof $ref === 'string') {
      const [target, pointer = ''] = $ref.split('#');
      const targetFile = target === '' ? file : join(dirname(file), target);
      let pointed: Json = load(targetFile);
      for (const key of pointer.split('/').filter(Boolean)) {
        pointed = pointed !== null && typeof pointed === 'object' && !Array.isArray(pointed) ? pointed[key] : null;
      }
      if (pointed === null || pointed === undefined) throw new Error(`unresolved $ref ${$ref} in ${file}`);
      const resolved = resolve(pointed, targetFile, depth + 1);
      if (resolved !== null && typeof resolved === 'object' && !Array.isArray(resolved)) {
        base = resolved;
        if (relative(definitions, targetFile).split(/[\\/]/)[0] !== '..') {
          base = { ...resolved, 'x-definition': pointer.split('/').filter(Boolean).pop() ?? basename(targetFile, '.yaml') };
        }
      }
    }
    const out: Record<string, Json> = { ...base };
    for (const [key, child] of Object.entries(siblings)) out[key] = resolve(child, file, depth);
    return out;
  };

  const index = load(join(root, 'swagger.yaml')) as { paths: Record<string, { $ref: string }> };
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(index.paths)) {
    const bare = path.replace(/^\/+/, '');
    if (bare === WEBHOOKS) continue;
    const file = join(root, item.$ref);
    const data = load(file) as Record<string, Json>;
    for (const method of METHODS) {
      const raw = data[method];
      if (raw === undefined || raw === null) continue;
      const op = resolve(raw, file, 0) as unknown as Omit<Operation, 'path' | 'method' | 'file'>;
      const source = relative(root, file).split('\\').join('/');
      operations.push({
        ...op,
        // The catalogue writes APIv2 paths as the gateway serves them (`/pay/micropay`, file
        // v2/pay/micropay.yaml); the chain sends a path to APIv2 when it starts with `v2/`.
        path: source.startsWith('v2/') && !bare.startsWith('v2/') ? `v2/${bare}` : bare,
        method,
        file: source,
        parameters: (op.parameters ?? []).flatMap((p) => (Array.isArray(p) ? (p as Parameter[]) : [p])),
        responses: op.responses ?? {},
      });
    }
  }
  return operations.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : METHODS.indexOf(a.method) - METHODS.indexOf(b.method)));
}

/** Whether the operation speaks APIv2 (XML); its path starts with `v2/`. */
export function isV2(op: Operation): boolean {
  return op.path.startsWith('v2/');
}

/**
 * Whether the operation answers a file (text, gzip or PDF), not the schema the catalogue gives,
 * which describes its failure: what it produces is neither JSON nor XML, or it is an APIv2 download.
 */
export function answersFile(op: Operation): boolean {
  return (op.produces ?? []).some((type) => !/json|xml/.test(type)) || (isV2(op) && /download/.test(op.path.split('/').pop() ?? ''));
}

/** The schema of the successful answer: 200, else the first 2xx with one. */
export function responseSchema(op: Operation): Schema | undefined {
  const codes = Object.keys(op.responses).filter((code) => /^2/.test(code)).sort();
  for (const code of codes) if (op.responses[code]?.schema) return op.responses[code].schema;
  return undefined;
}

/** The object schema of `allOf` parts merged into one (properties and required lists joined). */
export function flatten(schema: Schema): Schema {
  if (!schema.allOf) return schema;
  const { allOf, ...rest } = schema;
  const parts = allOf.map(flatten);
  if (parts.every((part) => !part.properties && part.type !== 'object')) {
    // Scalar parts extend one another: `allOf: [$ref BillType, { enum: [more values] }]` takes either list's values.
    const merged: Schema = Object.assign({}, ...parts, rest) as Schema;
    const values = parts.flatMap((part) => part.enum ?? []);
    const meanings = parts.flatMap((part) => part.enum?.map((_, i) => part['x-enum-meanings']?.[i]) ?? []);
    if (values.length > 0) return { ...merged, enum: values, 'x-enum-meanings': meanings };
    return merged;
  }
  if (!parts.every((part) => part.properties || part.type === 'object')) return schema;
  const required = [...parts.flatMap((p) => (Array.isArray(p.required) ? p.required : [])), ...(Array.isArray(rest.required) ? rest.required : [])];
  const properties: Record<string, Schema> = {};
  for (const part of parts) Object.assign(properties, part.properties);
  Object.assign(properties, rest.properties);
  return { ...rest, type: 'object', properties, required: [...new Set(required)] };
}
