import { backoffMs } from './dispatch-batch';

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
