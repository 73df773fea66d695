import { isPlainObject } from '../plain-object';
import type { CatalogueSchema } from './catalogue-data';

/**
 * How values travel: `json` keeps numbers and booleans; `text` is everything that arrives as
 * strings (APIv2 XML fields, the query, path variables), where `100` stands for an integer and
 * nested data is JSON inside a string.
 */
export type Wire = 'json' | 'text';

/** What is wrong with a value, and where: `amount.total`, `sub_orders.0.sub_mchid`. */
export interface Breach {
  field: string;
  /** `is required`, or what the value must be (`must be a whole number`, `must be one of …`). */
  problem: string;
}

/** The problem the schema finds in a missing field. */
export const MISSING = 'is required';

/** The two order ids the catalogue lists as required where either one will do (二选一). */
const EITHER = ['transaction_id', 'out_trade_no'];

const INTEGER = /^-?\d+$/;

/** What a JSON value of `type` must be, if it is not. */
function jsonProblem(type: CatalogueSchema['type'], value: unknown): string | undefined {
  switch (type) {
    case 'string':
      return typeof value === 'string' ? undefined : 'must be a string';
    case 'integer':
      return Number.isSafeInteger(value) ? undefined : 'must be a whole number';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? undefined : 'must be a number';
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'must be true or false';
    case 'object':
      return isPlainObject(value) ? undefined : 'must be an object';
    case 'array':
      return Array.isArray(value) ? undefined : 'must be an array';
    default:
      return undefined;
  }
}

/**
 * What a text value of `type` must be, if it is not: a boolean in any case (APIv2 writes `TRUE`);
 * an object or an array is JSON in the text, taken as it is.
 */
function textProblem(type: CatalogueSchema['type'], value: unknown): string | undefined {
  if (typeof value !== 'string') return 'must be text';
  if (type === 'integer' && !INTEGER.test(value)) return 'must be a whole number';
  if (type === 'number' && (value.trim() === '' || !Number.isFinite(Number(value)))) return 'must be a number';
  if (type === 'boolean' && !/^(?:true|false)$/i.test(value)) return 'must be true or false';
  return undefined;
}

/** Absent, as the gateway sees it: not given, null, or (as text) empty. */
function absent(value: unknown, wire: Wire): boolean {
  return value === undefined || value === null || (wire === 'text' && value === '');
}

/**
 * The first field `schema` requires and `value` lacks, less those `optional` names; where the
 * schema requires both order ids, either one will do.
 */
function missingField(schema: CatalogueSchema, value: Record<string, unknown>, wire: Wire, optional: ReadonlySet<string>): string | undefined {
  let required = (schema.required ?? []).filter((name) => !optional.has(name));
  if (EITHER.every((name) => required.includes(name))) {
    if (EITHER.every((name) => absent(value[name], wire))) return EITHER.join(' or ');
    required = required.filter((name) => !EITHER.includes(name));
  }
  return required.find((name) => absent(value[name], wire));
}

function join(field: string, key: string | number): string {
  return field === '' ? String(key) : `${field}.${key}`;
}

/**
 * The first breach of `schema` in `value`, or undefined when the value holds: an object's
 * required fields present (the first missing named), then each field it describes, in the
 * schema's order and depth first, one of its enum where the schema has one, else of its type.
 * Fields the schema does not describe pass, and so does any value where the schema names no
 * type. `value` itself is the body, the query or the path variables (`wire` says how their values
 * travel); `optional` names fields never required.
 */
export function findBreach(schema: CatalogueSchema, value: unknown, wire: Wire, optional: ReadonlySet<string> = new Set(), field = ''): Breach | undefined {
  const leafAsText = wire === 'text' && field !== '';
  // An enum decides alone, as in the declared types: the catalogue gives `2401` for a string type.
  if (schema.enum && schema.enum.length > 0) {
    const known = leafAsText ? schema.enum.some((allowed) => String(allowed) === value) : schema.enum.includes(value as string | number | boolean);
    return known ? undefined : { field, problem: `must be one of ${schema.enum.map(String).join(', ')}` };
  }
  const type = schema.type ?? (schema.properties ? 'object' : undefined);
  const problem = leafAsText ? textProblem(type, value) : jsonProblem(type, value);
  if (problem) return { field, problem };
  if (leafAsText) return undefined;
  if (Array.isArray(value) && schema.items) {
    for (const [i, item] of value.entries()) {
      const breach = absent(item, wire) ? undefined : findBreach(schema.items, item, wire, optional, join(field, i));
      if (breach) return breach;
    }
  }
  if (isPlainObject(value)) {
    const missing = missingField(schema, value, wire, optional);
    if (missing) return { field: join(field, missing), problem: MISSING };
    for (const [name, child] of Object.entries(schema.properties ?? {})) {
      const breach = absent(value[name], wire) ? undefined : findBreach(child, value[name], wire, optional, join(field, name));
      if (breach) return breach;
    }
  }
  return undefined;
}
