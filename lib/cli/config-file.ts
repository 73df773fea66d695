import { accessSync, constants, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvalidOptionError } from '../errors';
import type { CredentialFlags } from './credentials';
import { keySource } from './key-source';
import { parseJsonInput } from './json-input';

/** What a `--config` file holds: the credential flags, named like the long flags (`privateKey`, `baseUrl`). */
export type ConfigValues = Omit<CredentialFlags, 'config'>;

/** The keys that hold one string each, in the order the flags are listed; `platform` holds a list. */
const STRING_KEYS = ['mchid', 'serial', 'privateKey', 'merchantCert', 'apiv3Key', 'secret', 'baseUrl', 'ca'] as const satisfies ReadonlyArray<keyof ConfigValues>;
const KEYS: readonly string[] = [...STRING_KEYS, 'platform'];
/** The keys that name a file. */
const FILE_KEYS: ReadonlySet<string> = new Set(['privateKey', 'merchantCert', 'ca']);

/**
 * A file the config names, as a `file://` URL: relative to the config file's folder, so the
 * folder can be used from anywhere; refused here, naming both files, when it cannot be read.
 */
function located(value: string, key: string, config: string): string {
  const source = keySource(value, dirname(config));
  if (!source.startsWith('file://')) return source;
  try {
    accessSync(new URL(source), constants.R_OK);
  } catch (cause) {
    throw new InvalidOptionError(`--config: ${config}: ${key} names ${fileURLToPath(source)}, which cannot be read (${(cause as NodeJS.ErrnoException).code ?? 'error'})`, { cause });
  }
  return source;
}

/**
 * Reads a `--config` file: a JSON object whose keys are the long flags' names, each a string but
 * `platform` (an array of `ID=FILE` strings). Key, certificate and CA files are taken relative to
 * the config file and returned as `file://` URLs. Any other key, or a value of another type, is
 * refused with a message naming the file and the key (never quoting a value: it may be a secret).
 */
export function readConfigFile(path: string): ConfigValues {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new InvalidOptionError(`--config: cannot read ${path} (${(cause as NodeJS.ErrnoException).code ?? 'error'})`, { cause });
  }
  const parsed = parseJsonInput(text, `--config: ${path}`);
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new InvalidOptionError(`--config: ${path} does not hold a JSON object`);
  const given = parsed as Record<string, unknown>;
  const unknown = Object.keys(given).filter((key) => !KEYS.includes(key));
  if (unknown.length) throw new InvalidOptionError(`--config: ${path}: unknown key ${unknown.map((key) => JSON.stringify(key.slice(0, 40))).join(', ')} (the keys are ${KEYS.join(', ')})`);
  const values: ConfigValues = {};
  for (const key of STRING_KEYS) {
    const value = given[key];
    if (value === undefined) continue;
    if (typeof value !== 'string' || value === '') throw new InvalidOptionError(`--config: ${path}: ${key} must be a non-empty string`);
    values[key] = FILE_KEYS.has(key) ? located(value, key, path) : value;
  }
  const { platform } = given;
  if (platform !== undefined) {
    if (!Array.isArray(platform) || !platform.every((entry): entry is string => typeof entry === 'string' && entry.indexOf('=') > 0)) {
      throw new InvalidOptionError(`--config: ${path}: platform must be an array of "ID=FILE" strings`);
    }
    values.platform = platform.map((entry) => {
      const at = entry.indexOf('=');
      return `${entry.slice(0, at)}=${located(entry.slice(at + 1), `platform ${entry.slice(0, at).slice(0, 64)}`, path)}`;
    });
  }
  return values;
}
