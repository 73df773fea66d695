import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { progressReporter } from '../../lib/cli/progress';

function stream(isTTY: boolean): { written: string[]; stream: NodeJS.WriteStream } {
  const written: string[] = [];
  return { written, stream: { isTTY, write: (text: string) => written.push(text) > 0 } as unknown as NodeJS.WriteStream };
}

describe('progressReporter', () => {
  it('draws a progress line on a terminal and clears it when done', () => {
    const tty = stream(true);
    const progress = progressReporter(tty.stream);
    assert.ok(progress);
    progress.update(5 * 1048576, 10 * 1048576);
    progress.finish();
    assert.match(tty.written[0], /^\r5\.0 MiB 50%/);
    assert.equal(tty.written[tty.written.length - 1], '\r\x1b[K');
  });

  it('prints nothing when the output is piped', () => {
    assert.equal(progressReporter(stream(false).stream), undefined);
  });
});
