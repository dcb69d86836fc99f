import { parseVerpAddress } from '@utskick/providers';
import { authenticate } from 'mailauth';
import { simpleParser } from 'mailparser';
import nodemailer from 'nodemailer';
import { buildMessage, BuildMessageInput, formatMailbox, isPlainAddress, parseMailbox, UnsendableEmailError } from './build-message';
import { dnsRecords, generateDkimKey } from './dkim-keys';
import { renderEmail } from './render-email';

const messageId = '01a2074a-1437-7b2b-ad15-9ab19afab6f8';
const verp = { secret: 'v'.repeat(20), domain: 'bounces.utskick.test' };
const unsubscribeUrl = `https://public.utskick.test/u/${messageId}.sig`;
const key = generateDkimKey();
const domain = { domain: 'forening.se', selector: 'utskick202606', privateKey: key.privateKey };
const sender = { name: 'Anna Berg', office: 'Göteborg', replyTo: 'anna.berg@forening.se' };

function input(over: Partial<BuildMessageInput> = {}): BuildMessageInput {
  return {
    messageId,
    to: 'bo@example.com',
    rendered: { subject: 'Hej', text: 'Hej Bo', html: '<p>Hej Bo</p>' },
    sender,
    domain,
    defaultFrom: 'Utskick <noreply@utskick.test>',
    unsubscribeUrl,
    verp,
    ...over,
  };
}

/** The raw RFC 5322 text nodemailer would put on the wire (DKIM signed when asked). */
async function raw(i: BuildMessageInput): Promise<{ raw: string; envelope: { from: string; to: string[] } }> {
  const info = await nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' }).sendMail(buildMessage(i));
  return { raw: (info.message as Buffer).toString('utf8'), envelope: info.envelope as { from: string; to: string[] } };
}

