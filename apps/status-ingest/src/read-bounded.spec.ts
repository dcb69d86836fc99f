import { PassThrough } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { readBounded } from './read-bounded';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Writes `n` chunks of `size` bytes, returning weak references only (no local here keeps one alive). */
function feed(s: PassThrough, n: number, size: number): WeakRef<Buffer>[] {
  const refs: WeakRef<Buffer>[] = [];
  for (let i = 0; i < n; i++) {
    const chunk = Buffer.alloc(size, 1);
    refs.push(new WeakRef(chunk));
    s.write(chunk);
  }
  return refs;
}

describe('readBounded (the bounce listener reading one message)', () => {
  it('gives the whole message when it fits', async () => {
    const s = new PassThrough();
    const read = readBounded(s, 10);
    s.write(Buffer.from('hello '));
    s.end(Buffer.from('you!'));
    expect((await read)?.toString()).toBe('hello you!');
  });

  it('gives null past the limit and keeps nothing it read once over (an endless DATA cannot fill memory)', async () => {
    const s = new PassThrough();
    const read = readBounded(s, 1024);
    const refs = feed(s, 4, 1000);
    await new Promise((r) => setImmediate(r));
    gc();
    // The stream is still open: whatever the reader still holds is held for nothing.
    expect(refs.filter((r) => r.deref() !== undefined)).toHaveLength(0);
    s.end();
    expect(await read).toBeNull();
  });
});
