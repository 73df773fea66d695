import type * as UriTemplate from 'uri-template';
import { type OptionError, InvalidOptionError, TemplateVariableError } from './errors';
import { codePointName, encodeOrRefuse, isTripletAt, type KeptCharacters } from './percent-encoding';
import { isPlainObject } from './plain-object';

/** A path template parsed once: its variable names and an expander that refuses to leave a segment. */
export interface PathTemplate {
  /** The template as written, e.g. `v3/pay/transactions/id/{transaction_id}`. */
  readonly source: string;
  /** Every variable the template names, in order of appearance. */
  readonly variables: readonly string[];
  /**
   * Expands the template; throws an OptionError when a variable is missing, has no text form,
   * holds a control character or a lone surrogate, or would climb out of its segment.
   */
  expand(values: Record<string, unknown>): string;
}

type Part = ReturnType<typeof UriTemplate.parse>['ast']['parts'][number];
type Expression = Extract<Part, { type: 'expression' }>;
type Variable = Expression['variables'][number];

/** How an RFC 6570 operator starts, joins and encodes what it expands (the table of its appendix A). */
interface Operator {
  readonly first: string;
  readonly sep: string;
  /** Whether values are written as `name=value` (`;`, `?`, `&`). */
  readonly named: boolean;
  /** What follows a name whose value is empty. */
  readonly ifemp: string;
  readonly keep: KeptCharacters;
}

const OPERATORS: Record<Expression['operator'], Operator> = {
  '': { first: '', sep: ',', named: false, ifemp: '', keep: 'unreserved' },
  '+': { first: '', sep: ',', named: false, ifemp: '', keep: 'reserved' },
  '#': { first: '#', sep: ',', named: false, ifemp: '', keep: 'reserved' },
  '.': { first: '.', sep: '.', named: false, ifemp: '', keep: 'unreserved' },
  '/': { first: '/', sep: '/', named: false, ifemp: '', keep: 'unreserved' },
  ';': { first: ';', sep: ';', named: true, ifemp: '', keep: 'unreserved' },
  '?': { first: '?', sep: '&', named: true, ifemp: '=', keep: 'unreserved' },
  '&': { first: '&', sep: '&', named: true, ifemp: '=', keep: 'unreserved' },
};

/** Builds the error for one variable: its name and the path, never its value. */
type Refuse = (detail: string) => OptionError;

/** A variable of an expression, with its error built once at parse time rather than per call. */
interface CompiledVariable {
  readonly variable: Variable;
  readonly refuse: Refuse;
}

type CompiledPart = { literal: string } | { op: Operator; variables: readonly CompiledVariable[] };

const SCALAR_TYPES = 'a string, number, boolean or bigint';

/** A value's text, for the types that have one; `undefined` for any other. */
function textOf(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(value);
    default:
      return undefined;
  }
}

/** What a refused value is, for the message: its type, never its content. */
function kindOf(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (typeof value !== 'object' || value === null) return typeof value;
  const constructor = (Object.getPrototypeOf(value) as { constructor?: { name?: unknown } } | null)?.constructor;
  return `an object (${typeof constructor?.name === 'string' ? constructor.name : 'unnamed class'})`;
}

/** Names a member of a list or map in a message; a key is cut short, as it may be data. */
function memberName(key: string | undefined, index: number): string {
  return key === undefined ? `item ${index}` : `key ${JSON.stringify(key.slice(0, 40))}`;
}

/**
 * The first `length` characters of `text` ({var:n}): code points, not UTF-16 units, and in
 * reserved expansion a `%XX` triplet counts as one character, so the cut never splits either.
 */
function prefixOf(text: string, length: number, keep: KeptCharacters): string {
  let end = 0;
  for (let count = 0; count < length && end < text.length; count += 1) {
    if (keep === 'reserved' && isTripletAt(text, end)) {
      end += 3;
    } else {
      const unit = text.charCodeAt(end);
      const next = text.charCodeAt(end + 1);
      end += unit >= 0xd800 && unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff ? 2 : 1;
    }
  }
  return text.slice(0, end);
}

