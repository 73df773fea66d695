import type { SandboxReply } from './routes';

/** What one field of a request body must be, as the gateway checks it. */
export interface FieldRule {
  /** Where the field is, dotted: `payer.openid`. */
  path: string;
  type: 'string' | 'integer' | 'boolean' | 'object' | 'array';
  /** Absent is an error (an optional field is checked only when present). */
  required?: boolean;
  /** Strings: the most characters allowed; arrays: the most items. */
  max?: number;
  /** Strings: the whole value must match. */
  pattern?: RegExp;
  /** Integers: the least value allowed; arrays: the fewest items. */
  min?: number;
  /** Arrays: the rules each item keeps, its fields' paths taken from the item (`amount` names `receivers.0.amount`). */
  items?: readonly FieldRule[];
}

/** The value at a dotted path of a parsed body, undefined where any step is missing. */
export function fieldAt(body: unknown, path: string): unknown {
  let value = body;
  for (const step of path.split('.')) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[step];
  }
  return value;
}

/** Why `value` breaks `rule`, or undefined. */
function breach(rule: FieldRule, value: unknown): string | undefined {
  if (value === undefined || value === null) return rule.required ? 'is required' : undefined;
  switch (rule.type) {
    case 'string':
      if (typeof value !== 'string' || (rule.required && value === '')) return 'must be a non-empty string';
      if (rule.max !== undefined && [...value].length > rule.max) return `must be at most ${rule.max} characters`;
      if (rule.pattern && !rule.pattern.test(value)) return `does not have the expected format (${String(rule.pattern)})`;
      return undefined;
    case 'integer':
      if (!Number.isSafeInteger(value)) return 'must be a whole number';
      return rule.min !== undefined && (value as number) < rule.min ? `must be at least ${rule.min}` : undefined;
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'must be true or false';
    case 'object':
      return typeof value === 'object' && !Array.isArray(value) ? undefined : 'must be an object';
    case 'array':
      if (!Array.isArray(value)) return 'must be an array';
      if (rule.min !== undefined && value.length < rule.min) return `must have at least ${rule.min} item${rule.min === 1 ? '' : 's'}`;
      return rule.max !== undefined && value.length > rule.max ? `must have at most ${rule.max} items` : undefined;
  }
}

/** The first field of `body` that breaks its rule, in the order of `rules` and an array's items in turn, its path under `prefix`. */
function firstBreach(body: unknown, rules: readonly FieldRule[], prefix: string): { path: string; problem: string } | undefined {
  for (const rule of rules) {
    const path = `${prefix}${rule.path}`;
    const value = fieldAt(body, rule.path);
    const problem = breach(rule, value);
    if (problem) return { path, problem };
    if (!rule.items || !Array.isArray(value)) continue;
    for (const [index, item] of value.entries()) {
      if (item === null || typeof item !== 'object' || Array.isArray(item)) return { path: `${path}.${index}`, problem: 'must be an object' };
      const inner = firstBreach(item, rule.items, `${path}.${index}.`);
      if (inner) return inner;
    }
  }
  return undefined;
}

/** The gateway's 400 `PARAM_ERROR` naming a field of the body (or of the query, or a path variable) and what is wrong with it. */
export function fieldError(path: string, problem: string, location: 'body' | 'query' | 'path' = 'body'): SandboxReply {
  return { status: 400, json: { code: 'PARAM_ERROR', message: `${path} ${problem}`, detail: { location, field: `/${path.replace(/\./g, '/')}` } } };
}

/**
 * Checks a parsed JSON body against `rules`, in order (an array's items each against the rule's
 * `items`), as the gateway does before anything else: the answer for the first field that fails,
 * or undefined when all hold. A body that is not a JSON object fails as a whole.
 */
export function checkFields(body: unknown, rules: readonly FieldRule[]): SandboxReply | undefined {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return { status: 400, json: { code: 'PARAM_ERROR', message: 'the body must be a JSON object' } };
  const found = firstBreach(body, rules, '');
  return found && fieldError(found.path, found.problem);
}
