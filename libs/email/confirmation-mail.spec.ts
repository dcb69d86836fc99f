import { parseTemplate } from '@utskick/sms';
import { CONFIRM_URL_PLACEHOLDER, confirmationMail } from './confirmation-mail';

describe('confirmationMail', () => {
  it.each([
    ['sv', 'Bekräfta din e-postadress för Skolan', 'Skolan vill skicka e-post till dig'],
    ['en', 'Confirm your e-mail address for Skolan', 'Skolan would like to send e-mail to you'],
    ['fr', 'Confirmez votre adresse e-mail pour Skolan', 'Skolan souhaite vous envoyer des e-mails'],
    ['de', 'Confirm your e-mail address for Skolan', 'Skolan would like to send e-mail to you'],
  ])('writes the %s request with the confirm link in both parts', (locale, subject, line) => {
    const mail = confirmationMail(locale, 'Skolan');
    expect(mail.subject).toBe(subject);
    expect(mail.text).toContain(line);
    expect(mail.text.split('\n')).toContain(CONFIRM_URL_PLACEHOLDER);
    expect(mail.html).toContain(`<a href="${CONFIRM_URL_PLACEHOLDER}">`);
  });

  it.each([
    ['a percent sign', '100% Musik', '100%% Musik', '100%% Musik'],
    ['a placeholder', '%CONFIRM_URL%', '%%CONFIRM_URL%%', '%%CONFIRM_URL%%'],
    ['markup', '<b>Klubb</b> & "vänner"', '<b>Klubb</b> & "vänner"', '&lt;b&gt;Klubb&lt;/b&gt; &amp; &quot;vänner&quot;'],
    ['a replacement pattern', "$& $' Klubb", "$& $' Klubb", "$&amp; $' Klubb"],
    ['a line break', 'Klubb\r\nBcc: x@evil', 'Klubb Bcc: x@evil', 'Klubb Bcc: x@evil'],
  ])('writes a tenant name with %s as literal text', (_name, tenant, inText, inHtml) => {
    const mail = confirmationMail('en', tenant);
    expect(mail.subject).toBe(`Confirm your e-mail address for ${inText}`);
    expect(mail.text).toContain(`${inText} would like`);
    expect(mail.html).toContain(`${inHtml} would like`);
    // One placeholder per part, whatever the name holds.
    const parsed = parseTemplate(mail.text, ['CONFIRM_URL']);
    expect(parsed.ok && parsed.template.placeholders).toEqual(['CONFIRM_URL']);
    expect(parsed.ok && parsed.template.segments.filter((s) => typeof s !== 'string')).toHaveLength(1);
  });
});