/** The defined members of a list (keyless) or of a plain object, as text (RFC 6570 section 2.3). */
function membersOf(value: unknown, refuse: Refuse): Array<[key: string | undefined, text: string]> {
  let entries: Array<[string | undefined, unknown]>;
  if (Array.isArray(value)) entries = value.map((item) => [undefined, item]);
  else if (isPlainObject(value)) entries = Object.entries(value);
  else throw refuse(`must be ${SCALAR_TYPES}, or a list or plain object of them; got ${kindOf(value)}`);
  const members: Array<[string | undefined, string]> = [];
  entries.forEach(([key, item], index) => {
    if (item === undefined || item === null) return;
    const text = textOf(item);
    if (text === undefined) throw refuse(`${memberName(key, index)} must be ${SCALAR_TYPES}; got ${kindOf(item)}`);
    members.push([key, text]);
  });
  return members;
}

/** One variable as RFC 6570 appendix A expands it; `undefined` when it is undefined (and so left out). */
function expandVariable({ variable, refuse }: CompiledVariable, value: unknown, op: Operator): string | undefined {
  if (value === undefined || value === null) return undefined;
  const { name, modifier } = variable;
  const text = textOf(value);
  if (text !== undefined) {
    const encoded = encodeOrRefuse(modifier?.type === 'substr' ? prefixOf(text, modifier.length, op.keep) : text, op.keep, refuse);
    return op.named ? `${name}${encoded === '' ? op.ifemp : `=${encoded}`}` : encoded;
  }
  if (modifier?.type === 'substr') throw refuse(`a prefix {${name}:${modifier.length}} applies only to ${SCALAR_TYPES}; got ${kindOf(value)}`);
  const members = membersOf(value, refuse);
  if (members.length === 0) return undefined;
  const pairs = members.map(([key, item], index): [label: string | undefined, encoded: string] => {
    const where = `${memberName(key, index)}: `;
    return [key === undefined ? undefined : encodeOrRefuse(key, op.keep, refuse, where), encodeOrRefuse(item, op.keep, refuse, where)];
  });
  if (modifier?.type !== 'explode') {
    const joined = pairs.flatMap(([label, encoded]) => (label === undefined ? [encoded] : [label, encoded])).join(',');
    return op.named ? `${name}${joined === '' ? op.ifemp : `=${joined}`}` : joined;
  }
  // Exploded, a map value is named after its key, and a list item after the variable when the operator names values.
  return pairs
    .map(([key, encoded]) => {
      const label = key ?? (op.named ? name : undefined);
      if (label === undefined) return encoded;
      return op.named && encoded === '' ? `${label}${op.ifemp}` : `${label}=${encoded}`;
    })
    .join(op.sep);
}

/** Only the caller's own keys count: `{constructor}` must not expand `Object.prototype.constructor`. */
function valueOf(values: Record<string, unknown>, name: string): unknown {
  return Object.hasOwn(values, name) ? values[name] : undefined;
}

/**
 * Our own RFC 6570 (section 3.2) expansion over the parser's AST. The `uri-template` package's
 * expander writes bytes below 0x10 with one hex digit and encodes each UTF-16 unit on its own
 * (CESU-8), so what it sends is not the value given. Literals are copied as written: they are
 * code, checked by {@link refuseUnsafeLiterals}.
 */
function expandParts(parts: readonly CompiledPart[], values: Record<string, unknown>): string {
  let out = '';
  for (const part of parts) {
    if ('literal' in part) {
      out += part.literal;
      continue;
    }
    const expanded: string[] = [];
    for (const compiled of part.variables) {
      const text = expandVariable(compiled, valueOf(values, compiled.variable.name), part.op);
      if (text !== undefined) expanded.push(text);
    }
    if (expanded.length > 0) out += part.op.first + expanded.join(part.op.sep);
  }
  return out;
}

