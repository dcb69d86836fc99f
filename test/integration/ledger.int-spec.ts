import { context } from '@opentelemetry/api';
import { DispatchBatch, MessageLedger } from '@utskick/messages';
import { openLedger } from '@utskick/persistence';
import { RetryableProviderError, SubmitResult } from '@utskick/providers';
import { DataSource } from 'typeorm';
import { dropDatabase, uniqueNames } from '../support/test-env';

/** The ledger's set-wise operations against the real PostgreSQL. */
describe('message ledger', () => {
  const names = uniqueNames('ledger');
  let ds: DataSource;
  let ledger: MessageLedger;
  let tenantId: string;
  let campaignId: string;

  beforeAll(async () => {
    ds = await openLedger(names.databaseUrl, 4);
    ledger = new MessageLedger(ds);
    tenantId = (await ds.query(`INSERT INTO tenants (name) VALUES ('L') RETURNING id`))[0].id;
    campaignId = (
      await ds.query(`INSERT INTO campaigns (tenant_id, name, channel, status, audience, content) VALUES ($1, 'c', 'sms', 'dispatching', '{"all":true}', '{"sms":{"from":"X","text":"hi"}}') RETURNING id`, [tenantId])
    )[0].id;
  });

  afterAll(async () => {
    await ds?.destroy();
    await dropDatabase(names.dbName);
  });

  async function messages(n: number, extra = ''): Promise<string[]> {
    const rows = await ds.query(
      `INSERT INTO messages (tenant_id, campaign_id, contact_id, channel, address, status ${extra ? ', created_at' : ''})
       SELECT $1, $2, gen_random_uuid(), 'sms', '+4670' || (2000000 + g + (random() * 900000)::int), 'queued' ${extra ? `, ${extra}` : ''}
         FROM generate_series(1, $3) g RETURNING id`,
      [tenantId, campaignId, n],
    );
    return rows.map((r: { id: string }) => r.id);
  }
  const status = async (id: string) => (await ds.query('SELECT status, error, provider_message_id, attempts FROM messages WHERE id = $1', [id]))[0];
  const jobs = (ids: string[]) => ids.map((id) => ({ payload: { messageId: id, tenantId, campaignId }, deliveryCount: 1, trace: context.active() }));

  function dispatcher(send: (address: string) => Promise<SubmitResult>, validityMs = 3_600_000, leaseMs = 60_000) {
    return new DispatchBatch(ds, ledger, { channel: 'sms', providerFor: () => 'test', send: (m) => send(m.address) }, {
      workerId: 'w1',
      leaseMs,
      concurrency: 4,
      retryBaseMs: 100,
      retryMaxMs: 1000,
      validityMs,
      providerTimeoutMs: 5000,
    });
  }

  it('claims a row once: a second claim of the same ids gets nothing', async () => {
    const ids = await messages(3);
    expect((await ledger.claim(ids, 'w1', 60_000)).map((m) => m.id).sort()).toEqual([...ids].sort());
    expect(await ledger.claim(ids, 'w2', 60_000)).toEqual([]);
  });

  it('records accepted, rejected and retryable results in one batch and answers each job', async () => {
    const [ok, bad, flaky] = await messages(3);
    const addr = async (id: string) => (await ds.query('SELECT address FROM messages WHERE id = $1', [id]))[0].address;
    const [aBad, aFlaky] = [await addr(bad), await addr(flaky)];
    const outcomes = await dispatcher(async (a) => {
      if (a === aBad) return { kind: 'rejected', status: 'cannot_receive_sms', error: 'twilio 21614: not a mobile' };
      if (a === aFlaky) throw new RetryableProviderError('twilio 503: unavailable');
      return { kind: 'accepted', providerMessageId: 'SMok' };
    }).execute(jobs([ok, bad, flaky]));
    expect(outcomes.map((o) => o.kind)).toEqual(['ack', 'drop', 'retry']);
    expect(await status(ok)).toEqual({ status: 'sent', error: null, provider_message_id: 'SMok', attempts: 1 });
    expect(await status(bad)).toMatchObject({ status: 'cannot_receive_sms', error: 'twilio 21614: not a mobile' });
    expect(await status(flaky)).toMatchObject({ status: 'deferred', error: 'twilio 503: unavailable' });
    const next = (await ds.query('SELECT next_attempt_at > now() AS later FROM messages WHERE id = $1', [flaky]))[0];
    expect(next.later).toBe(true);
    // A job whose row is already sent is acknowledged without a second submission.
    let calls = 0;
    const again = await dispatcher(async () => {
      calls++;
      return { kind: 'accepted', providerMessageId: 'x' };
    }).execute(jobs([ok]));
    expect(again).toEqual([{ kind: 'ack' }]);
    expect(calls).toBe(0);
  });

  it('drops a job that names no message of ours instead of retrying it forever', async () => {
    const [ok] = await messages(1);
    const outcomes = await dispatcher(async () => ({ kind: 'accepted', providerMessageId: 'SMok2' })).execute([
      ...jobs([ok]),
      { payload: { messageId: 'not-a-uuid', tenantId, campaignId }, deliveryCount: 1, trace: context.active() },
    ]);
    expect(outcomes).toEqual([{ kind: 'ack' }, { kind: 'drop', reason: 'not a message id' }]);
    expect((await status(ok)).status).toBe('sent');
  });

  it('fails a message whose validity period runs out instead of retrying it forever', async () => {
    const [old] = await messages(1, `now() - interval '2 hours'`);
    const outcomes = await dispatcher(async () => {
      throw new RetryableProviderError('twilio 503');
    }, 3_600_000).execute(jobs([old]));
    expect(outcomes[0].kind).toBe('drop');
    expect(await status(old)).toMatchObject({ status: 'failed', error: 'validity period expired: twilio 503' });
  });

  it('stores a provider event once, even twice in one batch, and counts unknown messages', async () => {
    const [id] = await messages(1);
    await ledger.claim([id], 'w1', 60_000);
    const ev = { messageId: id, status: 'delivered' as const, eventType: 'delivered', source: 'twilio', providerEventId: `SM1:${id}:delivered`, payload: { a: 1 } };
    const r1 = await ledger.applyEvents([ev, ev, { ...ev, messageId: '00000000-0000-7000-8000-000000000000' }]);
    expect(r1).toEqual({ stored: 1, duplicates: 1, applied: 1, unknown: 1 });
    const r2 = await ledger.applyEvents([ev]);
    expect(r2).toEqual({ stored: 0, duplicates: 1, applied: 0, unknown: 0 });
    expect((await status(id)).status).toBe('delivered');
  });

  it("a worker whose lease ran out cannot overwrite a newer claim's row, but its provider id is kept", async () => {
    const [id] = await messages(1);
    await ledger.claim([id], 'w-old', 60_000);
    // The old claim's lease runs out; another worker claims the row.
    await ds.query(`UPDATE messages SET claimed_until = now() - interval '1 second' WHERE id = $1`, [id]);
    expect(await ledger.claim([id], 'w-new', 60_000)).toHaveLength(1);
    const lease = await ds.query(`SELECT payload FROM message_events WHERE message_id = $1 AND payload->>'reason' = 'lease_expired'`, [id]);
    expect(lease).toEqual([{ payload: { reason: 'lease_expired', previousClaim: 'w-old', claimedBy: 'w-new' } }]);
    await ledger.recordResults([{ id, attempts: 1, status: 'deferred', provider: 'test', error: 'late failure', retryInMs: 1000 }], 'w-old');
    const row = (await ds.query('SELECT status, claimed_by, error FROM messages WHERE id = $1', [id]))[0];
    expect(row).toEqual({ status: 'sending', claimed_by: 'w-new', error: null });
    await ledger.recordResults([{ id, attempts: 2, status: 'sent', provider: 'test', providerMessageId: 'SMnew', acceptedAt: new Date() }], 'w-new');
    expect(await status(id)).toMatchObject({ status: 'sent', provider_message_id: 'SMnew' });
    const events = await ds.query(`SELECT status, applied FROM message_events WHERE message_id = $1 AND source = 'worker' ORDER BY id`, [id]);
    expect(events).toEqual([{ status: 'sending', applied: true }, { status: 'deferred', applied: false }, { status: 'sent', applied: true }]);
  });

  it('within one worker process, a stale attempt cannot overwrite the live claim of the same row', async () => {
    const [id] = await messages(1);
    const first = await ledger.claim([id], 'w1', 60_000);
    await ds.query(`UPDATE messages SET claimed_until = now() - interval '1 second' WHERE id = $1`, [id]);
    const second = await ledger.claim([id], 'w1', 60_000);
    expect([first[0].attempts, second[0].attempts]).toEqual([1, 2]);
    await ledger.recordResults([{ id, attempts: 1, status: 'failed', provider: 'test', error: 'stale verdict' }], 'w1');
    expect(await status(id)).toMatchObject({ status: 'sending', error: null });
    await ledger.recordResults([{ id, attempts: 2, status: 'sent', provider: 'test', providerMessageId: 'SM2', acceptedAt: new Date() }], 'w1');
    expect(await status(id)).toMatchObject({ status: 'sent', provider_message_id: 'SM2' });
  });

  it('does not start a send that could outlive the claim lease', async () => {
    const [id] = await messages(1);
    let calls = 0;
    // A lease shorter than the provider's own deadline leaves no safe moment to send.
    const outcomes = await dispatcher(async () => {
      calls++;
      return { kind: 'accepted', providerMessageId: 'x' };
    }, 3_600_000, 5_500).execute(jobs([id]));
    expect(calls).toBe(0);
    expect(outcomes).toEqual([{ kind: 'retry', delayMs: 0, reason: 'lease too short' }]);
    expect(await status(id)).toMatchObject({ status: 'deferred', error: 'not sent: no provider slot within the claim lease' });
  });

  it('a report that arrived before the worker recorded its submission keeps its status and error', async () => {
    const [id] = await messages(1);
    await ledger.claim([id], 'w1', 60_000);
    await ledger.applyEvents([{ messageId: id, status: 'undelivered', eventType: 'undelivered', source: 'twilio', providerEventId: `SMx:${id}:undelivered`, error: 'twilio 30003', payload: {} }]);
    await ledger.recordResults([{ id, attempts: 1, status: 'sent', provider: 'twilio', providerMessageId: 'SMx', acceptedAt: new Date() }], 'w1');
    expect(await status(id)).toMatchObject({ status: 'undelivered', error: 'twilio 30003', provider_message_id: 'SMx' });
  });

  it('the sweeper re-drives a deferred row once per deadline, not on every sweep', async () => {
    const [id] = await messages(1);
    await ds.query(`UPDATE messages SET status = 'deferred', next_attempt_at = now() - interval '10 minutes' WHERE id = $1`, [id]);
    expect((await ledger.takeStale(60_000)).filter((t) => t.id === id)).toHaveLength(1);
    expect((await ledger.takeStale(60_000)).filter((t) => t.id === id)).toHaveLength(0);
  });

  it('the sweeper re-drives stale queued rows and expired claims with a new dispatch sequence', async () => {
    const [stale, leased, fresh] = await messages(3);
    await ds.query(`UPDATE messages SET updated_at = now() - interval '10 minutes' WHERE id = $1`, [stale]);
    await ds.query(`UPDATE messages SET status = 'sending', claimed_by = 'dead', claimed_until = now() - interval '1 second' WHERE id = $1`, [leased]);
    const taken = await ledger.takeStale(60_000);
    const mine = taken.filter((t) => [stale, leased, fresh].includes(t.id));
    expect(mine.map((t) => t.id).sort()).toEqual([stale, leased].sort());
    expect(mine.every((t) => t.dispatchSeq === 1)).toBe(true);
    expect((await status(leased)).status).toBe('queued');
    expect(mine.find((t) => t.id === leased)!.leaseExpired).toBe(true);
    expect(mine.find((t) => t.id === stale)!.leaseExpired).toBe(false);
    const ev = await ds.query(`SELECT status, source, payload FROM message_events WHERE message_id = $1`, [leased]);
    expect(ev).toEqual([{ status: 'queued', source: 'sweeper', payload: { reason: 'lease_expired', previousClaim: 'dead' } }]);
    // Just re-driven: not stale again.
    expect((await ledger.takeStale(60_000)).filter((t) => t.id === stale)).toEqual([]);
  });
});
