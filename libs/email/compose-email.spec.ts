import { composeEmail, ComposeEmailInput } from './compose-email';

const links = { unsubscribe: 'https://u.test/u/m.sig', resubscribe: 'https://u.test/r/m.sig' };

function compose(over: { marketing?: boolean; subjectPrefix?: string } = {}) {
  const input: ComposeEmailInput = {
    messageId: '01a2074a-1437-7b2b-ad15-9ab19afab6f8',
    to: 'bo@example.com',
    mail: { tenantId: 't', content: { subject: 'Hej %FIRST_NAME%', text: 'Hej', sender: { name: 'Anna', office: 'HQ', replyTo: 'anna@x.se' } }, layout: null, marketing: over.marketing ?? true },
    contact: { firstName: 'Bo', lastName: null },
    identity: { tenantName: 'Föreningen', locale: 'en', domain: null },
    links,
    defaultFrom: 'Utskick <noreply@utskick.test>',
    verp: { secret: 's'.repeat(20), domain: 'b.test' },
    subjectPrefix: over.subjectPrefix,
  };
  return composeEmail(input);
}

describe('composeEmail', () => {
  it.each([
    ['marketing mail carries the one-click header and the footer links', true, true],
    ['transactional mail carries neither', false, false],
  ])('%s', (_name, marketing, hasLinks) => {
    const { rendered, message } = compose({ marketing });
    expect(message.list).toEqual(hasLinks ? { unsubscribe: links.unsubscribe } : undefined);
    expect((message.headers as Record<string, string>)['List-Unsubscribe-Post']).toBe(hasLinks ? 'List-Unsubscribe=One-Click' : undefined);
    expect(rendered.text.includes(links.unsubscribe)).toBe(hasLinks);
    expect(rendered.html.includes(links.resubscribe)).toBe(hasLinks);
    expect(rendered.text).toContain('Sent by Anna, HQ (Föreningen).');
  });

  it('puts a prefix before the rendered subject (a test send)', () => {
    expect(compose({ subjectPrefix: '[TEST] ' }).message.subject).toBe('[TEST] Hej Bo');
  });
});
