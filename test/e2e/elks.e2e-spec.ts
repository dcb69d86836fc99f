import { elksCallbackUrl } from '@utskick/providers';
import { SANDBOX_SMS } from '../../apps/provider-sandbox/src/magic';
import { mobile, TestCluster } from '../support/test-cluster';
import { waitFor } from '../support/test-env';

type Tenant = { id: string; apiKey: string };

const sms = (text: string) => ({ name: text, channel: 'sms', audience: { all: true }, sms: { from: 'Skolan', text } });

async function elksTenant(cluster: TestCluster, name: string): Promise<Tenant> {
  const t = await cluster.createTenant(name);
  await cluster.db.query(`UPDATE tenants SET sms_provider = '46elks' WHERE id = $1`, [t.id]);
  return t;
}

async function messagesOf(cluster: TestCluster, campaignId: string) {
  const r = await cluster.db.query(
    `SELECT id, tenant_id, address, status, error, provider, provider_message_id FROM messages WHERE campaign_id = $1 ORDER BY address`,
    [campaignId],
  );
  return r.rows;
}

/** Posts a 46elks delivery report to status-ingest as 46elks would (form fields id, status, delivered). */
async function elksReport(cluster: TestCluster, url: string, fields: Record<string, string>): Promise<number> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
  await res.text();
  return res.status;
}

/**
 * 46elks as a second provider, chosen per tenant: sends through its API, reports to a per-tenant
 * token URL, and Twilio's error codes and polling settle what reports alone would not.
 */