/** Raw header fields of that name as they are on the wire, each unfolded onto one line. */
function headerLines(message: string, name: string): string[] {
  const head = message.slice(0, message.indexOf('\r\n\r\n'));
  return head
    .split(/\r\n(?![ \t])/)
    .filter((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`))
    .map((l) => l.replace(/\r\n[ \t]+/g, ' '));
}

/** A resolver answering only the records the API tells the tenant to publish: no real DNS. */
function resolverFor(records: { name: string; value: string }[]) {
  return async (name: string, rr: string) => {
    const r = records.find((x) => x.name.toLowerCase() === name.toLowerCase());
    if (!r || rr !== 'TXT') throw Object.assign(new Error(`${name} ${rr}: not found`), { code: 'ENOTFOUND' });
    // A TXT answer as DNS gives it: strings of at most 255 characters.
    return [r.value.match(/.{1,255}/g)!];
  };
}

async function dkim(message: string, records = dnsRecords(domain.domain, domain.selector, key.publicKey, '_spf.utskick.test')) {
  const res = await authenticate(message, { ip: '127.0.0.1', helo: 'mta.test', sender: 'bounces@bounces.utskick.test', mta: 'mx.test', resolver: resolverFor(records) } as never);
  return res.dkim.results as unknown as { status: { result: string }; signingDomain: string; signingHeaders: { keys: string } }[];
}

describe('buildMessage', () => {
  it('marketing mail has exactly one List-Unsubscribe with the one-click URL and the One-Click post header', async () => {
    const { raw: message } = await raw(input());
    expect(headerLines(message, 'List-Unsubscribe')).toEqual([`List-Unsubscribe: <${unsubscribeUrl}>`]);
    expect(headerLines(message, 'List-Unsubscribe-Post')).toEqual(['List-Unsubscribe-Post: List-Unsubscribe=One-Click']);
    const parsed = await simpleParser(message);
    // mailparser gathers List-* headers under `list`.
    expect(parsed.headers.get('list')).toEqual({ unsubscribe: { url: unsubscribeUrl }, 'unsubscribe-post': { name: 'List-Unsubscribe=One-Click' } });
  });

  it('transactional mail has neither list header', async () => {
    const { raw: message } = await raw(input({ unsubscribeUrl: null }));
    expect(headerLines(message, 'List-Unsubscribe')).toEqual([]);
    expect(headerLines(message, 'List-Unsubscribe-Post')).toEqual([]);
  });

  it('From is on the tenant domain with name and office; Reply-To is the sender; our id in the header and the VERP envelope', async () => {
    const { raw: message, envelope } = await raw(input({ fromLocalPart: 'info' }));
    const parsed = await simpleParser(message);
    expect(parsed.from?.value).toEqual([{ name: 'Anna Berg (Göteborg)', address: 'info@forening.se' }]);
    expect(parsed.replyTo?.value).toEqual([{ name: 'Anna Berg', address: 'anna.berg@forening.se' }]);
    expect(parsed.headers.get('x-utskick-message-id')).toBe(messageId);
    expect(parseVerpAddress(verp.secret, envelope.from)).toBe(messageId);
    expect(envelope.to).toEqual(['bo@example.com']);
  });

  it("without a sending domain, From is EMAIL_FROM's address with the sender's name; no DKIM", async () => {
    const { raw: message } = await raw(input({ domain: null }));
    expect((await simpleParser(message)).from?.value).toEqual([{ name: 'Anna Berg (Göteborg)', address: 'noreply@utskick.test' }]);
    expect(headerLines(message, 'DKIM-Signature')).toEqual([]);
    const noSender = await simpleParser((await raw(input({ domain: null, sender: null }))).raw);
    expect(noSender.from?.value).toEqual([{ name: 'Utskick', address: 'noreply@utskick.test' }]);
    expect(noSender.replyTo).toBeUndefined();
  });

  it('a subject with "\\r\\nBcc: x@evil" yields no Bcc header and one recipient', async () => {
    const evil = '\r\nBcc: x@evil.test';
    const { raw: message, envelope } = await raw(
      input({
        rendered: { subject: `Hej${evil}`, text: 'x', html: '<p>x</p>' },
        sender: { name: `Anna${evil}`, office: `Kontor${evil}`, replyTo: 'anna@forening.se' },
        fromLocalPart: `info${evil}`,
      }),
    );
    expect(headerLines(message, 'Bcc')).toEqual([]);
    const parsed = await simpleParser(message);
    expect(parsed.bcc).toBeUndefined();
    expect(parsed.headers.has('bcc')).toBe(false);
    expect(parsed.subject).toBe('Hej Bcc: x@evil.test');
    expect(envelope.to).toEqual(['bo@example.com']);
    expect(parsed.from?.value[0].address).toBe('noreply@forening.se');
  });

  it.each([
    ['recipient', { to: 'bo@example.com\r\nBcc: x@evil.test' }],
    ['recipient list', { to: 'bo@example.com, x@evil.test' }],
    ['reply address', { sender: { ...sender, replyTo: 'anna@forening.se\r\nBcc: x@evil.test' } }],
  ])('refuses to build with a %s that is not one plain address', (_name, over) => {
    expect(() => buildMessage(input(over))).toThrow(UnsendableEmailError);
  });

  it.each([
    ['Swedish', 'Hej Åsa! Välkommen till årsmötet – ö, ä, å'],
    ['long with quotes and specials', `"Citat" (parentes) <vinkel> ${'långt ämne '.repeat(12)}`],
    ['an encoded-word lookalike stays text', '=?UTF-8?B?SGVq?= är inte kodat'],
  ])('an RFC 2047 encoded %s subject decodes back', async (_name, subject) => {
    const { raw: message } = await raw(input({ rendered: { subject, text: 'x', html: '<p>x</p>' } }));
    const subjectLine = message.slice(message.indexOf('\r\nSubject:') + 2).split(/\r\n(?! )/)[0];
    expect(subjectLine).toMatch(/=\?UTF-8\?[QB]\?/);
    expect(/[^\x00-\x7f]/.test(subjectLine)).toBe(false);
    expect((await simpleParser(message)).subject).toBe(subject);
  });

  it('is DKIM signed for the tenant domain, verifies against the published record, and covers both list headers', async () => {
    const rendered = renderEmail({
      content: { subject: 'Hej %FIRST_NAME% – åäö', text: 'Hej %NAME%', sender },
      contact: { firstName: 'Åsa', lastName: '<b>' },
      links: { unsubscribe: unsubscribeUrl, resubscribe: unsubscribeUrl.replace('/u/', '/r/') },
    });
    const { raw: message } = await raw(input({ rendered }));
    const [result, ...more] = await dkim(message);
    expect(more).toEqual([]);
    expect(result.status.result).toBe('pass');
    expect(result.signingDomain).toBe('forening.se');
    const signed = result.signingHeaders.keys.toLowerCase().split(/:\s*/);
    expect(signed).toEqual(expect.arrayContaining(['from', 'subject', 'reply-to', 'list-unsubscribe', 'list-unsubscribe-post']));
  });

  it('a DKIM signature fails against another key and when a signed header is changed', async () => {
    const { raw: message } = await raw(input());
    const other = generateDkimKey();
    expect((await dkim(message, dnsRecords(domain.domain, domain.selector, other.publicKey, '_spf.test')))[0].status.result).toBe('fail');
    const tampered = message.replace(`<${unsubscribeUrl}>`, '<https://evil.test/u/x>');
    expect((await dkim(tampered))[0].status.result).toBe('fail');
  });
});

describe('mailboxes', () => {
  it.each([
    ['Utskick <noreply@utskick.test>', { name: 'Utskick', address: 'noreply@utskick.test' }],
    ['"Utskick AB" <noreply@utskick.test>', { name: 'Utskick AB', address: 'noreply@utskick.test' }],
    ['noreply@utskick.test', { name: '', address: 'noreply@utskick.test' }],
    ['<noreply@utskick.test>', { name: '', address: 'noreply@utskick.test' }],
  ])('parseMailbox(%j)', (value, mailbox) => expect(parseMailbox(value)).toEqual(mailbox));

  it.each([
    [{ name: 'Anna Berg', address: 'a@b.se' }, 'Anna Berg <a@b.se>'],
    [{ name: 'Anna (Göteborg)', address: 'a@b.se' }, '"Anna (Göteborg)" <a@b.se>'],
    [{ name: 'Say "hi"', address: 'a@b.se' }, '"Say \\"hi\\"" <a@b.se>'],
    [{ name: '', address: 'a@b.se' }, 'a@b.se'],
  ])('formatMailbox(%j)', (m, out) => expect(formatMailbox(m)).toBe(out));

  it.each([
    [' Bo@Example.com ', true],
    ['åsa@exämple.se', true],
    ['nobody at example', false],
    ['a@example.com, b@example.com', false],
    ['Bo <bo@example.com>', false],
    ['bo@example.com\r\nBcc: x@evil.test', false],
    ['', false],
  ])('isPlainAddress(%j) is %s, as buildMessage decides', (value, plain) => {
    expect(isPlainAddress(value)).toBe(plain);
    const build = () => buildMessage(input({ to: value }));
    if (plain) expect(build).not.toThrow();
    else expect(build).toThrow(UnsendableEmailError);
  });
});