/** `.` and `..` segments (also percent-encoded) are resolved away by URL parsing and would change the path. */
const DOT_SEGMENT = /^(?:\.|%2e){1,2}$/i;

function refuseDotSegments(path: string, source: string, Refusal: typeof InvalidOptionError | typeof TemplateVariableError): string {
  if (path.split(/[?#]/, 1)[0].split('/').some((segment) => DOT_SEGMENT.test(segment))) {
    throw new Refusal(`path "${source}" would have a "." or ".." segment, which URL parsing resolves away`);
  }
  return path;
}

function missing(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

/**
 * Characters a path segment written as code may not hold: `\\` (URL parsing turns it into `/`),
 * `?` and `#` (they would start a query or cut the path), and C0/C1 controls (parsing drops TAB,
 * LF and CR). Any of them would let the request that is signed and sent differ from the path
 * written; values that need them go in template variables, which are percent-encoded.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE_IN_SEGMENT = /[\\?#\u0000-\u001f\u007f-\u009f]/;

function refuseUnsafeLiterals(source: string): void {
  const found = UNSAFE_IN_SEGMENT.exec(source.replace(/\{[^{}]*\}/g, ''));
  if (found) {
    throw new InvalidOptionError(`path segment refused: ${codePointName(found[0].charCodeAt(0))} (${JSON.stringify(found[0])}) may not appear in a path written as code; pass such a value as a template variable`);
  }
}

/**
 * Parses an RFC 6570 template with the `uri-template` package's parser and expands it with our
 * own expander (every operator, explode `*` and prefix `:n`). Values are percent-encoded as
 * RFC 3986 UTF-8: simple `{var}` expansion encodes every reserved character, so a value like
 * `../../x?y` stays inside its segment; `{+var}` and `{#var}` are reserved expansion and pass
 * `/`, `?` and valid `%XX` triplets through on purpose. Strings, numbers, booleans and bigints
 * expand as their text, arrays as lists, plain objects as maps; any other value, and a value
 * holding a control character or a lone surrogate, is refused with `TEMPLATE_VARIABLE`.
 *
 * @example
 * parsePathTemplate('v3/pay/transactions/id/{transaction_id}').expand({ transaction_id: '4200000001' });
 * // 'v3/pay/transactions/id/4200000001'
 */
export function parsePathTemplate(source: string): PathTemplate {
  refuseUnsafeLiterals(source);
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on the first call, to keep require('wechatpay-ts') light
  const { parse } = require('uri-template') as typeof UriTemplate;
  let template: ReturnType<typeof parse>;
  try {
    // `{empty}` is the catalogue's (and the PHP SDK's `_empty_`) way to write a trailing slash.
    template = parse(source.replace(/\{empty\}/g, ''));
  } catch (cause) {
    throw new InvalidOptionError(`path "${source}" is not a valid URI template`, { cause });
  }
  const parts: CompiledPart[] = template.ast.parts.map((part) =>
    part.type === 'literal'
      ? { literal: part.value }
      : {
          op: OPERATORS[part.operator],
          variables: part.variables.map((variable) => ({
            variable,
            refuse: (detail: string) => new TemplateVariableError(`template variable "${variable.name}" of path "${source}": ${detail}`),
          })),
        },
  );
  const variables = template.ast.parts.flatMap((part) => (part.type === 'expression' ? part.variables.map((v) => v.name) : []));
  const expand = (values: Record<string, unknown>): string => {
    const absent = variables.filter((name) => missing(valueOf(values, name)));
    if (absent.length > 0) {
      throw new TemplateVariableError(
        `path "${source}" needs the template variable${absent.length > 1 ? 's' : ''} ${absent.join(', ')}`,
      );
    }
    return refuseDotSegments(expandParts(parts, values), source, TemplateVariableError);
  };
  if (variables.length > 0) return { source, variables, expand };
  const fixed = refuseDotSegments(expandParts(parts, {}), source, InvalidOptionError);
  return { source, variables, expand: () => fixed };
}
