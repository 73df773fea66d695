import { parse } from 'uri-template';
import { ErrorCode, OptionError } from './errors';

/** A path template parsed once: its variable names and an expander that refuses to leave a segment. */
export interface PathTemplate {
  /** The template as written, e.g. `v3/pay/transactions/id/{transaction_id}`. */
  readonly source: string;
  /** Every variable the template names, in order of appearance. */
  readonly variables: readonly string[];
  /** Expands the template; throws an OptionError when a variable is missing or would climb out of its segment. */
  expand(values: Record<string, unknown>): string;
}

/** `.` and `..` segments (also percent-encoded) are resolved away by URL parsing and would change the path. */
const DOT_SEGMENT = /^(?:\.|%2e){1,2}$/i;

function refuseDotSegments(path: string, source: string, code: ErrorCode): string {
  if (path.split(/[?#]/, 1)[0].split('/').some((segment) => DOT_SEGMENT.test(segment))) {
    throw new OptionError(`path "${source}" would have a "." or ".." segment, which URL parsing resolves away`, code);
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
    const code = `U+${found[0].codePointAt(0)?.toString(16).toUpperCase().padStart(4, '0') ?? ''}`;
    throw new OptionError(`path segment refused: ${code} (${JSON.stringify(found[0])}) may not appear in a path written as code; pass such a value as a template variable`, ErrorCode.INVALID_OPTION);
  }
}

/**
 * Parses an RFC 6570 template (through the `uri-template` package). Simple `{var}` expansion
 * percent-encodes reserved characters, so a value like `../../x?y` stays inside its segment;
 * `{+var}` is reserved expansion and passes `/` and `?` through on purpose.
 */
export function parsePathTemplate(source: string): PathTemplate {
  refuseUnsafeLiterals(source);
  let template: ReturnType<typeof parse>;
  try {
    // `{empty}` is the catalogue's (and the PHP SDK's `_empty_`) way to write a trailing slash.
    template = parse(source.replace(/\{empty\}/g, ''));
  } catch (cause) {
    throw new OptionError(`path "${source}" is not a valid URI template`, ErrorCode.INVALID_OPTION, { cause });
  }
  const variables = template.ast.parts.flatMap((part) => (part.type === 'expression' ? part.variables.map((v) => v.name) : []));
  const expand = (values: Record<string, unknown>): string => {
    const absent = variables.filter((name) => missing(values[name]));
    if (absent.length > 0) {
      throw new OptionError(
        `path "${source}" needs the template variable${absent.length > 1 ? 's' : ''} ${absent.join(', ')}`,
        ErrorCode.TEMPLATE_VARIABLE,
      );
    }
    return refuseDotSegments(template.expand(values), source, ErrorCode.TEMPLATE_VARIABLE);
  };
  if (variables.length > 0) return { source, variables, expand };
  const fixed = refuseDotSegments(template.expand({}), source, ErrorCode.INVALID_OPTION);
  return { source, variables, expand: () => fixed };
}
