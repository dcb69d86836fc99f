import { linkUrl } from '@utskick/email';
import { authenticate } from 'mailauth';
import { ParsedMail, simpleParser } from 'mailparser';
import { startDnsServer, TestDnsServer } from '../support/dns-server';
import { TestCluster } from '../support/test-cluster';
import { waitFor } from '../support/test-env';

interface SandboxMail {
  messageId: string | null;
  from: string;
  to: string[];
  raw: string;
}

/** Raw header fields of that name as sent, each unfolded onto one line. */
function headerLines(raw: string, name: string): string[] {
  const head = raw.slice(0, raw.search(/\r?\n\r?\n/));
  return head
    .split(/\r?\n(?![ \t])/)
    .filter((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`))
    .map((l) => l.replace(/\r?\n[ \t]+/g, ' '));
}

/** DKIM as a receiver checks it, with DNS answered only from the records the API told us to publish. */
async function dkim(raw: string, records: { name: string; value: string }[]) {
  const resolver = async (name: string, rr: string) => {
    const r = records.find((x) => x.name.toLowerCase() === name.toLowerCase());
    if (!r || rr !== 'TXT') throw Object.assign(new Error(`${name} ${rr}: not found`), { code: 'ENOTFOUND' });
    return [r.value.match(/.{1,255}/g)!];
  };
  const res = await authenticate(raw, { ip: '127.0.0.1', helo: 'sandbox.test', sender: 'bounces@bounces.utskick.test', mta: 'mx.test', resolver } as never);
  return res.dkim.results as unknown as { status: { result: string }; signingDomain: string; signingHeaders: { keys: string } }[];
}

describe('composed e-mail: sending domain, layout, sender, placeholders, list headers, DKIM (e2e)', () => {
  let cluster: TestCluster;
  let dns: TestDnsServer;
  let tenant: { id: string; apiKey: string };
  let other: { id: string; apiKey: string };
  let domain: { id: string; domain: string; records: { purpose: string; type: string; name: string; value: string }[] };
  let layoutId: string;
  const contacts: Record<string, string> = {};
  const sender = { name: 'Anna Berg', office: 'Kontoret Göteborg', replyTo: 'anna.berg@forening-ost.se' };

  const api = (method: string, path: string, body?: unknown, key = tenant.apiKey) => cluster.api(method, path, key, body);

  async function mailsTo(address: string, n = 1): Promise<SandboxMail[]> {
    return waitFor(`${n} mail(s) to ${address}`, async () => {
      const res = await cluster.http('provider-sandbox', 'GET', `/sandbox/emails?to=${encodeURIComponent(address)}&limit=20`);
      return res.body.items.length >= n ? (res.body.items as SandboxMail[]) : null;
    });
  }

  beforeAll(async () => {
    // The API verifies sending domains against this name server only.
    dns = await startDnsServer();
    cluster = await TestCluster.start('email_compose', { DNS_SERVERS: `127.0.0.1:${dns.port}` });
    tenant = await cluster.createTenant('Föreningen Öst');
    other = await cluster.createTenant('Another tenant');
    const bulk = await api('POST', '/v1/contacts/bulk', {
      contacts: [
        { externalId: 'bold', firstName: '<b>', lastName: 'Bold', email: 'bold@example.com' },
        { externalId: 'asa', firstName: 'Åsa', lastName: 'Ek', email: 'asa@example.com' },
        { externalId: 'eve', firstName: 'Eve\r\nBcc: x@evil.test', lastName: 'E', email: 'eve@example.com' },
      ],
    });
    expect(bulk.body).toEqual({ upserted: 3, errors: [] });
    const rows = await cluster.db.query('SELECT id, external_id FROM contacts WHERE tenant_id = $1', [tenant.id]);
    for (const r of rows.rows) contacts[r.external_id] = r.id;
  }, 180_000);

  afterAll(async () => {
    await cluster?.stop();
    await dns?.stop();
  });

  it('registers a sending domain with a DKIM key and answers the SPF, DKIM and DMARC records, never the private key', async () => {
    const res = await api('POST', '/v1/email/domains', { domain: 'Forening-Ost.se' });
    expect(res.status).toBe(201);
    domain = res.body;
    expect(domain.domain).toBe('forening-ost.se');
    expect(res.body).toMatchObject({ verified: false, verifiedAt: null });
    const selector = (res.body as { dkimSelector: string }).dkimSelector;
    expect(selector).toMatch(/^utskick\d{6}$/);
    expect(domain.records).toEqual([
      { purpose: 'spf', type: 'TXT', name: 'forening-ost.se', value: 'v=spf1 include:_spf.utskick.test ~all' },
      { purpose: 'dkim', type: 'TXT', name: `${selector}._domainkey.forening-ost.se`, value: expect.stringMatching(/^v=DKIM1; k=rsa; p=[A-Za-z0-9+/]{300,}={0,2}$/) },
      { purpose: 'dmarc', type: 'TXT', name: '_dmarc.forening-ost.se', value: 'v=DMARC1; p=none; rua=mailto:dmarc@forening-ost.se' },
    ]);
    expect(JSON.stringify(res.body)).not.toMatch(/PRIVATE|privateKey|dkimPrivate/i);
    const stored = await cluster.db.query('SELECT dkim_private_key_enc FROM sending_domains WHERE id = $1', [domain.id]);
    expect(stored.rows[0].dkim_private_key_enc).toMatch(/^v1\./);
    expect(stored.rows[0].dkim_private_key_enc).not.toContain('PRIVATE KEY');

    const again = await api('GET', `/v1/email/domains/${domain.id}`);
    expect(again.status).toBe(200);
    expect(again.body.records).toEqual(domain.records);
    expect((await api('GET', '/v1/email/domains')).body.items).toEqual([again.body]);
  });

  it('a domain taken by another tenant is 409 without saying who; the tenant\'s own twice is 409 too; others see nothing', async () => {
    const taken = await api('POST', '/v1/email/domains', { domain: 'forening-ost.se' }, other.apiKey);
    expect(taken.status).toBe(409);
    expect(taken.body.code ?? taken.body.type).toBeDefined();
    expect(JSON.stringify(taken.body)).not.toMatch(/Föreningen|Ost|tenant_id|[0-9a-f]{8}-[0-9a-f]{4}-/i);
    const twice = await api('POST', '/v1/email/domains', { domain: 'forening-ost.se' });
    expect(twice.status).toBe(409);
    expect(twice.body.detail).toMatch(/already registered/);
    expect((await api('GET', `/v1/email/domains/${domain.id}`, undefined, other.apiKey)).status).toBe(404);
    expect((await api('DELETE', `/v1/email/domains/${domain.id}`, undefined, other.apiKey)).status).toBe(404);
    expect((await api('POST', '/v1/email/domains', { domain: 'not a domain' })).status).toBe(400);
  });

  it('before verification mail goes from the platform address with the sender\'s name, unsigned, in preview and when sent', async () => {
    const c = await api('POST', '/v1/campaigns', { name: 'Före', channel: 'email', audience: { contactIds: [contacts.asa] }, email: { subject: 'Före', text: 't', sender } });
    expect(c.status).toBe(201);
    const preview = await api('POST', `/v1/campaigns/${c.body.id}/preview`, {});
    expect(preview.body.from).toBe('"Anna Berg (Kontoret Göteborg)" <noreply@utskick.test>');
    expect((await api('POST', `/v1/campaigns/${c.body.id}/test`, { to: 'unverified@example.com' })).status).toBe(202);
    const [mail] = await mailsTo('unverified@example.com');
    expect((await simpleParser(mail.raw)).from?.value).toEqual([{ name: 'Anna Berg (Kontoret Göteborg)', address: 'noreply@utskick.test' }]);
    expect(headerLines(mail.raw, 'DKIM-Signature')).toEqual([]);
    expect((await dkim(mail.raw, domain.records)).map((r) => r.status.result)).not.toContain('pass');
  });

  it('verify: 422 with no DKIM record, 422 with another key, then verified once the answered record is published', async () => {
    const dkimRecord = domain.records.find((r) => r.purpose === 'dkim')!;
    const missing = await api('POST', `/v1/email/domains/${domain.id}/verify`);
    expect(missing.status).toBe(422);
    expect(missing.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(missing.body).toMatchObject({ code: 'dns_record_missing', name: dkimRecord.name, found: [] });

    const wrongKey = dkimRecord.value.replace(/p=.*$/, `p=${Buffer.from('not this domain\'s key').toString('base64')}`);
    dns.records.set(dkimRecord.name, [wrongKey]);
    const mismatch = await api('POST', `/v1/email/domains/${domain.id}/verify`);
    expect(mismatch.status).toBe(422);
    expect(mismatch.body).toMatchObject({ code: 'dns_record_mismatch', name: dkimRecord.name, found: [wrongKey] });
    expect((await api('GET', `/v1/email/domains/${domain.id}`)).body).toMatchObject({ verified: false, verifiedAt: null });

    expect((await api('POST', `/v1/email/domains/${domain.id}/verify`, undefined, other.apiKey)).status).toBe(404);
    dns.records.set(dkimRecord.name, [dkimRecord.value]);
    const verified = await api('POST', `/v1/email/domains/${domain.id}/verify`);
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({ id: domain.id, verified: true, verifiedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), records: domain.records });
    expect((await api('GET', `/v1/email/domains/${domain.id}`)).body).toEqual(verified.body);
    expect((await api('GET', '/v1/email/domains')).body.items).toEqual([verified.body]);
  });

  it('layouts: #CUSTOMTEXT# and known placeholders only, tenant-scoped', async () => {
    const bad = await api('POST', '/v1/email/layouts', { name: 'Bad', html: '<p>no slot %FORNAMN%</p>' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual(
      expect.arrayContaining([
        { field: 'html', reason: expect.stringContaining('#CUSTOMTEXT#') },
        { field: 'html', reason: 'unknown placeholder %FORNAMN%' },
      ]),
    );
    const res = await api('POST', '/v1/email/layouts', {
      name: 'Föreningens mall',
      html: '<!doctype html><html><body><h1>Föreningen Öst</h1>#CUSTOMTEXT#<p>Hälsningar</p></body></html>',
      text: 'FÖRENINGEN ÖST\n\n#CUSTOMTEXT#\n\nHälsningar',
    });
    expect(res.status).toBe(201);
    layoutId = res.body.id;
    const patched = await api('PATCH', `/v1/email/layouts/${layoutId}`, { name: 'Mallen' });
    expect(patched.body).toMatchObject({ id: layoutId, name: 'Mallen' });
    expect((await api('PATCH', `/v1/email/layouts/${layoutId}`, { text: 'utan plats' })).status).toBe(400);
    expect((await api('GET', `/v1/email/layouts/${layoutId}`, undefined, other.apiKey)).status).toBe(404);
    expect((await api('GET', '/v1/email/layouts')).body.items.map((l: { id: string }) => l.id)).toEqual([layoutId]);
    const foreign = await api('POST', '/v1/campaigns', { name: 'x', channel: 'email', audience: { all: true }, email: { subject: 's', text: 't', layoutId } }, other.apiKey);
    expect(foreign.status).toBe(400);
    expect(foreign.body.errors).toEqual([{ field: 'email.layoutId', reason: 'no such layout' }]);
  });

  it.each([
    ['an unknown placeholder in the subject', { subject: 'Hej %FORNAMN%' }, { field: 'email.subject', reason: 'unknown placeholder %FORNAMN%' }],
    ['an unknown placeholder in the HTML', { html: '<p>%FIRSTNAME%</p>' }, { field: 'email.html', reason: 'unknown placeholder %FIRSTNAME%' }],
    ['CR/LF in the subject', { subject: 'Hej\r\nBcc: x@evil.test' }, { field: 'email.subject', reason: 'must not contain a line break' }],
    ['CR/LF in the sender name', { sender: { ...sender, name: 'Anna\r\nBcc: x@evil.test' } }, { field: 'email.sender.name', reason: 'must not contain a line break' }],
    ['a reply address that is not one', { sender: { ...sender, replyTo: 'anna, x@evil.test' } }, { field: 'email.sender.replyTo', reason: 'must be an e-mail address' }],
    ['a From local part that is no dot-atom', { fromLocalPart: 'anna..berg' }, { field: 'email.fromLocalPart', reason: 'must not have two dots in a row' }],
  ])('refuses %s with a 400 naming it', async (_name, email, error) => {
    const res = await api('POST', '/v1/campaigns', { name: 'x', channel: 'email', audience: { all: true }, email: { subject: 'Hej', text: 'Hej', ...email } });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([error]);
  });

  let campaignId: string;

  it('previews for the audience\'s first recipient, or a named contact, with placeholder links; From, Reply-To and list headers as sent', async () => {
    const created = await api('POST', '/v1/campaigns', {
      name: 'Välkommen',
      channel: 'email',
      audience: { contactIds: [contacts.bold, contacts.asa] },
      email: { subject: 'Hej %FIRST_NAME% – välkommen', text: 'Hej %NAME%!\nVi ses.', html: '<p>Hej <strong>%FIRST_NAME%</strong>!</p>', layoutId, sender },
    });
    expect(created.status).toBe(201);
    campaignId = created.body.id;
    const base = cluster.env.PUBLIC_BASE_URL;

    const first = await api('POST', `/v1/campaigns/${campaignId}/preview`, {});
    expect(first.status).toBe(200);
    const firstId = [contacts.bold, contacts.asa].sort()[0];
    expect(first.body.contact.id).toBe(firstId);

    const res = await api('POST', `/v1/campaigns/${campaignId}/preview`, { contactId: contacts.bold });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      subject: 'Hej <b> – välkommen',
      from: '"Anna Berg (Kontoret Göteborg)" <noreply@forening-ost.se>',
      replyTo: 'Anna Berg <anna.berg@forening-ost.se>',
      headers: { 'List-Unsubscribe': `<${base}/u/preview>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
    });
    expect(res.body.html).toContain('<h1>Föreningen Öst</h1><p>Hej <strong>&lt;b&gt;</strong>!</p><p>Hälsningar</p>');
    expect(res.body.html).not.toContain('<b>');
    expect(res.body.html).toContain(`href="${base}/u/preview"`);
    expect(res.body.text).toContain('FÖRENINGEN ÖST\n\nHej <b> Bold!\nVi ses.\n\nHälsningar');
    expect(res.body.text).toContain('Skickat av Anna Berg, Kontoret Göteborg (Föreningen Öst).');
    expect(res.body.text).toContain(`${base}/r/preview`);

    expect((await api('POST', `/v1/campaigns/${campaignId}/preview`, { contactId: contacts.bold }, other.apiKey)).status).toBe(404);
    const foreignContact = await api('POST', `/v1/campaigns/${campaignId}/preview`, { contactId: '01a2074a-1437-7b2b-ad15-9ab19afab6f8' });
    expect(foreignContact.status).toBe(400);
  });

  it('previews a made-up recipient when the audience is empty; SMS campaigns have no preview or test', async () => {
    const empty = await api('POST', '/v1/campaigns', { name: 'x', channel: 'email', audience: { all: true }, email: { subject: 'Hej %NAME%', text: 't' } }, other.apiKey);
    const res = await api('POST', `/v1/campaigns/${empty.body.id}/preview`, undefined, other.apiKey);
    expect(res.status).toBe(200);
    expect(res.body.subject).toBe('Hej Anna Andersson');
    // No sending domain and no sender: EMAIL_FROM, with no Reply-To.
    expect(res.body).toMatchObject({ from: 'Another tenant <noreply@utskick.test>', replyTo: null });

    const sms = await api('POST', '/v1/campaigns', { name: 's', channel: 'sms', audience: { all: true }, sms: { from: 'Skolan', text: 'Hej' } });
    expect(sms.status).toBe(201);
    expect((await api('POST', `/v1/campaigns/${sms.body.id}/preview`, {})).status).toBe(400);
    expect((await api('POST', `/v1/campaigns/${sms.body.id}/test`, { to: 'x@example.com' })).status).toBe(400);
  });

  it.each([
    ['not an address', 'nobody at example'],
    ['a list of two', 'a@example.com, b@example.com'],
  ])('previews a recipient whose e-mail is %s (the fan-out skips it) without failing', async (_name, email) => {
    const created = await api('POST', '/v1/contacts', { externalId: `bad-${email.length}`, firstName: 'Bad', email });
    expect(created.status).toBe(201);
    const c = await api('POST', '/v1/campaigns', { name: 'x', channel: 'email', audience: { contactIds: [created.body.id] }, email: { subject: 'Hej %FIRST_NAME%', text: 't', sender } });
    const res = await api('POST', `/v1/campaigns/${c.body.id}/preview`, {});
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ contact: { id: created.body.id, email }, subject: 'Hej Bad' });
  });

  it('sends a test of the preview rendering to one address, "[TEST] " before the subject, DKIM signed', async () => {
    expect((await api('POST', `/v1/campaigns/${campaignId}/test`, { to: 'not an address' })).status).toBe(400);
    const res = await api('POST', `/v1/campaigns/${campaignId}/test`, { to: 'tester@example.com' });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ to: 'tester@example.com' });
    const [mail] = await mailsTo('tester@example.com');
    expect(mail.to).toEqual(['tester@example.com']);
    const parsed = await simpleParser(mail.raw);
    expect(parsed.subject).toMatch(/^\[TEST\] Hej .+ – välkommen$/);
    expect(parsed.from?.value).toEqual([{ name: 'Anna Berg (Kontoret Göteborg)', address: 'noreply@forening-ost.se' }]);
    expect((await dkim(mail.raw, domain.records))[0].status.result).toBe('pass');
  });

  let mails: Record<string, { raw: string; parsed: ParsedMail; sandbox: SandboxMail }> = {};

  it('executes: each recipient gets its own rendering from the tenant domain', async () => {
    const executed = await api('POST', `/v1/campaigns/${campaignId}/execute`);
    expect(executed.status).toBe(202);
    const done = await cluster.waitCompleted(tenant.apiKey, campaignId, 60_000, (c) => c.counts.delivered === 2);
    expect(done.counts).toEqual({ delivered: 2 });
    mails = {};
    for (const address of ['bold@example.com', 'asa@example.com']) {
      const [sandbox] = await mailsTo(address);
      mails[address] = { raw: sandbox.raw, parsed: await simpleParser(sandbox.raw), sandbox };
    }
    expect(mails['asa@example.com'].parsed.subject).toBe('Hej Åsa – välkommen');
    expect(mails['bold@example.com'].parsed.subject).toBe('Hej <b> – välkommen');
  });

  it('From is on the tenant domain with name and office; Reply-To is the sender', () => {
    const { parsed } = mails['bold@example.com'];
    expect(parsed.from?.value).toEqual([{ name: 'Anna Berg (Kontoret Göteborg)', address: 'noreply@forening-ost.se' }]);
    expect(parsed.replyTo?.value).toEqual([{ name: 'Anna Berg', address: 'anna.berg@forening-ost.se' }]);
  });

  it('carries exactly one List-Unsubscribe with this message\'s one-click URL under PUBLIC_BASE_URL, and the One-Click post header', async () => {
    for (const [address, { raw, sandbox }] of Object.entries(mails)) {
      const [row] = (await cluster.db.query('SELECT id FROM messages WHERE campaign_id = $1 AND address = $2', [campaignId, address])).rows;
      expect(sandbox.messageId).toBe(row.id);
      const url = linkUrl(cluster.env.PUBLIC_BASE_URL, cluster.env.LINK_SECRET, 'unsubscribe', row.id);
      expect(url.startsWith(`${cluster.env.PUBLIC_BASE_URL}/u/${row.id}.`)).toBe(true);
      expect(headerLines(raw, 'List-Unsubscribe')).toEqual([`List-Unsubscribe: <${url}>`]);
      expect(headerLines(raw, 'List-Unsubscribe-Post')).toEqual(['List-Unsubscribe-Post: List-Unsubscribe=One-Click']);
      expect(headerLines(raw, 'X-Utskick-Message-Id')).toEqual([expect.stringMatching(new RegExp(`^X-Utskick-Message-Id: ${row.id}$`, 'i'))]);
      // The visible links in the body are this message's too.
      expect(mails[address].parsed.text).toContain(url);
      expect(mails[address].parsed.html).toContain(`href="${linkUrl(cluster.env.PUBLIC_BASE_URL, cluster.env.LINK_SECRET, 'resubscribe', row.id)}"`);
    }
  });

  it('is DKIM signed for the tenant domain, verifies against the record the API answered, and covers both list headers', async () => {
    for (const { raw } of Object.values(mails)) {
      const results = await dkim(raw, domain.records);
      expect(results).toHaveLength(1);
      expect(results[0]).toMatchObject({ status: { result: 'pass' }, signingDomain: 'forening-ost.se' });
      expect(results[0].signingHeaders.keys.toLowerCase().split(/:\s*/)).toEqual(expect.arrayContaining(['from', 'reply-to', 'subject', 'list-unsubscribe', 'list-unsubscribe-post']));
    }
    const other = dkim(mails['asa@example.com'].raw.replace('Hej ', 'Hej! '), domain.records);
    expect((await other)[0].status.result).not.toBe('pass');
  });

  it('escapes a contact named <b> in HTML, inside the layout, with the footer in both parts', () => {
    const { parsed } = mails['bold@example.com'];
    expect(parsed.html).toContain('<p>Hej <strong>&lt;b&gt;</strong>!</p>');
    expect(parsed.html).not.toContain('<b>');
    expect(parsed.html).toContain('<h1>Föreningen Öst</h1>');
    expect(parsed.html).toContain('Skickat av Anna Berg, Kontoret Göteborg (Föreningen Öst).');
    expect(parsed.text).toContain('Hej <b> Bold!');
    expect(parsed.text).toContain('Skickat av Anna Berg, Kontoret Göteborg (Föreningen Öst).');
  });

  it('a contact name with CR/LF and "Bcc:" in the subject reaches exactly one recipient and adds no header', async () => {
    const id = await cluster.launch(tenant.apiKey, {
      name: 'Injection',
      channel: 'email',
      audience: { contactIds: [contacts.eve] },
      email: { subject: 'Hej %FIRST_NAME%', text: 'Hej', sender },
    });
    await cluster.waitCompleted(tenant.apiKey, id, 60_000, (c) => c.counts.delivered === 1);
    const [mail] = await mailsTo('eve@example.com');
    expect(mail.to).toEqual(['eve@example.com']);
    expect(headerLines(mail.raw, 'Bcc')).toEqual([]);
    const parsed = await simpleParser(mail.raw);
    expect(parsed.bcc).toBeUndefined();
    expect(parsed.subject).toBe('Hej Eve Bcc: x@evil.test');
    const evil = await cluster.http('provider-sandbox', 'GET', '/sandbox/emails?to=x@evil.test');
    expect(evil.body.items).toEqual([]);
  });

  it('transactional mail (marketing: false) has no List-Unsubscribe headers and no unsubscribe links', async () => {
    const id = await cluster.launch(tenant.apiKey, {
      name: 'Kvitto',
      channel: 'email',
      audience: { contactIds: [contacts.asa] },
      email: { subject: 'Kvitto', text: 'Tack för betalningen.', sender, marketing: false },
    });
    await cluster.waitCompleted(tenant.apiKey, id, 60_000, (c) => c.counts.delivered === 1);
    const [mail] = await mailsTo('asa@example.com', 2);
    expect((await simpleParser(mail.raw)).subject).toBe('Kvitto');
    expect(headerLines(mail.raw, 'List-Unsubscribe')).toEqual([]);
    expect(headerLines(mail.raw, 'List-Unsubscribe-Post')).toEqual([]);
    expect(mail.raw).not.toContain(`${cluster.env.PUBLIC_BASE_URL}/u/`);
    expect((await dkim(mail.raw, domain.records))[0].status.result).toBe('pass');
  });

  it('mail through a book that is not for marketing is transactional too: no list headers, no unsubscribe links', async () => {
    const book = await api('POST', '/v1/address-books', { name: 'Personal', marketing: false });
    expect(book.status).toBe(201);
    expect((await api('POST', `/v1/address-books/${book.body.id}/contacts`, { contactIds: [contacts.asa] })).status).toBeLessThan(300);
    const id = await cluster.launch(tenant.apiKey, {
      name: 'Personalinfo',
      channel: 'email',
      audience: { addressBookId: book.body.id },
      email: { subject: 'Personalinfo', text: 'Möte på fredag.', sender },
    });
    await cluster.waitCompleted(tenant.apiKey, id, 60_000, (c) => c.counts.delivered === 1);
    const [mail] = await mailsTo('asa@example.com', 3);
    expect((await simpleParser(mail.raw)).subject).toBe('Personalinfo');
    expect(headerLines(mail.raw, 'List-Unsubscribe')).toEqual([]);
    expect(headerLines(mail.raw, 'List-Unsubscribe-Post')).toEqual([]);
    expect(mail.raw).not.toContain(`${cluster.env.PUBLIC_BASE_URL}/u/`);
  });

  it('a layout in use cannot be deleted; a domain can, and mail then goes from EMAIL_FROM', async () => {
    const draft = await api('POST', '/v1/campaigns', { name: 'd', channel: 'email', audience: { all: true }, email: { subject: 's', text: 't', layoutId } });
    expect(draft.status).toBe(201);
    expect((await api('DELETE', `/v1/email/layouts/${layoutId}`)).status).toBe(409);
    expect((await api('DELETE', `/v1/email/domains/${domain.id}`)).status).toBe(204);
    expect((await api('GET', `/v1/email/domains/${domain.id}`)).status).toBe(404);
    const preview = await api('POST', `/v1/campaigns/${campaignId}/preview`, {});
    expect(preview.body.from).toBe('"Anna Berg (Kontoret Göteborg)" <noreply@utskick.test>');
  });
});
