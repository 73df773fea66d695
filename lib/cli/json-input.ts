import { InvalidOptionError } from '../errors';

/**
 * Parses JSON handed to the command (`--json`, a `--config` file). A failure says where the text
 * stops being JSON, never what it holds: the text may be a key or a secret pasted by mistake, so
 * neither the message nor a cause quotes it (the parser's own message would).
 */
export function parseJsonInput(text: string, label: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const position = /at position (\d+)/.exec((error as Error).message)?.[1];
    throw new InvalidOptionError(`${label}: not valid JSON${position === undefined ? '' : ` (it stops being JSON at character ${position})`}`);
  }
}
