import type { RecipientLinkState } from '@utskick/suppression';
import type { PageLang } from './language';
import { esc, fill, PageView, renderPage } from './page';

export type RecipientPage =
  | 'unsubscribe'
  | 'unsubscribed'
  | 'resubscribe'
  | 'subscribed'
  | 'confirm'
  | 'confirmed'
  | 'confirm_blocked'
  | 'not_found';

type Scoped = { book: string; tenant: string };

interface Texts {
  name: string;
  nav: string;
  unsubscribe: Scoped & { heading: string; button: string; note: string };
  unsubscribed: Scoped & { heading: string; lead: string; button: string };
  resubscribe: Scoped & { heading: string; button: string };
  subscribed: Scoped & { heading: string; blocked: string; lead: string; button: string };
  confirm: { heading: string; body: string; button: string; note: string };
  confirmed: { heading: string; body: string };
  confirmBlocked: { heading: string; body: string };
  notFound: { heading: string; body: string };
}

const TEXTS: Record<PageLang, Texts> = {
  sv: {
    name: 'Svenska',
    nav: 'Språk',
    unsubscribe: {
      heading: 'Avsluta prenumerationen',
      book: 'Tryck på knappen så slutar {address} att få e-post från den här utskickslistan hos {tenant}.',
      tenant: 'Tryck på knappen så slutar {address} att få massutskick via e-post från {tenant}.',
      button: 'Avsluta prenumerationen',
      note: 'Ingenting ändras förrän du trycker på knappen.',
    },
    unsubscribed: {
      heading: 'Du har avslutat prenumerationen',
      book: '{address} får inte längre e-post från den här utskickslistan hos {tenant}.',
      tenant: '{address} får inte längre massutskick via e-post från {tenant}.',
      lead: 'Ångrade du dig?',
      button: 'Prenumerera igen',
    },
    resubscribe: {
      heading: 'Prenumerera igen',
      book: 'Tryck på knappen så får {address} e-post från den här utskickslistan hos {tenant} igen.',
      tenant: 'Tryck på knappen så får {address} massutskick via e-post från {tenant} igen.',
      button: 'Prenumerera igen',
    },
    subscribed: {
      heading: 'Du prenumererar',
      book: '{address} får e-post från den här utskickslistan hos {tenant}.',
      tenant: '{address} får massutskick via e-post från {tenant}.',
      blocked: 'Observera: utskick till adressen är ändå stoppade av en annan spärr.',
      lead: 'Vill du inte ha fler utskick?',
      button: 'Avsluta prenumerationen',
    },
    confirm: {
      heading: 'Bekräfta din e-postadress',
      body: '{tenant} vill skicka e-post till {address}. Tryck på knappen för att bekräfta att adressen är din och att du vill få deras utskick.',
      button: 'Bekräfta adressen',
      note: 'Vill du inte det behöver du inte göra något.',
    },
    confirmed: { heading: 'Adressen är bekräftad', body: 'Tack! {tenant} kan nu skicka e-post till {address}.' },
    confirmBlocked: {
      heading: 'Adressen kan inte bekräftas',
      body: 'Utskick från {tenant} till {address} är stoppade just nu, så adressen kan inte bekräftas här.',
    },
    notFound: {
      heading: 'Länken fungerar inte',
      body: 'Länken är felaktig eller gäller inte längre. Om du kopierade den: kontrollera att hela länken kom med.',
    },
  },
  en: {
    name: 'English',
    nav: 'Language',
    unsubscribe: {
      heading: 'Unsubscribe',
      book: 'Press the button and {address} will stop getting e-mail from this mailing list of {tenant}.',
      tenant: 'Press the button and {address} will stop getting bulk e-mail from {tenant}.',
      button: 'Unsubscribe',
      note: 'Nothing changes until you press the button.',
    },
    unsubscribed: {
      heading: 'You are unsubscribed',
      book: '{address} will no longer get e-mail from this mailing list of {tenant}.',
      tenant: '{address} will no longer get bulk e-mail from {tenant}.',
      lead: 'Changed your mind?',
      button: 'Subscribe again',
    },
    resubscribe: {
      heading: 'Subscribe again',
      book: 'Press the button and {address} will get e-mail from this mailing list of {tenant} again.',
      tenant: 'Press the button and {address} will get bulk e-mail from {tenant} again.',
      button: 'Subscribe again',
    },
    subscribed: {
      heading: 'You are subscribed',
      book: '{address} gets e-mail from this mailing list of {tenant}.',
      tenant: '{address} gets bulk e-mail from {tenant}.',
      blocked: 'Please note: mail to this address is still stopped by another block.',
      lead: 'Want no more mail?',
      button: 'Unsubscribe',
    },
    confirm: {
      heading: 'Confirm your e-mail address',
      body: '{tenant} would like to send e-mail to {address}. Press the button to confirm that the address is yours and that you want their mail.',
      button: 'Confirm address',
      note: 'If you do not want that, you need not do anything.',
    },
    confirmed: { heading: 'Address confirmed', body: 'Thank you. {tenant} can now send e-mail to {address}.' },
    confirmBlocked: {
      heading: 'The address cannot be confirmed',
      body: 'Mail from {tenant} to {address} is stopped at the moment, so the address cannot be confirmed here.',
    },
    notFound: {
      heading: 'This link does not work',
      body: 'The link is wrong or no longer valid. If you copied it, check that the whole link came along.',
    },
  },
};

