import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { brotliDecompress } from 'node:zlib';

/**
 * A schema of the sandbox catalogue: the catalogue's own with `allOf` merged, its type spelled
 * one of the JSON Schema names (or left out where the catalogue's is not one), and only what the
 * sandbox checks and answers with kept: no descriptions, lengths or formats.
 */
export interface CatalogueSchema {
  type?: 'string' | 'integer' | 'number' | 'boolean' | 'object' | 'array' | 'file';
  enum?: Array<string | number | boolean>;
  /** The object fields that must be present. */
  required?: string[];
  properties?: Record<string, CatalogueSchema>;
  items?: CatalogueSchema;
  /**
   * The catalogue's example, where it is a single value. Request fields keep theirs only where an
   * example call uses it (along required fields); answer fields all keep theirs.
   */
  example?: string | number | boolean;
}

/** One operation of the catalogue, as the sandbox checks its requests and answers it. */
export interface CatalogueOperation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** The path as the chain writes it: `v3/pay/transactions/id/{transaction_id}`, `v2/pay/orderquery`. */
  path: string;
  /** The path's template variables, in order, each with its schema (empty where the catalogue declares none). */
  variables?: Record<string, CatalogueSchema>;
  /** The query parameters, as one object schema. */
  query?: CatalogueSchema;
  /** The JSON body (APIv3) or the XML fields (APIv2). */
  body?: CatalogueSchema;
  /** Whether the call must send that body. */
  bodyRequired?: boolean;
  /** The parts of a multipart/form-data body (an upload), as one object schema; `meta` holds its JSON fields. */
  form?: CatalogueSchema;
  /** Fields optional at every depth whatever `required` says: a provider's ids, on paths a merchant also calls for itself. */
  optional?: string[];
  /** The status of a successful answer. */
  status: number;
  /** The schema of a successful answer's body, when it has one. */
  answer?: CatalogueSchema;
}

/** The data file: every operation of the catalogue, sorted by path, then method. */
export interface CatalogueData {
  /** Names the generator that wrote it. */
  banner: string;
  operations: CatalogueOperation[];
}

/** The file's name under openapi/, where `npm run generate` writes it (brotli-compressed JSON). */
export const CATALOGUE_FILE = 'sandbox-catalogue.json.br';

/**
 * Where the data file is. In the package, dist/openapi/ sits beside dist/lib/, and this module runs
 * bundled in dist/lib/chunks/sandbox.js (scripts/bundle.mjs), as deep as dist/lib/sandbox/; in the
 * repository, where the specs run the compiled build/lib/, it is the generator's openapi/ at the root.
 */
function dataFile(): string {
  const beside = join(__dirname, '..', '..', 'openapi', CATALOGUE_FILE);
  const repository = join(__dirname, '..', '..', '..', 'openapi', CATALOGUE_FILE);
  return existsSync(beside) || !existsSync(repository) ? beside : repository;
}

/** An operation found for a request, with its path variables percent-decoded. */
export interface FoundOperation {
  operation: CatalogueOperation;
  variables: Record<string, string>;
}

interface Candidate {
  operation: CatalogueOperation;
  /** The path's segments; a template variable's is its name in braces. */
  segments: string[];
  /** A 0 for each literal segment, a 1 for each variable: the lower, the more specific. */
  rank: string;
}

const VARIABLE = /^\{([^{}]+)\}$/;

/**
 * The catalogue's operations, found by method and path. Where two templates match one path, the
 * one with a literal segment where the other has a variable, earliest, wins
 * (`…/transactions/out-trade-no/{id}` before `…/transactions/{product}/{id}`).
 */
export class Catalogue {
  private readonly byMethod = new Map<string, Candidate[]>();

  constructor(readonly operations: readonly CatalogueOperation[]) {
    for (const operation of operations) {
      const candidates = this.byMethod.get(operation.method) ?? [];
      const segments = operation.path.split('/');
      candidates.push({ operation, segments, rank: segments.map((segment) => (VARIABLE.test(segment) ? '1' : '0')).join('') });
      this.byMethod.set(operation.method, candidates);
    }
    for (const candidates of this.byMethod.values()) candidates.sort((a, b) => (a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : 0));
  }

  /** The operation `method` (any case) on `path` (as the chain writes it, `v2/…` for APIv2) stands for, if any. */
  find(method: string, path: string): FoundOperation | undefined {
    const segments = path.split('/');
    for (const candidate of this.byMethod.get(method.toLowerCase()) ?? []) {
      if (candidate.segments.length !== segments.length) continue;
      const variables: Record<string, string> = {};
      const matches = candidate.segments.every((segment, i) => {
        const variable = VARIABLE.exec(segment);
        if (!variable) return segment === segments[i];
        if (segments[i] === '') return false;
        variables[variable[1]] = decodeURIComponent(segments[i]);
        return true;
      });
      if (matches) return { operation: candidate.operation, variables };
    }
    return undefined;
  }
}

let loading: Promise<Catalogue> | undefined;

/**
 * The catalogue, read from its data file on the first call (once per process, whatever the
 * number of sandboxes): a sandbox that is never asked for a catalogue route never reads it.
 */
export function sandboxCatalogue(): Promise<Catalogue> {
  loading ??= readFile(dataFile())
    .then((compressed) => promisify(brotliDecompress)(compressed))
    .then((json) => new Catalogue((JSON.parse(json.toString('utf8')) as CatalogueData).operations));
  return loading;
}