describe('46elks end to end', () => {
  let cluster: TestCluster;
  let elks: Tenant;
  let twilio: Tenant;

  beforeAll(async () => {
    cluster = await TestCluster.start('elks');
    elks = await elksTenant(cluster, 'Älgskolan');
    twilio = await cluster.createTenant('Twilioskolan');
    await cluster.seedContacts(elks.apiKey, 4, (i) => ({ externalId: `e-${i}`, phone: mobile(100 + i) }));
    await cluster.seedContacts(twilio.apiKey, 3, (i) => ({ externalId: `t-${i}`, phone: mobile(200 + i) }));
    // The landline number is each tenant's contact: only the tenant whose report said so marks it.
    await cluster.seedContacts(elks.apiKey, 1, () => ({ externalId: 'e-landline', phone: SANDBOX_SMS.landline }));
    await cluster.seedContacts(twilio.apiKey, 2, (i) => ({ externalId: `t-magic-${i}`, phone: [SANDBOX_SMS.landline, SANDBOX_SMS.notMobile][i] }));
  }, 120_000);

  afterAll(async () => {
    await cluster?.stop();
  });

  const url = (tenantId: string, messageId: string, secret = cluster.env.ELKS_CALLBACK_SECRET) =>
    elksCallbackUrl(cluster.env.PUBLIC_BASE_URL, secret, tenantId, `delivery/${messageId}`);
  const eventCount = async (id: string) => (await cluster.db.query('SELECT count(*)::int AS n FROM message_events WHERE message_id = $1', [id])).rows[0].n;
  const notMobile = async (tenantId: string, phone: string) =>
    (await cluster.db.query('SELECT phone_not_mobile FROM contacts WHERE tenant_id = $1 AND phone_e164 = $2', [tenantId, phone])).rows[0].phone_not_mobile;

  it('sends each tenant through its own provider, settles them from their reports, and maps the Twilio codes', async () => {
    const [elksCampaign, twilioCampaign] = await Promise.all([cluster.launch(elks.apiKey, sms('Hej från älgarna')), cluster.launch(twilio.apiKey, sms('Hej från Twilio'))]);
    const e = await cluster.waitCompleted(elks.apiKey, elksCampaign, 60_000, (c) => c.counts.delivered === 4 && c.counts.undelivered === 1);
    expect(e.counts).toEqual({ delivered: 4, undelivered: 1 });
    const t = await cluster.waitCompleted(twilio.apiKey, twilioCampaign, 60_000, (c) => c.counts.delivered === 3 && c.counts.undelivered === 1);
    expect(t.counts).toEqual({ delivered: 3, undelivered: 1, cannot_receive_sms: 1 });

    const elksRows = await messagesOf(cluster, elksCampaign);
    expect(elksRows.every((m) => m.provider === '46elks' && /^s[0-9a-f]{32}$/.test(m.provider_message_id))).toBe(true);
    expect(elksRows.find((m) => m.address === SANDBOX_SMS.landline)).toMatchObject({ status: 'undelivered', error: '46elks: failed' });
    const twilioRows = await messagesOf(cluster, twilioCampaign);
    expect(twilioRows.filter((m) => m.status !== 'cannot_receive_sms').every((m) => m.provider === 'twilio' && /^SM[0-9a-f]{32}$/.test(m.provider_message_id))).toBe(true);
    expect(twilioRows.find((m) => m.address === SANDBOX_SMS.landline)).toMatchObject({ status: 'undelivered', error: 'twilio 30006' });
    expect(twilioRows.find((m) => m.address === SANDBOX_SMS.notMobile)).toMatchObject({ status: 'cannot_receive_sms', error: expect.stringContaining('twilio 21614') });

    // The sandbox saw each tenant's numbers on that tenant's API only.
    const sandbox = (await cluster.http('provider-sandbox', 'GET', '/sandbox/sms?limit=100')).body.items as { provider: string; to: string; messageId: string }[];
    const byMessage = new Map(sandbox.map((s) => [s.messageId, s.provider]));
    for (const m of elksRows) expect(byMessage.get(m.id)).toBe('46elks');
    for (const m of twilioRows.filter((r) => r.status !== 'cannot_receive_sms')) expect(byMessage.get(m.id)).toBe('twilio');
    const reports = await cluster.db.query(`SELECT count(*)::int AS n FROM message_events WHERE source = '46elks' AND message_id = ANY($1::uuid[])`, [elksRows.map((m) => m.id)]);
    expect(reports.rows[0].n).toBe(5);

    // 30006 in a report and 21614 at submission mark the number for that tenant only.
    expect(await notMobile(twilio.id, SANDBOX_SMS.landline)).toBe(true);
    expect(await notMobile(twilio.id, SANDBOX_SMS.notMobile)).toBe(true);
    expect(await notMobile(elks.id, SANDBOX_SMS.landline)).toBe(false);
    expect(await notMobile(twilio.id, mobile(200))).toBe(false);
  });

  describe('delivery reports', () => {
    let sent: { id: string; provider_message_id: string }[];

    beforeAll(async () => {
      // Reports are ours to play here: the sandbox sends none.
      await cluster.sandboxConfig({ smsCallbacks: false, smsCallbackStatuses: [] });
      const campaign = await cluster.launch(elks.apiKey, sms('Rapporter'));
      sent = await waitFor('all sent', async () => {
        const rows = await messagesOf(cluster, campaign);
        return rows.length === 5 && rows.every((m) => m.status === 'sent') ? rows : null;
      });
    }, 60_000);

    afterAll(async () => {
      await cluster.http('provider-sandbox', 'POST', '/sandbox/reset');
    });

    it('answers a forged or another tenant\'s token 403 and changes nothing', async () => {
      const m = sent[0];
      const before = await eventCount(m.id);
      const fields = { id: m.provider_message_id, status: 'delivered', delivered: '2026-01-01T10:00:00.000000' };
      const real = url(elks.id, m.id);
      const forged = real.replace(/\/[A-Za-z0-9_-]{32}\/delivery\//, `/${'A'.repeat(32)}/delivery/`);
      expect(forged).not.toBe(real);
      expect(await elksReport(cluster, forged, fields)).toBe(403);
      expect(await elksReport(cluster, url(elks.id, m.id, 'another-secret-of-16+'), fields)).toBe(403);
      // Twilio tenant's valid token on the 46elks tenant's path.
      const twilioToken = url(twilio.id, m.id).split('/').at(-3)!;
      expect(await elksReport(cluster, real.replace(/\/[A-Za-z0-9_-]{32}\/delivery\//, `/${twilioToken}/delivery/`), fields)).toBe(403);
      const problem = await fetch(forged, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });
      expect(problem.headers.get('content-type')).toContain('application/problem+json');
      expect((await cluster.db.query('SELECT status FROM messages WHERE id = $1', [m.id])).rows[0].status).toBe('sent');
      expect(await eventCount(m.id)).toBe(before);
    });

    it('ignores a valid token of another tenant naming this tenant\'s message', async () => {
      const m = sent[1];
      const before = await eventCount(m.id);
      expect(await elksReport(cluster, url(twilio.id, m.id), { id: m.provider_message_id, status: 'delivered' })).toBe(204);
      expect((await cluster.db.query('SELECT status FROM messages WHERE id = $1', [m.id])).rows[0].status).toBe('sent');
      expect(await eventCount(m.id)).toBe(before);
    });

    it('stores a report 46elks retries once, and maps failed to undelivered', async () => {
      const m = sent[2];
      const before = await eventCount(m.id);
      const fields = { id: m.provider_message_id, status: 'delivered', delivered: '2026-01-01T10:00:00.000000' };
      expect(await elksReport(cluster, url(elks.id, m.id), fields)).toBe(204);
      expect(await elksReport(cluster, url(elks.id, m.id), fields)).toBe(204);
      expect((await cluster.db.query('SELECT status FROM messages WHERE id = $1', [m.id])).rows[0].status).toBe('delivered');
      expect(await eventCount(m.id)).toBe(before + 1);
      const ev = await cluster.db.query(`SELECT provider_event_id, status FROM message_events WHERE message_id = $1 AND source = '46elks'`, [m.id]);
      expect(ev.rows).toEqual([{ provider_event_id: `${m.provider_message_id}:delivered`, status: 'delivered' }]);

      const f = sent[3];
      expect(await elksReport(cluster, url(elks.id, f.id), { id: f.provider_message_id, status: 'failed' })).toBe(204);
      expect((await cluster.db.query('SELECT status, error FROM messages WHERE id = $1', [f.id])).rows[0]).toEqual({ status: 'undelivered', error: '46elks: failed' });
    });

    it('answers an unknown status 400 problem+json', async () => {
      const m = sent[4];
      expect(await elksReport(cluster, url(elks.id, m.id), { id: m.provider_message_id, status: 'teleported' })).toBe(400);
      expect((await cluster.db.query('SELECT status FROM messages WHERE id = $1', [m.id])).rows[0].status).toBe('sent');
    });
  });
});

describe('polling SMS whose report never came', () => {
  let cluster: TestCluster;
  let elks: Tenant;
  let twilio: Tenant;

  beforeAll(async () => {
    cluster = await TestCluster.start('elkspoll', { SMS_POLL_AFTER_MS: '1000', SMS_POLL_INTERVAL_MS: '500' });
    await cluster.sandboxConfig({ smsCallbacks: false });
    elks = await elksTenant(cluster, 'Pollskolan');
    twilio = await cluster.createTenant('Twiliopoll');
    await cluster.seedContacts(elks.apiKey, 3, (i) => ({ externalId: `e-${i}`, phone: mobile(300 + i) }));
    await cluster.seedContacts(elks.apiKey, 1, () => ({ externalId: 'e-unreachable', phone: SANDBOX_SMS.unreachable }));
    await cluster.seedContacts(twilio.apiKey, 3, (i) => ({ externalId: `t-${i}`, phone: mobile(400 + i) }));
    await cluster.seedContacts(twilio.apiKey, 1, () => ({ externalId: 't-landline', phone: SANDBOX_SMS.landline }));
  }, 120_000);

  afterAll(async () => {
    await cluster?.stop();
  });

  it('settles both providers\' messages by polling, as the events their callbacks would have been', async () => {
    const [e, t] = await Promise.all([cluster.launch(elks.apiKey, sms('Poll 46elks')), cluster.launch(twilio.apiKey, sms('Poll Twilio'))]);
    const ec = await cluster.waitCompleted(elks.apiKey, e, 60_000, (c) => c.counts.delivered === 3 && c.counts.undelivered === 1);
    expect(ec.counts).toEqual({ delivered: 3, undelivered: 1 });
    const tc = await cluster.waitCompleted(twilio.apiKey, t, 60_000, (c) => c.counts.delivered === 3 && c.counts.undelivered === 1);
    expect(tc.counts).toEqual({ delivered: 3, undelivered: 1 });

    const events = await cluster.db.query(
      `SELECT e.source, e.provider_event_id, e.status, m.provider_message_id, m.polled_at IS NOT NULL AS polled
         FROM message_events e JOIN messages m ON m.id = e.message_id
        WHERE m.campaign_id = ANY($1::uuid[]) AND e.source IN ('46elks', 'twilio') AND e.payload->>'polled' = 'true'`,
      [[e, t]],
    );
    expect(events.rows).toHaveLength(8);
    for (const ev of events.rows) {
      expect(ev.polled).toBe(true);
      expect(ev.provider_event_id).toBe(`${ev.provider_message_id}:${ev.status === 'undelivered' ? (ev.source === '46elks' ? 'failed' : 'undelivered') : 'delivered'}`);
    }
    expect(events.rows.filter((r) => r.source === '46elks')).toHaveLength(4);

    // Polled 30006 marks the number just as the callback would.
    const landline = (await messagesOf(cluster, t)).find((m) => m.address === SANDBOX_SMS.landline);
    expect(landline).toMatchObject({ status: 'undelivered', error: 'twilio 30006' });
    const contact = await cluster.db.query('SELECT phone_not_mobile FROM contacts WHERE tenant_id = $1 AND phone_e164 = $2', [twilio.id, SANDBOX_SMS.landline]);
    expect(contact.rows[0].phone_not_mobile).toBe(true);

    // The callback arriving late is the same event: stored once.
    const m = (await messagesOf(cluster, e)).find((r) => r.status === 'delivered')!;
    const before = (await cluster.db.query('SELECT count(*)::int AS n FROM message_events WHERE message_id = $1', [m.id])).rows[0].n;
    const late = elksCallbackUrl(cluster.env.PUBLIC_BASE_URL, cluster.env.ELKS_CALLBACK_SECRET, elks.id, `delivery/${m.id}`);
    expect(await elksReport(cluster, late, { id: m.provider_message_id, status: 'delivered' })).toBe(204);
    expect((await cluster.db.query('SELECT count(*)::int AS n FROM message_events WHERE message_id = $1', [m.id])).rows[0].n).toBe(before);
  });
});
