import { linkUrl } from '@utskick/email';
import { existsSync, readFileSync } from 'node:fs';
import { simpleParser } from 'mailparser';
import { Browser, BrowserContext, chromium, Page } from 'playwright-core';
import { TestCluster } from '../support/test-cluster';
import { waitFor } from '../support/test-env';

const CHROMIUM = '/usr/bin/chromium';
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/**
 * The recipient pages as a recipient meets them: links taken from the mail the sandbox received,
 * opened in headless Chromium with JavaScript off (the flows) and on (axe-core), in Swedish and
 * English; the RFC 8058 one-click post as a mailbox provider sends it; opt-out scopes by book and
 * tenant; double opt-in through a confirmation request.
 */
describe('recipient pages: unsubscribe, re-subscribe, confirm', () => {
  let cluster: TestCluster;
  let browser: Browser;
  let a: { id: string; apiKey: string };
  let b: { id: string; apiKey: string };
  let contacts: Record<string, string>;
  let bookA: string;
  let bookB: string;
  let bookC: string;
  let firstCampaign: string;

  beforeAll(async () => {
    // The flows must be shown in a real browser: a missing Chromium fails this file, it never skips it.
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (.ci/run does)`);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    cluster = await TestCluster.start('recipient_pages');
    a = await cluster.createTenant('Ängens skola & fritids', { credit: 0, senders: [] });
    b = await cluster.createTenant('Klubb <b>Två</b>', { credit: 0, senders: [] });
    const people = ['anna', 'bertil', 'cecilia', 'david', 'eva', 'gustav', 'helga', 'ivar', 'jonas', 'karin'];
    const bulk = await cluster.api('POST', '/v1/contacts/bulk', a.apiKey, {
      contacts: people.map((p) => ({ externalId: p, firstName: p, email: `${p[0].toUpperCase()}${p.slice(1)}@Example.com` })),
    });
    expect(bulk.body.errors).toEqual([]);
    contacts = Object.fromEntries((await cluster.db.query('SELECT external_id, id FROM contacts WHERE tenant_id = $1', [a.id])).rows.map((r) => [r.external_id, r.id]));
    expect((await cluster.api('POST', '/v1/contacts', b.apiKey, { externalId: 'anna', email: 'anna@example.com' })).status).toBe(201);
    const book = async (name: string, members: string[]) => {
      const created = await cluster.api('POST', '/v1/address-books', a.apiKey, { name });
      expect(created.status).toBe(201);
      const added = await cluster.api('POST', `/v1/address-books/${created.body.id}/contacts`, a.apiKey, { contactIds: members.map((m) => contacts[m]) });
      expect(added.status).toBeLessThan(300);
      return created.body.id as string;
    };
    bookA = await book('Föräldrar', ['anna', 'bertil', 'cecilia', 'david', 'eva']);
    bookB = await book('Idrott', ['anna']);
    bookC = await book('Nya', ['helga', 'ivar', 'jonas', 'karin']);
    firstCampaign = await sendEmail(a.apiKey, { addressBookId: bookA });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await cluster?.stop();
  });

  async function sendEmail(apiKey: string, audience: Record<string, unknown>): Promise<string> {
    const id = await cluster.launch(apiKey, { name: 'Veckobrev', channel: 'email', audience, email: { subject: 'Veckobrev', text: 'Hej %FIRST_NAME%! Här är veckans nyheter.' } });
    await delivered(apiKey, id);
    return id;
  }

  /** Completed, and the sandbox's delivery events are in. */
  async function delivered(apiKey: string, campaignId: string): Promise<void> {
    await cluster.waitCompleted(apiKey, campaignId, 60_000, (c) => !c.counts.sent);
  }

  async function messageId(campaignId: string, address: string): Promise<string> {
    const r = await cluster.db.query('SELECT id FROM messages WHERE campaign_id = $1 AND address = $2', [campaignId, address]);
    expect(r.rows).toHaveLength(1);
    return r.rows[0].id;
  }

  /** The mail the sandbox accepted for a message, parsed back. */
  async function mailOf(id: string) {
    const mail = await waitFor(
      `mail ${id} in the sandbox`,
      async () => {
        const res = await cluster.http('provider-sandbox', 'GET', '/sandbox/emails?limit=1000');
        return (res.body.items as { messageId: string | null; raw: string }[]).find((m) => m.messageId === id) ?? null;
      },
      20_000,
      200,
    );
    return { raw: mail.raw, parsed: await simpleParser(mail.raw) };
  }

  /** The one-click URL from the mail's own List-Unsubscribe header (counted in the raw header lines). */
  async function unsubscribeUrl(campaignId: string, address: string): Promise<string> {
    const id = await messageId(campaignId, address);
    const { raw } = await mailOf(id);
    const head = raw.slice(0, raw.indexOf('\r\n\r\n')).replace(/\r\n[ \t]+/g, ' ');
    const lines = head.split('\r\n').filter((l) => /^list-unsubscribe:/i.test(l));
    expect(lines).toHaveLength(1);
    const url = /<(https?:\/\/[^>]+)>/.exec(lines[0])![1];
    expect(url).toBe(linkUrl(cluster.env.PUBLIC_BASE_URL, cluster.env.LINK_SECRET, 'unsubscribe', id));
    return url;
  }

  const sibling = (url: string, path: 'u' | 'r' | 'c') => url.replace(/\/[urc]\/([^/]+)$/, `/${path}/$1`);

  async function optOuts(address: string): Promise<{ book_id: string | null; source: string }[]> {
    return (await cluster.db.query(`SELECT book_id, source FROM opt_outs WHERE tenant_id = $1 AND channel = 'email' AND address = $2 ORDER BY created_at`, [a.id, address])).rows;
  }

  async function addressStatus(apiKey: string, address: string) {
    const res = await cluster.api('GET', `/v1/email/addresses?address=${encodeURIComponent(address)}`, apiKey);
    expect(res.status).toBe(200);
    return res.body.items[0] ?? null;
  }

  async function messageStatus(id: string): Promise<string> {
    return (await cluster.db.query('SELECT status FROM messages WHERE id = $1', [id])).rows[0].status;
  }

  /** A context without JavaScript, its Accept-Language from the locale. */
  async function noScript(locale: string): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ javaScriptEnabled: false, locale });
    return { context, page: await context.newPage() };
  }

  async function expectPage(page: Page, lang: string, heading: string): Promise<void> {
    await page.locator('h1', { hasText: heading }).waitFor({ timeout: 15_000 });
    expect(await page.locator('h1').count()).toBe(1);
    expect((await page.locator('h1').innerText()).trim()).toBe(heading);
    expect(await page.locator('html').getAttribute('lang')).toBe(lang);
  }

  async function press(page: Page, button: string, lang: string, heading: string): Promise<void> {
    await page.getByRole('button', { name: button, exact: true }).click();
    await expectPage(page, lang, heading);
  }

  it('a GET (or HEAD) of any link only shows a page with a button: link scanners unsubscribe nobody', async () => {
    const url = await unsubscribeUrl(firstCampaign, 'anna@example.com');
    for (const path of ['u', 'r'] as const) {
      for (const method of ['GET', 'HEAD']) {
        const res = await fetch(sibling(url, path), { method, redirect: 'manual' });
        expect(res.status).toBe(200);
        if (method === 'GET') expect(await res.text()).toMatch(/<form method="post"[^>]*>\s*<button type="submit">/);
      }
    }
    expect(await optOuts('anna@example.com')).toEqual([]);
    expect(await messageStatus(await messageId(firstCampaign, 'anna@example.com'))).toBe('delivered');
    expect((await cluster.db.query(`SELECT 1 FROM message_events WHERE source = 'recipient'`)).rows).toEqual([]);
  });

  it('unsubscribes and re-subscribes with JavaScript off, in Swedish (from Accept-Language)', async () => {
    const url = await unsubscribeUrl(firstCampaign, 'cecilia@example.com');
    const { context, page } = await noScript('sv-SE');
    try {
      await page.goto(url);
      await expectPage(page, 'sv', 'Avsluta prenumerationen');
      expect(await page.locator('main').innerText()).toContain('cecilia@example.com');
      expect(await page.locator('main').innerText()).toContain('Ängens skola & fritids');
      expect(await optOuts('cecilia@example.com')).toEqual([]);

      await press(page, 'Avsluta prenumerationen', 'sv', 'Du har avslutat prenumerationen');
      expect(await optOuts('cecilia@example.com')).toEqual([{ book_id: bookA, source: 'unsubscribe_link' }]);
      expect(await messageStatus(await messageId(firstCampaign, 'cecilia@example.com'))).toBe('unsubscribed');

      await press(page, 'Prenumerera igen', 'sv', 'Du prenumererar');
      expect(page.url()).toContain('/r/');
      expect(await optOuts('cecilia@example.com')).toEqual([]);
      // The mail was unsubscribed; the message keeps that (status only moves forward).
      expect(await messageStatus(await messageId(firstCampaign, 'cecilia@example.com'))).toBe('unsubscribed');
    } finally {
      await context.close();
    }
  });

  it('switches to English with the visible link, and the forms keep the language', async () => {
    const url = await unsubscribeUrl(firstCampaign, 'david@example.com');
    const { context, page } = await noScript('sv-SE');
    try {
      await page.goto(url);
      await expectPage(page, 'sv', 'Avsluta prenumerationen');
      await page.getByRole('link', { name: 'English' }).click();
      await expectPage(page, 'en', 'Unsubscribe');
      await press(page, 'Unsubscribe', 'en', 'You are unsubscribed');
      expect(await optOuts('david@example.com')).toEqual([{ book_id: bookA, source: 'unsubscribe_link' }]);
      await press(page, 'Subscribe again', 'en', 'You are subscribed');
      expect(await optOuts('david@example.com')).toEqual([]);
      await page.getByRole('link', { name: 'Svenska' }).click();
      await expectPage(page, 'sv', 'Du prenumererar');
    } finally {
      await context.close();
    }
    // An English browser gets English without the switch.
    const res = await fetch(url, { headers: { 'accept-language': 'en-GB,en;q=0.9' } });
    expect(await res.text()).toMatch(/<html lang="en">[\s\S]*<h1>Unsubscribe<\/h1>/);
    expect(res.headers.get('content-language')).toBe('en');
  });

  it('one-click (RFC 8058): an urlencoded POST unsubscribes at once with 2xx and no redirect, and again changes nothing', async () => {
    const url = await unsubscribeUrl(firstCampaign, 'anna@example.com');
    const id = await messageId(firstCampaign, 'anna@example.com');
    for (let i = 0; i < 2; i++) {
      const res = await fetch(url, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'List-Unsubscribe=One-Click',
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('location')).toBeNull();
      expect(await optOuts('anna@example.com')).toEqual([{ book_id: bookA, source: 'one_click' }]);
    }
    expect(await messageStatus(id)).toBe('unsubscribed');
    const events = await cluster.db.query(`SELECT status, source FROM message_events WHERE message_id = $1 AND source = 'recipient'`, [id]);
    expect(events.rows).toEqual([{ status: 'unsubscribed', source: 'recipient' }]);
    // A book opt-out is not a Problem of the address: the tenant's other books may still send to it.
    expect(await addressStatus(a.apiKey, 'anna@example.com')).toMatchObject({ status: 'unconfirmed', problem: null });
  });

  it('one-click as multipart/form-data, and a button post with no body at all, both act', async () => {
    const url = await unsubscribeUrl(firstCampaign, 'bertil@example.com');
    const form = new FormData();
    form.set('List-Unsubscribe', 'One-Click');
    const res = await fetch(url, { method: 'POST', redirect: 'manual', body: form });
    expect(res.status).toBe(200);
    expect(res.headers.get('location')).toBeNull();
    expect(await optOuts('bertil@example.com')).toEqual([{ book_id: bookA, source: 'one_click' }]);

    const eva = await unsubscribeUrl(firstCampaign, 'eva@example.com');
    const bare = await fetch(eva, { method: 'POST', redirect: 'manual' });
    expect(bare.status).toBe(200);
    expect(await optOuts('eva@example.com')).toEqual([{ book_id: bookA, source: 'unsubscribe_link' }]);
    expect((await fetch(sibling(eva, 'r'), { method: 'POST', redirect: 'manual' })).status).toBe(200);
    expect(await optOuts('eva@example.com')).toEqual([]);
  });

  it('unsubscribing from book A leaves book B and the other tenant sending to the address', async () => {
    expect(await optOuts('anna@example.com')).toEqual([{ book_id: bookA, source: 'one_click' }]);
    const again = await sendEmail(a.apiKey, { addressBookId: bookA });
    expect(await cluster.statusCounts(again)).toEqual({ delivered: 3, opted_out: 2 });
    expect(await messageStatus(await messageId(again, 'anna@example.com'))).toBe('opted_out');
    const other = await sendEmail(a.apiKey, { addressBookId: bookB });
    expect(await cluster.statusCounts(other)).toEqual({ delivered: 1 });
    const tenantB = await sendEmail(b.apiKey, { all: true });
    expect(await cluster.statusCounts(tenantB)).toEqual({ delivered: 1 });
    // The other tenant's page is its own, with its name escaped.
    const page = await (await fetch(await unsubscribeUrl(tenantB, 'anna@example.com'))).text();
    expect(page).toContain('Klubb &lt;b&gt;Två&lt;/b&gt;');
    expect(page).not.toContain('<b>Två');
  });

  it('a mail not sent through a book unsubscribes tenant-wide and marks the address; re-subscribing lifts both', async () => {
    const c = await sendEmail(a.apiKey, { contactIds: [contacts.gustav] });
    const url = await unsubscribeUrl(c, 'gustav@example.com');
    expect((await fetch(url, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' })).status).toBe(200);
    expect(await optOuts('gustav@example.com')).toEqual([{ book_id: null, source: 'unsubscribe_link' }]);
    expect(await addressStatus(a.apiKey, 'gustav@example.com')).toMatchObject({ status: 'problem', problem: 'unsubscribed', problemSource: 'unsubscribe_link' });
    expect(await addressStatus(b.apiKey, 'gustav@example.com')).toBeNull();

    const res = await fetch(sibling(url, 'r'), { method: 'POST', redirect: 'manual', headers: { 'accept-language': 'en' } });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<h1>You are subscribed</h1>');
    expect(await optOuts('gustav@example.com')).toEqual([]);
    expect(await addressStatus(a.apiKey, 'gustav@example.com')).toMatchObject({ status: 'confirmed', problem: null });
  });

  it('re-subscribing lifts only what the recipient did: a global block stays, and the page says mail is still stopped', async () => {
    const c = await sendEmail(a.apiKey, { contactIds: [contacts.eva] });
    const url = await unsubscribeUrl(c, 'eva@example.com');
    expect((await fetch(url, { method: 'POST', redirect: 'manual' })).status).toBe(200);
    await cluster.db.query(`INSERT INTO suppressions (channel, address, reason, source) VALUES ('email', 'eva@example.com', 'complaint', 'test')`);
    try {
      const res = await fetch(sibling(url, 'r'), { method: 'POST', redirect: 'manual', headers: { 'accept-language': 'sv' } });
      expect(await res.text()).toContain('ändå stoppade av en annan spärr');
      expect((await cluster.db.query(`SELECT 1 FROM suppressions WHERE channel = 'email' AND address = 'eva@example.com'`)).rows).toHaveLength(1);
      expect(await optOuts('eva@example.com')).toEqual([]);
    } finally {
      await cluster.db.query(`DELETE FROM suppressions WHERE channel = 'email' AND address = 'eva@example.com'`);
    }
  });

  it('answers a forged, altered or unknown token with the same plain 404 page, and acts on nothing', async () => {
    const url = await unsubscribeUrl(firstCampaign, 'anna@example.com');
    const token = url.split('/u/')[1];
    const [id, mac] = token.split('.');
    const otherId = await messageId(firstCampaign, 'eva@example.com');
    const base = cluster.env.PUBLIC_BASE_URL;
    const forged = [`${otherId}.${mac}`, `${id}.${mac.slice(0, -1)}${mac.endsWith('A') ? 'B' : 'A'}`, id, 'x.y', `${id}.${mac}x`];
    const before = (await cluster.db.query('SELECT count(*)::int AS n FROM opt_outs')).rows[0].n;
    const pages = new Set<string>();
    for (const t of forged) {
      for (const path of ['u', 'r', 'c']) {
        for (const method of ['GET', 'POST']) {
          const res = await fetch(`${base}/${path}/${encodeURIComponent(t)}`, { method, redirect: 'manual', headers: { 'accept-language': 'en' } });
          expect(res.status).toBe(404);
          pages.add(await res.text());
        }
      }
    }
    expect(pages.size).toBe(1);
    expect([...pages][0]).toContain('<h1>This link does not work</h1>');
    expect((await cluster.db.query('SELECT count(*)::int AS n FROM opt_outs')).rows[0].n).toBe(before);
    // A real token confirms nothing unless its mail was a confirmation request.
    expect((await fetch(sibling(url, 'c'), { method: 'POST', redirect: 'manual' })).status).toBe(404);
  });

  describe('double opt-in', () => {
    let request: string;

    beforeAll(async () => {
      await cluster.db.query(`INSERT INTO email_addresses (tenant_id, address, status, confirmed_at) VALUES ($1, 'karin@example.com', 'confirmed', now())`, [a.id]);
      const res = await cluster.api('POST', '/v1/email/confirmation-requests', a.apiKey, { addressBookId: bookC });
      expect(res.status).toBe(202);
      expect(res.body).toMatchObject({ channel: 'email', addressBookId: bookC, status: expect.stringMatching(/^(queued|dispatching|completed)$/) });
      request = res.body.id;
      await delivered(a.apiKey, request);
    }, 90_000);

    it('sends a request to each Unconfirmed address of the book only, and marks them Confirmation requested', async () => {
      expect(await cluster.statusCounts(request)).toEqual({ delivered: 3 });
      for (const p of ['helga', 'ivar', 'jonas']) {
        expect(await addressStatus(a.apiKey, `${p}@example.com`)).toMatchObject({ status: 'confirmation_requested', confirmationRequestedAt: expect.any(String) });
      }
      expect(await addressStatus(a.apiKey, 'karin@example.com')).toMatchObject({ status: 'confirmed' });
      expect(await addressStatus(a.apiKey, 'anna@example.com')).toMatchObject({ status: 'unconfirmed' });
      const listed = await cluster.api('GET', '/v1/email/addresses?status=confirmation_requested&limit=2', a.apiKey);
      expect(listed.body.items.map((i: { address: string }) => i.address)).toEqual(['helga@example.com', 'ivar@example.com']);
      const rest = await cluster.api('GET', `/v1/email/addresses?status=confirmation_requested&limit=2&cursor=${listed.body.nextCursor}`, a.apiKey);
      expect(rest.body).toEqual({ items: [expect.objectContaining({ address: 'jonas@example.com' })], nextCursor: null });
    });

    it('a cursor that is not one of ours is a 400, never a 500', async () => {
      // "AEA" decodes to a NUL and an "@": PostgreSQL refuses NUL in text.
      for (const cursor of ['AEA', Buffer.from('x@\u0000y').toString('base64url'), 'YQ']) {
        const res = await cluster.api('GET', `/v1/email/addresses?cursor=${cursor}`, a.apiKey);
        expect(res.status).toBe(400);
        expect(res.body.errors).toEqual([{ field: 'query.cursor', reason: 'must be a cursor from a previous page' }]);
      }
    });

    async function confirmUrl(address: string): Promise<string> {
      const id = await messageId(request, address);
      const { parsed } = await mailOf(id);
      expect(parsed.subject).toBe('Bekräfta din e-postadress för Ängens skola & fritids');
      const url = /https?:\/\/\S+\/c\/[A-Za-z0-9._-]+/.exec(parsed.text ?? '')?.[0];
      expect(url).toBe(linkUrl(cluster.env.PUBLIC_BASE_URL, cluster.env.LINK_SECRET, 'confirm', id));
      return url!;
    }

    it('confirms with JavaScript off, in Swedish', async () => {
      const url = await confirmUrl('helga@example.com');
      const { context, page } = await noScript('sv-SE');
      try {
        await page.goto(url);
        await expectPage(page, 'sv', 'Bekräfta din e-postadress');
        expect(await addressStatus(a.apiKey, 'helga@example.com')).toMatchObject({ status: 'confirmation_requested' });
        await press(page, 'Bekräfta adressen', 'sv', 'Adressen är bekräftad');
        expect(await addressStatus(a.apiKey, 'helga@example.com')).toMatchObject({ status: 'confirmed', confirmedAt: expect.any(String) });
      } finally {
        await context.close();
      }
    });

    it('confirms with JavaScript off, in English', async () => {
      const url = await confirmUrl('ivar@example.com');
      const { context, page } = await noScript('en-US');
      try {
        await page.goto(url);
        await expectPage(page, 'en', 'Confirm your e-mail address');
        await press(page, 'Confirm address', 'en', 'Address confirmed');
        expect(await addressStatus(a.apiKey, 'ivar@example.com')).toMatchObject({ status: 'confirmed' });
      } finally {
        await context.close();
      }
    });

    it('confirming twice keeps the first confirmation; a Problem is not lifted by a confirm link', async () => {
      const url = await confirmUrl('jonas@example.com');
      expect((await fetch(url, { method: 'POST', redirect: 'manual' })).status).toBe(200);
      const first = (await addressStatus(a.apiKey, 'jonas@example.com')).confirmedAt;
      expect((await fetch(url, { method: 'POST', redirect: 'manual' })).status).toBe(200);
      expect((await addressStatus(a.apiKey, 'jonas@example.com')).confirmedAt).toBe(first);

      await cluster.db.query(`UPDATE email_addresses SET status = 'problem', problem = 'bounced', problem_source = 'test' WHERE tenant_id = $1 AND address = 'jonas@example.com'`, [a.id]);
      const res = await fetch(url, { method: 'POST', redirect: 'manual', headers: { 'accept-language': 'en' } });
      expect(await res.text()).toContain('<h1>The address cannot be confirmed</h1>');
      expect(await addressStatus(a.apiKey, 'jonas@example.com')).toMatchObject({ status: 'problem', problem: 'bounced' });
    });

    it("changing a contact's e-mail starts the new address over as Unconfirmed", async () => {
      expect(await addressStatus(a.apiKey, 'helga@example.com')).toMatchObject({ status: 'confirmed' });
      const res = await cluster.api('PATCH', `/v1/contacts/${contacts.helga}`, a.apiKey, { email: 'Helga.Ny@example.com' });
      expect(res.status).toBe(200);
      expect(await addressStatus(a.apiKey, 'helga.ny@example.com')).toEqual({
        address: 'helga.ny@example.com',
        status: 'unconfirmed',
        problem: null,
        problemSource: null,
        confirmationRequestedAt: null,
        confirmedAt: null,
      });
      // No contact has the old address any more, so it is not listed.
      expect(await addressStatus(a.apiKey, 'helga@example.com')).toBeNull();
    });

    it('requireConfirmedEmail is a tenant setting, off by default', async () => {
      expect((await cluster.api('GET', '/v1/settings', a.apiKey)).body.requireConfirmedEmail).toBe(false);
      const on = await cluster.api('PATCH', '/v1/settings', a.apiKey, { requireConfirmedEmail: true });
      expect(on.status).toBe(200);
      expect(on.body.requireConfirmedEmail).toBe(true);
      expect((await cluster.api('GET', '/v1/settings', b.apiKey)).body.requireConfirmedEmail).toBe(false);
      expect((await cluster.api('PATCH', '/v1/settings', a.apiKey, { requireConfirmedEmail: 'yes' })).status).toBe(400);
      expect((await cluster.api('PATCH', '/v1/settings', a.apiKey, { requireConfirmedEmail: false })).body.requireConfirmedEmail).toBe(false);
    });
  });

  describe('accessibility (axe-core, JavaScript on)', () => {
    let news: string;
    let request: string;

    beforeAll(async () => {
      news = await sendEmail(a.apiKey, { addressBookId: bookA });
      const res = await cluster.api('POST', '/v1/email/confirmation-requests', a.apiKey, {});
      expect(res.status).toBe(202);
      request = res.body.id;
      await delivered(a.apiKey, request);
    }, 90_000);

    /** Serious and critical axe violations of the page as it is now. */
    async function axe(page: Page): Promise<{ id: string; impact: string; nodes: number }[]> {
      await page.evaluate(AXE);
      const result = await page.evaluate(() => (globalThis as any).axe.run((globalThis as any).document, { resultTypes: ['violations'] }));
      return (result.violations as { id: string; impact: string; nodes: unknown[] }[])
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length }));
    }

    it.each([
      ['sv', 'eva@example.com', 'david@example.com'],
      ['en', 'cecilia@example.com', 'cecilia@example.com'],
    ])('finds nothing serious or critical on each page in %s; styles apply under the CSP and focus is visible', async (lang, reader, confirmer) => {
      const url = `${await unsubscribeUrl(news, reader)}?lang=${lang}`;
      const confirmId = await messageId(request, confirmer);
      await mailOf(confirmId);
      const context = await browser.newContext({ javaScriptEnabled: true, locale: lang === 'sv' ? 'sv-SE' : 'en-US' });
      const page = await context.newPage();
      const seen: string[] = [];
      const check = async () => {
        seen.push((await page.locator('h1').innerText()).trim());
        expect(await axe(page)).toEqual([]);
      };
      const submit = async () => {
        await page.locator('button').click();
        await page.waitForLoadState();
      };
      try {
        await page.goto(url);
        await check();
        // The inline style is allowed by its hash: the button is styled, and keyboard focus shows a ring.
        const button = page.locator('button');
        expect(await button.evaluate((el: any) => (globalThis as any).getComputedStyle(el).backgroundColor)).toBe('rgb(11, 79, 156)');
        await page.keyboard.press('Tab');
        await page.keyboard.press('Tab');
        expect(await button.evaluate((el: any) => el === (globalThis as any).document.activeElement && (globalThis as any).getComputedStyle(el).outlineStyle)).toBe('solid');
        await submit();
        await check();
        await submit();
        await check();
        await page.goto(`${sibling(url.split('?')[0], 'r')}?lang=${lang}`);
        await check();
        await page.goto(`${linkUrl(cluster.env.PUBLIC_BASE_URL, cluster.env.LINK_SECRET, 'confirm', confirmId)}?lang=${lang}`);
        await check();
        await submit();
        await check();
        await page.goto(`${cluster.env.PUBLIC_BASE_URL}/u/forged.token?lang=${lang}`);
        await check();
      } finally {
        await context.close();
      }
      expect(seen).toEqual(
        lang === 'sv'
          ? ['Avsluta prenumerationen', 'Du har avslutat prenumerationen', 'Du prenumererar', 'Du prenumererar', 'Bekräfta din e-postadress', 'Adressen är bekräftad', 'Länken fungerar inte']
          : ['Unsubscribe', 'You are unsubscribed', 'You are subscribed', 'You are subscribed', 'Confirm your e-mail address', 'Address confirmed', 'This link does not work'],
      );
    });
  });
});
