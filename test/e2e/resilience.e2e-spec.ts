import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { mobile, TestCluster } from '../support/test-cluster';
import { NATS_URL, waitFor } from '../support/test-env';

const N = 3000;
const BATCH = 50;
const IN_FLIGHT = 2;

/**
 * Nothing lost, nothing sent twice: crashes, restarts, a deleted stream and a provider outage.
 * The only duplicates allowed are those of the batches a killed worker had in flight.
 */
describe('resilience of the dispatch path', () => {
  let cluster: TestCluster;
  let tenant: { id: string; apiKey: string };

  beforeAll(async () => {
    cluster = await TestCluster.start('resil', {
      WORKER_BATCH_SIZE: String(BATCH),
      WORKER_BATCHES_IN_FLIGHT: String(IN_FLIGHT),
      WORKER_CONCURRENCY: '16',
      CLAIM_LEASE_MS: '3000',
      PROVIDER_TIMEOUT_MS: '1000',
      SWEEP_STALE_MS: '3000',
      FANOUT_BATCH_SIZE: '100',
      FANOUT_BATCH_PAUSE_MS: '100',
      BREAKER_VOLUME: '10',
    });
    tenant = await cluster.createTenant('Resilient');
    await cluster.seedContacts(tenant.apiKey, N, (i) => ({ externalId: `r-${i}`, firstName: `R${i}`, phone: mobile(i) }));
  }, 120_000);

  afterAll(async () => {
    await cluster?.stop();
  });

  beforeEach(async () => {
    await cluster.http('provider-sandbox', 'POST', '/sandbox/reset');
    await cluster.sandboxConfig({ latencyMs: 25 });
  });

  const launch = (name: string) =>
    cluster.launch(tenant.apiKey, { name, channel: 'sms', audience: { all: true }, sms: { from: 'Skolan', text: `${name}: hello` } });

  async function expectAllDeliveredOnce(campaignId: string, maxDuplicates: number) {
    const done = await cluster.waitCompleted(tenant.apiKey, campaignId, 180_000, (c) => c.counts.delivered === N);
    expect(done.counts).toEqual({ delivered: N });
    const rows = await cluster.db.query('SELECT count(*)::int AS n, count(DISTINCT contact_id)::int AS contacts FROM messages WHERE campaign_id = $1', [campaignId]);
    expect(rows.rows[0]).toEqual({ n: N, contacts: N });
    const stats = await cluster.sandboxStats();
    expect(stats.sms.unique).toBe(N);
    expect(stats.sms.accepted - stats.sms.unique).toBeLessThanOrEqual(maxDuplicates);
    return stats.sms.accepted - stats.sms.unique;
  }

  it('an sms-worker SIGKILLed mid-campaign and restarted loses nothing and re-sends at most its in-flight batches', async () => {
    const id = await launch('kill-worker');
    await waitFor('some messages sent', async () => (await cluster.sandboxStats()).sms.accepted >= 300);
    await cluster.kill('sms-worker', 'SIGKILL');
    const midway = (await cluster.sandboxStats()).sms.unique;
    expect(midway).toBeLessThan(N);
    await cluster.startService('sms-worker');
    const duplicates = await expectAllDeliveredOnce(id, BATCH * IN_FLIGHT);
    // The ledger knows its own duplicate window: every duplicate is a message taken over from the dead claim.
    const expired = await cluster.db.query(
      `SELECT count(DISTINCT e.message_id)::int AS n FROM message_events e JOIN messages m ON m.id = e.message_id
        WHERE m.campaign_id = $1 AND e.payload->>'reason' = 'lease_expired'`,
      [id],
    );
    expect(duplicates).toBeLessThanOrEqual(expired.rows[0].n);
    expect(expired.rows[0].n).toBeLessThanOrEqual(BATCH * IN_FLIGHT);
    // eslint-disable-next-line no-console
    console.log(`worker SIGKILL: ${duplicates} duplicate submissions, ${expired.rows[0].n} claims taken over (bound ${BATCH * IN_FLIGHT})`);
  });

  it('SIGTERM drains the sms-worker: it exits 0 with no claim left open, and nothing is sent twice', async () => {
    const id = await launch('drain-worker');
    await waitFor('some messages sent', async () => (await cluster.sandboxStats()).sms.accepted >= 300);
    const code = await cluster.kill('sms-worker', 'SIGTERM');
    expect(code).toBe(0);
    const open = await cluster.db.query(`SELECT count(*)::int AS n FROM messages WHERE campaign_id = $1 AND status = 'sending'`, [id]);
    expect(open.rows[0].n).toBe(0);
    expect((await cluster.sandboxStats()).sms.unique).toBeLessThan(N);
    await cluster.startService('sms-worker');
    await expectAllDeliveredOnce(id, 0);
  });

  it('the scheduler killed mid-fan-out resumes without gaps or doubles', async () => {
    const id = await launch('kill-scheduler');
    await waitFor('fan-out under way', async () => {
      const r = await cluster.db.query('SELECT count(*)::int AS n FROM messages WHERE campaign_id = $1', [id]);
      return r.rows[0].n >= 500;
    });
    await cluster.kill('scheduler', 'SIGKILL');
    const r1 = await cluster.db.query('SELECT count(*)::int AS n FROM messages WHERE campaign_id = $1', [id]);
    expect(r1.rows[0].n).toBeLessThan(N);
    const c = await cluster.db.query('SELECT status, fanout_done FROM campaigns WHERE id = $1', [id]);
    expect(c.rows[0]).toEqual({ status: 'dispatching', fanout_done: false });
    await cluster.startService('scheduler');
    await expectAllDeliveredOnce(id, 0);
  });

  it('the send stream deleted mid-campaign still ends with every message delivered once', async () => {
    const id = await launch('delete-stream');
    await waitFor('some messages sent', async () => (await cluster.sandboxStats()).sms.accepted >= 300);
    const nc = await connect({ servers: NATS_URL });
    try {
      const jsm = await jetstreamManager(nc);
      expect(await jsm.streams.delete(`${cluster.names.prefix.toUpperCase()}_SEND`)).toBe(true);
    } finally {
      await nc.close();
    }
    await expectAllDeliveredOnce(id, 0);
  });

  it('a provider failing every request opens the breaker, nothing is marked sent, and the campaign completes after recovery', async () => {
    await cluster.sandboxConfig({ latencyMs: 0, failureRate: 1 });
    const id = await launch('outage');
    await waitFor('breaker open', async () => {
      const m = await cluster.http('sms-worker', 'GET', '/metrics');
      return /utskick_breaker_state\{[^}]*\} 2/.test(m.body);
    });
    const during = await cluster.db.query(
      `SELECT count(*) FILTER (WHERE status IN ('sent', 'delivered'))::int AS sent,
              count(*) FILTER (WHERE status IN ('queued', 'sending', 'deferred'))::int AS pending
         FROM messages WHERE campaign_id = $1`,
      [id],
    );
    expect(during.rows[0].sent).toBe(0);
    expect(during.rows[0].pending).toBeGreaterThan(0);
    expect((await cluster.sandboxStats()).sms.accepted).toBe(0);
    // While open, the worker does not fetch: the provider sees only the odd half-open trial.
    // Batches fetched before the breaker opened finish failing fast; then the count must stay nearly still.
    let settled = -1;
    const failedBefore = await waitFor('in-flight batches settled', async () => {
      const now = await failedRequests();
      const still = now === settled;
      settled = now;
      return still ? now : null;
    }, 10_000, 300);
    expect((await failedRequests()) - failedBefore).toBeLessThan(BATCH);
    const campaign = await cluster.api('GET', `/v1/campaigns/${id}`, tenant.apiKey);
    expect(campaign.body.status).toBe('dispatching');

    await cluster.sandboxConfig({ failureRate: 0 });
    await expectAllDeliveredOnce(id, 0);
  });

  async function failedRequests(): Promise<number> {
    const m = await cluster.http('sms-worker', 'GET', '/metrics');
    const found = [...String(m.body).matchAll(/utskick_messages_failed_total\{[^}]*\} (\d+)/g)];
    return found.reduce((a, x) => a + Number(x[1]), 0);
  }
});
