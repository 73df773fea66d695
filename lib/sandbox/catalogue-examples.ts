import type { CatalogueOperation, CatalogueSchema } from './catalogue-data';

/**
 * Which fields an example object has: `required` ones only (a call's options, as the endpoint
 * pages show them), or `all` that the schema describes (an answer).
 */
export type ExampleFields = 'required' | 'all';

/** How deep a call's example writes objects out; deeper ones are `{}`. */
const CALL_DEPTH = 6;

/** The example as a value of the schema's type, or undefined where it cannot be one. */
function typedExample(schema: CatalogueSchema): unknown {
  const { type, example } = schema;
  if (example === undefined) return undefined;
  if (type === 'integer' || type === 'number') {
    const number = typeof example === 'number' ? example : typeof example === 'string' && example.trim() !== '' ? Number(example) : NaN;
    return (type === 'integer' ? Number.isSafeInteger(number) : Number.isFinite(number)) ? number : undefined;
  }
  if (type === 'string') return typeof example === 'string' ? example : JSON.stringify(example);
  if (type === 'boolean') return typeof example === 'boolean' ? example : undefined;
  return type === undefined ? example : undefined;
}

/**
 * A value of `schema` built from the catalogue's examples: for an enum, its example when that is
 * one of the values, else the first value; for a scalar, its example as a value of its type, else
 * `1`, `true` or `example_<name>`; for an array, one item; for an object, its fields (as `fields`
 * says). Every value it builds is valid against the schema.
 */
export function exampleOf(schema: CatalogueSchema | undefined, name: string, fields: ExampleFields, depth = 0): unknown {
  if (!schema) return `example_${name}`;
  if (schema.type === 'array') return [exampleOf(schema.items, name, fields, depth + 1)];
  if (schema.properties && (fields === 'all' || depth < CALL_DEPTH)) {
    const properties = schema.properties;
    const names = fields === 'all' ? Object.keys(properties) : (schema.required ?? []).filter((key) => properties[key]);
    return Object.fromEntries(names.map((key) => [key, exampleOf(properties[key], key, fields, depth + 1)]));
  }
  if (schema.enum && schema.enum.length > 0) return schema.example !== undefined && schema.enum.includes(schema.example) ? schema.example : schema.enum[0];
  const typed = typedExample(schema);
  if (typed !== undefined) return typed;
  if (schema.type === 'integer' || schema.type === 'number') return 1;
  if (schema.type === 'boolean') return true;
  if (schema.type === 'object' || schema.properties) return {};
  return `example_${name}`;
}

/**
 * The options of a call to `operation` with the catalogue's example values: each path variable,
 * the required `query` parameters, and the body (`json`, or for APIv2 `xml`, less the `nonce_str`
 * and `sign` the client adds). An upload's `media` is the caller's to add. Undefined when the call
 * takes none of these.
 */
export function exampleCall(operation: CatalogueOperation): Record<string, unknown> | undefined {
  const entries: Array<[string, unknown]> = Object.entries(operation.variables ?? {}).map(([name, schema]) => [name, exampleOf(schema, name, 'required')]);
  const query = operation.query && (exampleOf(operation.query, 'query', 'required') as Record<string, unknown>);
  if (query && Object.keys(query).length > 0) entries.push(['query', query]);
  if (operation.body) {
    const v2 = operation.path.startsWith('v2/');
    const body = exampleOf(operation.body, 'body', 'required') as Record<string, unknown>;
    if (v2) {
      delete body.nonce_str;
      delete body.sign;
    }
    entries.push([v2 ? 'xml' : 'json', body]);
  }
  return entries.length === 0 ? undefined : Object.fromEntries(entries);
}
