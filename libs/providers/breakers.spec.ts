import { BreakerRegistry } from './breakers';

const opts = { resetTimeoutMs: 300, errorThresholdPercentage: 50, volumeThreshold: 1, rollingCountTimeoutMs: 10_000 };
const settledWithin = async <T>(p: Promise<T>, ms: number): Promise<{ value: T } | 'pending'> =>
  Promise.race([p.then((value) => ({ value })), new Promise<'pending'>((r) => setTimeout(() => r('pending'), ms))]);

describe('BreakerRegistry.whenAnyClosed (a worker with several providers)', () => {
  let registry: BreakerRegistry;
  afterEach(() => registry.shutdown());

  it('keeps fetching while one provider is open and the other closed and in use', async () => {
    registry = new BreakerRegistry(opts);
    const twilio = registry.get('twilio', 'AC1', async () => 'ok');
    const elks = registry.get('46elks', 'u1', async () => 'ok');
    await elks.fire();
    twilio.open();
    expect(await settledWithin(registry.whenAnyClosed(), 50)).toEqual({ value: undefined });
    // The single-provider wait would stall here.
    expect(await settledWithin(registry.whenClosed(), 50)).toBe('pending');
  });

  it('waits only while every provider is open, then hands out one probe', async () => {
    registry = new BreakerRegistry(opts);
    const a = registry.get('twilio', 'AC1', async () => 'ok');
    const b = registry.get('46elks', 'u1', async () => 'ok');
    a.open();
    b.open();
    const ready = registry.whenAnyClosed();
    expect(await settledWithin(ready, 100)).toBe('pending');
    // After the reset timeout a breaker turns half-open: one fetch of one message probes it.
    expect(await settledWithin(ready, 1000)).toEqual({ value: { maxBatch: 1 } });
    // The probe succeeds: that breaker closes, carrying traffic, and fetching resumes.
    await a.fire();
    expect(a.closed).toBe(true);
    expect(await settledWithin(registry.whenAnyClosed(), 50)).toEqual({ value: undefined });
  });

  it('waits on the open provider when the closed one carries no traffic (it says nothing about the work at hand)', async () => {
    registry = new BreakerRegistry(opts);
    const twilio = registry.get('twilio', 'AC1', async () => 'ok');
    const elks = registry.get('46elks', 'u1', async () => 'ok');
    await twilio.fire();
    twilio.open();
    const ready = registry.whenAnyClosed();
    expect(await settledWithin(ready, 100)).toBe('pending');
    // Its half-open probe is the way back; or traffic on the other provider.
    await elks.fire();
    expect(await settledWithin(registry.whenAnyClosed(), 50)).toEqual({ value: undefined });
  });
});
