import { backoffMs, Semaphore } from './dispatch-batch';

describe('backoffMs', () => {
  it('grows exponentially with jitter and is capped', () => {
    for (let i = 0; i < 50; i++) {
      const a1 = backoffMs(1, 1000, 60000);
      const a3 = backoffMs(3, 1000, 60000);
      const a20 = backoffMs(20, 1000, 60000);
      expect(a1).toBeGreaterThanOrEqual(500);
      expect(a1).toBeLessThanOrEqual(1000);
      expect(a3).toBeGreaterThanOrEqual(2000);
      expect(a3).toBeLessThanOrEqual(4000);
      expect(a20).toBeLessThanOrEqual(60000);
      expect(a20).toBeGreaterThanOrEqual(30000);
    }
  });
});

describe('Semaphore', () => {
  it('lets at most size holders in at once, in arrival order', async () => {
    const sem = new Semaphore(2);
    let inside = 0;
    let peak = 0;
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 6 }, async (_, i) => {
        await sem.acquire();
        inside++;
        peak = Math.max(peak, inside);
        order.push(i);
        await new Promise((r) => setTimeout(r, 5));
        inside--;
        sem.release();
      }),
    );
    expect(peak).toBe(2);
    expect(order).toEqual([0, 1, 2, 3, 4, 5]);
  });
});
