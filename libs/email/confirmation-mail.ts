/** The placeholder a confirmation request's text carries; the worker fills in the confirm link of each message. */
export const CONFIRM_URL_PLACEHOLDER = '%CONFIRM_URL%';

/** Marks a campaign's e-mail content as a double opt-in request (content.email.kind). */
export const CONFIRMATION_KIND = 'confirmation';

export interface ConfirmationMail {
  campaignName: string;
  subject: string;
  text: string;
  html: string;
}

type Words = { campaignName: string; subject: string; hello: string; asks: string; action: string; button: string; ignore: string };

const WORDS: Record<'sv' | 'en' | 'fr', Words> = {
  sv: {
    campaignName: 'Bekräftelse av e-postadresser',
    subject: 'Bekräfta din e-postadress för {tenant}',
    hello: 'Hej!',
    asks: '{tenant} vill skicka e-post till dig på den här adressen.',
    action: 'Bekräfta att adressen är din och att du vill få deras utskick: öppna länken och tryck på knappen.',
    button: 'Bekräfta e-postadressen',
    ignore: 'Vill du inte ha e-post från {tenant} kan du strunta i det här brevet.',
  },
  en: {
    campaignName: 'E-mail address confirmation',
    subject: 'Confirm your e-mail address for {tenant}',
    hello: 'Hello,',
    asks: '{tenant} would like to send e-mail to you at this address.',
    action: 'Please confirm that the address is yours and that you want their mail: open the link and press the button.',
    button: 'Confirm e-mail address',
    ignore: 'If you do not want e-mail from {tenant}, you can ignore this message.',
  },
  fr: {
    campaignName: 'Confirmation des adresses e-mail',
    subject: 'Confirmez votre adresse e-mail pour {tenant}',
    hello: 'Bonjour,',
    asks: '{tenant} souhaite vous envoyer des e-mails à cette adresse.',
    action: 'Confirmez que cette adresse est la vôtre et que vous souhaitez recevoir ses envois : ouvrez le lien et appuyez sur le bouton.',
    button: "Confirmer l'adresse e-mail",
    ignore: "Si vous ne souhaitez pas recevoir d'e-mails de {tenant}, ignorez ce message.",
  },
};

const html = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * The double opt-in request in the tenant's language, as campaign content: subject, text and HTML
 * with %CONFIRM_URL%. The tenant's name is the tenant's own text, so its `%` is written `%%`
 * (no placeholder can be smuggled in through it) and it is escaped in the HTML part.
 */
export function confirmationMail(locale: string, tenantName: string): ConfirmationMail {
  const w = WORDS[locale as keyof typeof WORDS] ?? WORDS.en;
  const name = tenantName.replace(/[\r\n]+/g, ' ').trim().replace(/%/g, '%%');
  const fill = (s: string, escape: (v: string) => string = (v) => v) => s.replace('{tenant}', () => escape(name));
  return {
    campaignName: w.campaignName,
    subject: fill(w.subject),
    text: [w.hello, '', fill(w.asks), fill(w.action), '', CONFIRM_URL_PLACEHOLDER, '', fill(w.ignore), ''].join('\n'),
    html: [
      `<p>${html(w.hello)}</p>`,
      `<p>${fill(html(w.asks), html)} ${html(w.action)}</p>`,
      `<p><a href="${CONFIRM_URL_PLACEHOLDER}">${html(w.button)}</a></p>`,
      `<p>${fill(html(w.ignore), html)}</p>`,
    ].join('\n'),
  };
}
