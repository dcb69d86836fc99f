import { context } from '@opentelemetry/api';
import { DispatchBatch, DispatchOptions, MessageLedger, StatusEvent } from '@utskick/messages';
import { openLedger } from '@utskick/persistence';
import { classifyEmailFeedback, EmailFeedback, SubmitResult } from '@utskick/providers';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { dropDatabase, uniqueNames } from '../support/test-env';

/** What bounce and complaint reports do to messages and addresses, and how soft bounces wait, against the real PostgreSQL. */
describe('bounces and complaints in the ledger', () => {
  const names = uniqueNames('bounces');
  let ds: DataSource;
  let ledger: MessageLedger;
  let tenantA: string;
  let tenantB: string;
  let campaignA: string;

  beforeAll(async () => {
    ds = await openLedger(names.databaseUrl, 4);
    ledger = new MessageLedger(ds);
    [tenantA, tenantB] = await Promise.all(['A', 'B'].map(async (n) => (await ds.query(`INSERT INTO tenants (name) VALUES ($1) RETURNING id`, [n]))[0].id));
    campaignA = (
      await ds.query(
        `INSERT INTO campaigns (tenant_id, name, channel, status, audience, content) VALUES ($1, 'c', 'email', 'dispatching', '{"all":true}', '{"email":{"subject":"s","text":"t"}}') RETURNING id`,
        [tenantA],
      )
    )[0].id;
  });

  afterAll(async () => {
    await ds?.destroy();
    await dropDatabase(names.dbName);
  });

  async function message(address: string, status = 'sent', createdAgoMs = 0): Promise<string> {
    const [row] = await ds.query(
      `INSERT INTO messages (tenant_id, campaign_id, contact_id, channel, address, status, created_at)
       VALUES ($1, $2, gen_random_uuid(), 'email', $3, $4, now() - make_interval(secs => $5::double precision / 1000)) RETURNING id`,
      [tenantA, campaignA, address, status, createdAgoMs],
    );
    return row.id;
  }
  const event = (messageId: string, feedback: EmailFeedback, providerEventId: string = randomUUID()): StatusEvent => {
    const v = classifyEmailFeedback(feedback);
    return {
      messageId,
      status: v.status,
      eventType: feedback.kind,
      source: 'ses',
      providerEventId,
      error: v.error,
      payload: {},
      addressEffect: v.effect ? { ...v.effect, source: 'ses' } : null,
    };
  };
  const row = async (id: string) => (await ds.query('SELECT status, error FROM messages WHERE id = $1', [id]))[0];
  const global = async (address: string) => ds.query(`SELECT reason, source, detail FROM suppressions WHERE channel = 'email' AND address = $1`, [address]);
  const problem = async (tenantId: string, address: string) =>
    (await ds.query(`SELECT status, problem, problem_source FROM email_addresses WHERE tenant_id = $1 AND address = $2`, [tenantId, address]))[0] ?? null;

  it('a hard bounce blocks the address globally and sets Problem(invalid) for the sending tenant only', async () => {
    const id = await message('gone@example.com');
    await ledger.applyEvents([event(id, { kind: 'bounce', statusCode: '5.1.1', label: 'Permanent', subType: 'General' })]);
    expect(await row(id)).toMatchObject({ status: 'bounced' });
    expect(await global('gone@example.com')).toEqual([{ reason: 'hard_bounce', source: 'ses', detail: '5.1.1' }]);
    expect(await problem(tenantA, 'gone@example.com')).toEqual({ status: 'problem', problem: 'invalid', problem_source: 'ses' });
    expect(await problem(tenantB, 'gone@example.com')).toBeNull();
  });

  it('the same report twice is stored once and acts once', async () => {
    const id = await message('twice@example.com');
    const e = event(id, { kind: 'bounce', statusCode: '5.1.1' }, 'sns-dup-1');
    await ledger.applyEvents([e]);
    // An admin lifts the block; the provider's retry of the same report must not put it back.
    await ds.query(`DELETE FROM suppressions WHERE address = 'twice@example.com'`);
    expect(await ledger.applyEvents([e])).toMatchObject({ stored: 0, duplicates: 1 });
    expect(await global('twice@example.com')).toEqual([]);
    expect((await ds.query('SELECT count(*)::int AS n FROM message_events WHERE message_id = $1', [id]))[0].n).toBe(1);
  });

  it('a report carrying NUL characters or a lone surrogate (a remote MTA\'s diagnostic) is stored, not refused by PostgreSQL', async () => {
    const id = await message('nul@example.com');
    const feedback: EmailFeedback = { kind: 'bounce', statusCode: '5.1.1', diagnostic: 'smtp; 550 5.1.1 user\u0000unknown \ud800' };
    const e = { ...event(id, feedback), payload: { diagnosticCode: 'user\u0000unknown \ud800', 'k\u0000': ['x\u0000'] } };
    await expect(ledger.applyEvents([e])).resolves.toMatchObject({ stored: 1, applied: 1 });
    expect(await row(id)).toEqual({ status: 'bounced', error: 'bounce 5.1.1: mailbox does not exist: smtp; 550 5.1.1 userunknown \ufffd' });
    const [stored] = await ds.query(`SELECT payload FROM message_events WHERE message_id = $1`, [id]);
    expect(stored.payload).toEqual({ diagnosticCode: 'userunknown \ufffd', k: ['x'] });
  });

  it('a complaint after delivery: spam, blocked globally (complaint), Problem(spam)', async () => {
    const id = await message('angry@example.com', 'delivered');
    await ledger.applyEvents([event(id, { kind: 'complaint', feedbackType: 'abuse' })]);
    expect(await row(id)).toMatchObject({ status: 'spam' });
    expect(await global('angry@example.com')).toEqual([{ reason: 'complaint', source: 'ses', detail: 'abuse' }]);
    expect(await problem(tenantA, 'angry@example.com')).toMatchObject({ problem: 'spam' });
  });

  it('policy, sender-side and mailbox-full bounces suppress nothing', async () => {
    for (const [address, code, status] of [
      ['policy@example.com', '5.7.1', 'failed'],
      ['sender@example.com', '5.1.8', 'failed'],
      ['full@example.com', '5.2.2', 'bounced'],
    ]) {
      const id = await message(address);
      await ledger.applyEvents([event(id, { kind: 'bounce', statusCode: code, label: 'Permanent', subType: 'General' })]);
      expect(await row(id)).toMatchObject({ status });
      expect(await global(address)).toEqual([]);
      expect(await problem(tenantA, address)).toBeNull();
    }
  });

  it("a provider's deferred is an event row only; an unsubscribe opts out the tenant only", async () => {
    const id = await message('later@example.com');
    await ledger.applyEvents([event(id, { kind: 'deferred' })]);
    expect(await row(id)).toMatchObject({ status: 'sent' });
    const events = await ds.query('SELECT status, applied FROM message_events WHERE message_id = $1', [id]);
    expect(events).toEqual([{ status: 'deferred', applied: false }]);

    const u = await message('leaving@example.com', 'delivered');
    await ledger.applyEvents([event(u, { kind: 'unsubscribe' })]);
    expect(await row(u)).toMatchObject({ status: 'unsubscribed' });
    expect(await ds.query(`SELECT tenant_id, book_id, source FROM opt_outs WHERE address = 'leaving@example.com'`)).toEqual([
      { tenant_id: tenantA, book_id: null, source: 'provider_unsubscribe' },
    ]);
    expect(await global('leaving@example.com')).toEqual([]);
  });

  describe('soft bounces on our own SMTP hop', () => {
    const jobs = (ids: string[]) => ids.map((id) => ({ payload: { messageId: id, tenantId: tenantA, campaignId: campaignA }, deliveryCount: 1, trace: context.active() }));
    const opts = (extra: Partial<DispatchOptions> = {}): DispatchOptions => ({
      workerId: 'w1',
      leaseMs: 60_000,
      concurrency: 4,
      retryBaseMs: 100,
      retryMaxMs: 1000,
      validityMs: 3_600_000,
      providerTimeoutMs: 5000,
      ...extra,
    });
    const dispatcher = (result: SubmitResult, extra?: Partial<DispatchOptions>) =>
      new DispatchBatch(ds, ledger, { channel: 'email', providerFor: () => 'smtp', send: async () => result }, opts(extra));
    const soft: SubmitResult = { kind: 'deferred', error: 'smtp 451: 4.2.0 try again later' };
    const window = { windowMs: 60_000, expiredStatus: 'bounced' as const, retryMaxMs: 500 };

    it('within its window a 4xx keeps the message deferred with a next attempt', async () => {
      const id = await message('soft@example.com', 'queued');
      const [outcome] = await dispatcher(soft, { softBounce: window }).execute(jobs([id]));
      expect(outcome.kind).toBe('retry');
      const r = (await ds.query('SELECT status, error, next_attempt_at > now() AS later FROM messages WHERE id = $1', [id]))[0];
      expect(r).toEqual({ status: 'deferred', error: 'smtp 451: 4.2.0 try again later', later: true });
    });

    it('past its window the message is bounced, not failed, and the address is not blocked', async () => {
      const id = await message('stuck@example.com', 'queued', 120_000);
      const [outcome] = await dispatcher(soft, { softBounce: window }).execute(jobs([id]));
      expect(outcome.kind).toBe('drop');
      expect(await row(id)).toEqual({ status: 'bounced', error: 'soft bounce past its window: smtp 451: 4.2.0 try again later' });
      expect(await global('stuck@example.com')).toEqual([]);
    });

    it('a channel without a soft-bounce window expires like any retry: failed after the validity', async () => {
      const id = await message('sms-like@example.com', 'queued', 120_000);
      await dispatcher(soft, { validityMs: 60_000 }).execute(jobs([id]));
      expect(await row(id)).toMatchObject({ status: 'failed' });
    });

    it('a 5.1.1 at RCPT TO bounces the message and blocks the address globally', async () => {
      const id = await message('nouser@example.com', 'queued');
      await dispatcher({
        kind: 'rejected',
        status: 'bounced',
        error: 'smtp 550: 5.1.1 mailbox does not exist',
        addressEffect: { kind: 'hard_bounce', source: 'smtp', detail: '5.1.1' },
      }).execute(jobs([id]));
      expect(await row(id)).toMatchObject({ status: 'bounced' });
      expect(await global('nouser@example.com')).toEqual([{ reason: 'hard_bounce', source: 'smtp', detail: '5.1.1' }]);
      expect(await problem(tenantA, 'nouser@example.com')).toMatchObject({ problem: 'invalid' });
    });
  });
});
