import type { Readable } from 'node:stream';

/**
 * A message read whole, or null once it passes `maxBytes`: from then on the rest is read and
 * dropped (the client is answered only after its DATA ends), so no client can fill our memory.
 */
export function readBounded(stream: Readable, maxBytes: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    let chunks: Buffer[] | null = [];
    let size = 0;
    stream.on('data', (c: Buffer) => {
      size += c.length;
      if (size > maxBytes) chunks = null;
      else chunks?.push(c);
    });
    stream.on('error', reject);
    stream.on('end', () => resolve(chunks ? Buffer.concat(chunks) : null));
  });
}