/**
 * One recipient page in one language. Forms post to the sibling path of the same token (relative,
 * so a PUBLIC_BASE_URL with a path prefix works) and carry the language, so the answer stays in it.
 */
export function recipientPage(page: RecipientPage, lang: PageLang, state: RecipientLinkState | null, token: string): string {
  const t = TEXTS[lang];
  const otherLang: PageLang = lang === 'sv' ? 'en' : 'sv';
  const base: Omit<PageView, 'heading' | 'paragraphs'> = { lang, other: { lang: otherLang, name: TEXTS[otherLang].name, navLabel: t.nav } };
  const action = (path: 'u' | 'r' | 'c') => `../${path}/${encodeURIComponent(token)}?lang=${lang}`;
  if (page === 'not_found' || !state) {
    return renderPage({ ...base, heading: t.notFound.heading, paragraphs: [esc(t.notFound.body)] });
  }
  const values = { tenant: state.tenantName, address: state.address };
  const scoped = (s: Scoped) => fill(s[state.scope], values);
  switch (page) {
    case 'unsubscribe':
      return renderPage({
        ...base,
        heading: t.unsubscribe.heading,
        paragraphs: [scoped(t.unsubscribe)],
        form: { action: action('u'), button: t.unsubscribe.button },
        note: esc(t.unsubscribe.note),
      });
    case 'unsubscribed':
      return renderPage({
        ...base,
        heading: t.unsubscribed.heading,
        paragraphs: [scoped(t.unsubscribed)],
        form: { action: action('r'), button: t.unsubscribed.button, lead: esc(t.unsubscribed.lead) },
      });
    case 'resubscribe':
      return renderPage({
        ...base,
        heading: t.resubscribe.heading,
        paragraphs: [scoped(t.resubscribe)],
        form: { action: action('r'), button: t.resubscribe.button },
      });
    case 'subscribed':
      return renderPage({
        ...base,
        heading: t.subscribed.heading,
        paragraphs: [scoped(t.subscribed), ...(state.otherwiseBlocked ? [esc(t.subscribed.blocked)] : [])],
        form: { action: action('u'), button: t.subscribed.button, lead: esc(t.subscribed.lead) },
      });
    case 'confirm':
      return renderPage({
        ...base,
        heading: t.confirm.heading,
        paragraphs: [fill(t.confirm.body, values)],
        form: { action: action('c'), button: t.confirm.button },
        note: esc(t.confirm.note),
      });
    case 'confirmed':
      return renderPage({ ...base, heading: t.confirmed.heading, paragraphs: [fill(t.confirmed.body, values)] });
    case 'confirm_blocked':
      return renderPage({ ...base, heading: t.confirmBlocked.heading, paragraphs: [fill(t.confirmBlocked.body, values)] });
  }
}
