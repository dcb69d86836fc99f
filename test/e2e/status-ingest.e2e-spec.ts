import { sandboxSignature, twilioSignature } from '@utskick/providers';
import { mobile, TestCluster } from '../support/test-cluster';
import { waitFor } from '../support/test-env';

const PUBLIC_BASE = 'https://hooks.utskick.example';

/**
 * status-ingest: provider callbacks are authenticated against PUBLIC_BASE_URL (never the Host
 * header), stored once, and move a message only forward.
 */
describe('status-ingest', () => {
  let cluster: TestCluster;
  let tenant: { id: string; apiKey: string };
  let messages: { id: string; status: string }[];

  beforeAll(async () => {
    cluster = await TestCluster.start('ingest', { PUBLIC_BASE_URL: PUBLIC_BASE });
    // Callbacks are ours to play in these tests: the sandbox sends none.
    await cluster.sandboxConfig({ smsCallbackStatuses: [] });
    tenant = await cluster.createTenant('Ingest');
    await cluster.seedContacts(tenant.apiKey, 5, (i) => ({ externalId: `i-${i}`, phone: mobile(i), email: `i${i}@example.com` }));
    const campaignId = await cluster.launch(tenant.apiKey, { name: 'Callbacks', channel: 'sms', audience: { all: true }, sms: { from: 'Skolan', text: 'Hej' } });
    messages = await waitFor('all sent', async () => {
      const r = await cluster.db.query(`SELECT id, status, provider_message_id FROM messages WHERE campaign_id = $1 ORDER BY id`, [campaignId]);
      return r.rows.length === 5 && r.rows.every((m) => m.status === 'sent') ? r.rows : null;
    });
  }, 120_000);

  afterAll(async () => {
    await cluster?.stop();
  });

  const params = (messageId: string, status: string) => ({
    MessageSid: `SM${messageId.replace(/-/g, '')}`,
    SmsSid: `SM${messageId.replace(/-/g, '')}`,
    AccountSid: 'ACsandbox00000000000000000000000000',
    MessageStatus: status,
    SmsStatus: status,
    To: '+46701000000',
    From: 'Skolan',
    ApiVersion: '2010-04-01',
  });

  async function callback(messageId: string, status: string, sign: (path: string, p: Record<string, string>) => string | undefined) {
    const path = `/webhooks/twilio/status/${messageId}`;
    const p = params(messageId, status);
    const signature = sign(path, p);
    const res = await fetch(cluster.url('status-ingest', path), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(signature ? { 'x-twilio-signature': signature } : {}) },
      body: new URLSearchParams(p).toString(),
    });
    return res.status;
  }
  const good = (path: string, p: Record<string, string>) => twilioSignature(cluster.env.SANDBOX_AUTH_TOKEN, PUBLIC_BASE + path, p);

  const statusOf = async (id: string) => (await cluster.db.query('SELECT status FROM messages WHERE id = $1', [id])).rows[0].status;
  const eventCount = async (id: string) => (await cluster.db.query('SELECT count(*)::int AS n FROM message_events WHERE message_id = $1', [id])).rows[0].n;

  it('rejects a forged status callback with 403 and changes nothing', async () => {
    const m = messages[0];
    const before = await eventCount(m.id);
    expect(await callback(m.id, 'delivered', () => undefined)).toBe(403);
    expect(await callback(m.id, 'delivered', () => 'bm90IGEgc2lnbmF0dXJl')).toBe(403);
    // Signed with another token.
    expect(await callback(m.id, 'delivered', (path, p) => twilioSignature('wrong-token', PUBLIC_BASE + path, p))).toBe(403);
    // Signed over the Host form of the URL instead of PUBLIC_BASE_URL.
    expect(await callback(m.id, 'delivered', (path, p) => twilioSignature(cluster.env.SANDBOX_AUTH_TOKEN, cluster.url('status-ingest', path), p))).toBe(403);
    expect(await statusOf(m.id)).toBe('sent');
    expect(await eventCount(m.id)).toBe(before);
  });

  it('moves a message forward on a valid callback, and stores a callback delivered twice once', async () => {
    const m = messages[1];
    const before = await eventCount(m.id);
    expect(await callback(m.id, 'delivered', good)).toBe(204);
    expect(await callback(m.id, 'delivered', good)).toBe(204);
    expect(await statusOf(m.id)).toBe('delivered');
    expect(await eventCount(m.id)).toBe(before + 1);
  });

  it('a late sent after delivered changes nothing; neither does undelivered', async () => {
    const m = messages[2];
    expect(await callback(m.id, 'delivered', good)).toBe(204);
    const deliveredAt = (await cluster.db.query('SELECT updated_at FROM messages WHERE id = $1', [m.id])).rows[0].updated_at;
    expect(await callback(m.id, 'sent', good)).toBe(204);
    expect(await callback(m.id, 'undelivered', good)).toBe(204);
    const row = (await cluster.db.query('SELECT status, updated_at FROM messages WHERE id = $1', [m.id])).rows[0];
    expect(row.status).toBe('delivered');
    expect(row.updated_at).toEqual(deliveredAt);
    const events = await cluster.db.query(`SELECT status, applied FROM message_events WHERE message_id = $1 AND source = 'twilio' ORDER BY id`, [m.id]);
    expect(events.rows).toEqual([
      { status: 'delivered', applied: true },
      { status: 'sent', applied: false },
      { status: 'undelivered', applied: false },
    ]);
  });

  it('records undelivered with the provider error code', async () => {
    const m = messages[3];
    const p = { ...params(m.id, 'undelivered'), ErrorCode: '30003' };
    const path = `/webhooks/twilio/status/${m.id}`;
    const res = await fetch(cluster.url('status-ingest', path), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': good(path, p) },
      body: new URLSearchParams(p).toString(),
    });
    expect(res.status).toBe(204);
    const row = (await cluster.db.query('SELECT status, error FROM messages WHERE id = $1', [m.id])).rows[0];
    expect(row).toEqual({ status: 'undelivered', error: 'twilio 30003' });
  });

  it('answers a signed callback with an unknown status 400 problem+json', async () => {
    const m = messages[4];
    const status = await callback(m.id, 'teleported', good);
    expect(status).toBe(400);
    expect(await statusOf(m.id)).toBe('sent');
  });

  it('rejects an unsigned or forged sandbox e-mail event batch with 403', async () => {
    const body = JSON.stringify([{ eventId: 'e1', messageId: messages[4].id, event: 'delivered' }]);
    const ts = String(Math.floor(Date.now() / 1000));
    const post = (headers: Record<string, string>) =>
      fetch(cluster.url('status-ingest', '/webhooks/sandbox/email'), { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    expect((await post({})).status).toBe(403);
    expect((await post({ 'x-sandbox-timestamp': ts, 'x-sandbox-signature': sandboxSignature('wrong-secret', ts, body) })).status).toBe(403);
    const stale = String(Math.floor(Date.now() / 1000) - 3600);
    expect((await post({ 'x-sandbox-timestamp': stale, 'x-sandbox-signature': sandboxSignature(cluster.env.SANDBOX_WEBHOOK_SECRET, stale, body) })).status).toBe(403);
    expect(await statusOf(messages[4].id)).toBe('sent');
  });
});
