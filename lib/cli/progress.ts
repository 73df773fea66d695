/** A one-line progress display for a terminal, redrawn in place. */
export interface Progress {
  update(bytes: number, total?: number): void;
  finish(): void;
}

/**
 * A progress line on `stream` when it is a terminal, and nothing (undefined) when it is piped or
 * redirected, so logs and scripts get no control characters.
 */
export function progressReporter(stream: NodeJS.WriteStream): Progress | undefined {
  if (!stream.isTTY) return undefined;
  let last = 0;
  const draw = (bytes: number, total?: number) => {
    const mib = (bytes / 1048576).toFixed(1);
    const share = total ? ` ${Math.floor((bytes / total) * 100)}%` : '';
    stream.write(`\r${mib} MiB${share}   `);
  };
  return {
    update(bytes, total) {
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      draw(bytes, total);
    },
    finish() {
      stream.write('\r\x1b[K');
    },
  };
}
