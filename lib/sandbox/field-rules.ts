import type { SandboxReply } from './routes';

/** What one field of a request body must be, as the gateway checks it. */
export interface FieldRule {
  /** Where the field is, dotted: `payer.openid`. */
  path: string;
  type: 'string' | 'integer' | 'boolean' | 'object';
  /** Absent is an error (an optional field is checked only when present). */
  required?: boolean;
  /** Strings: the most characters allowed. */
  max?: number;
  /** Strings: the whole value must match. */
  pattern?: RegExp;
  /** Integers: the least value allowed. */
  min?: number;
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
  }
}

/** The gateway's 400 `PARAM_ERROR` naming a field of the body (or of the query, or a path variable) and what is wrong with it. */
export function fieldError(path: string, problem: string, location: 'body' | 'query' | 'path' = 'body'): SandboxReply {
  return { status: 400, json: { code: 'PARAM_ERROR', message: `${path} ${problem}`, detail: { location, field: `/${path.replace(/\./g, '/')}` } } };
}

/**
 * Checks a parsed JSON body against `rules`, in order, as the gateway does before anything else:
 * the answer for the first field that fails, or undefined when all hold. A body that is not a JSON
 * object fails as a whole.
 */
export function checkFields(body: unknown, rules: readonly FieldRule[]): SandboxReply | undefined {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return { status: 400, json: { code: 'PARAM_ERROR', message: 'the body must be a JSON object' } };
  for (const rule of rules) {
    const problem = breach(rule, fieldAt(body, rule.path));
    if (problem) return fieldError(rule.path, problem);
  }
  return undefined;
}

/**
 * Checks the list at `path` of a parsed JSON body as the gateway does: present, an array of
 * `min` to `max` objects, each checked against `rules` (their paths within one item). The answer
 * names the first field that fails by its place (`sub_orders.1.amount`), or is undefined.
 */
export function checkList(body: unknown, path: string, rules: readonly FieldRule[], { min, max }: { min: number; max: number }): SandboxReply | undefined {
  const list = fieldAt(body, path);
  if (list === undefined || list === null) return fieldError(path, 'is required');
  if (!Array.isArray(list)) return fieldError(path, 'must be an array');
  if (list.length < min || list.length > max) return fieldError(path, `must have ${min} to ${max} items`);
  for (const [index, item] of list.entries()) {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) return fieldError(`${path}.${index}`, 'must be an object');
    for (const rule of rules) {
      const problem = breach(rule, fieldAt(item, rule.path));
      if (problem) return fieldError(`${path}.${index}.${rule.path}`, problem);
    }
  }
  return undefined;
}
