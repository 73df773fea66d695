// Writes openapi-types/events.d.ts: the event types the catalogue lists for notifications, the enum the
// envelope's `event_type` refers to in the webhooks file. The YAML comments around the values name
// each event (beside it, or as the title of the link above it); `toJS()` drops comments, so the
// enum is read as a Document node. The links themselves stay out: the package ships this file.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isScalar, isSeq, parse, parseDocument } from 'yaml';
import { WEBHOOKS } from './catalogue';
import { OPENAPI_TYPES, type OutputFile } from './declarations';
import { BANNER } from './names';
import { docComment } from './types';

/** One value of the enum and what its comments say of it. */
export interface EventType {
  value: string;
  /** Its name: the comment beside it, else the title of the first link above it, else that link as `@see`. */
  doc: string;
}

/** The parts of the webhooks file that lead to the enum. */
interface Webhooks {
  post: { parameters: Array<{ in: string; schema?: { properties?: { event_type?: { $ref?: string } } } }> };
}

/** A comment line (`@see [title](url)`, `see [title](url)` or a bare address) as its link, else undefined. */
function link(line: string): string | undefined {
  const text = line.trim().replace(/^@?see\s+/, '');
  return /^(\[[^\]]*\]\()?https?:\/\/\S+$/.test(text) ? text : undefined;
}

/**
 * The event types of the catalogue under `root`, in its order. A block of links above a value
 * holds for the values after it until the next block (`ECOMMERCE_ENTRUST.SIGN` and `.TERMINATE`
 * share one).
 */
export function eventTypes(root: string): EventType[] {
  const index = parse(readFileSync(join(root, 'swagger.yaml'), 'utf8')) as { paths: Record<string, { $ref: string }> };
  const doc = parseDocument(readFileSync(join(root, index.paths[`/${WEBHOOKS}`].$ref), 'utf8'));
  const body = (doc.toJS() as Webhooks).post.parameters.find((parameter) => parameter.in === 'body');
  const name = body?.schema?.properties?.event_type?.$ref?.replace(/^#/, '');
  const values = name === undefined ? undefined : doc.getIn([name, 'enum'], true);
  if (!isSeq(values)) throw new Error(`${WEBHOOKS}: the event_type enum was not found`);
  let first: string | undefined;
  return values.items.map((item, i) => {
    if (!isScalar(item)) throw new Error(`${WEBHOOKS}: event type ${i} is not a scalar`);
    const before = i === 0 ? (item.commentBefore ?? values.commentBefore) : item.commentBefore;
    if (before !== undefined && before !== null) first = before.split('\n').map(link).find(Boolean);
    const title = /^\[([^\]]+)\]/.exec(first ?? '')?.[1];
    return { value: String(item.value), doc: item.comment?.trim() || title || (first ? `@see ${first}` : '') };
  });
}

/** openapi-types/events.d.ts: `CatalogueEventType`, each member with its name. */
export function eventsFile(root: string): OutputFile {
  const members = eventTypes(root).map(({ value, doc }) => `${docComment([doc], '\t')}\t| ${JSON.stringify(value)}`);
  const head = docComment(['Every event type the catalogue lists for notifications: the values of the envelope\'s `event_type`.'], '');
  return { path: `${OPENAPI_TYPES}/events.d.ts`, text: `// ${BANNER}\n\n${head}export type CatalogueEventType =\n${members.join('\n')};\n` };
}
