export type ReplyLocale = 'sv' | 'en' | 'fr';

const STOPPED: Record<ReplyLocale, string> = {
  sv: 'Du är avregistrerad och får inga fler SMS härifrån. Svara START för att ångra.',
  en: 'You are unsubscribed and will get no more SMS from here. Reply START to undo.',
  fr: 'Vous êtes désinscrit et ne recevrez plus de SMS de notre part. Répondez START pour annuler.',
};

const STARTED: Record<ReplyLocale, string> = {
  sv: 'Du är registrerad igen och kan få SMS härifrån. Svara STOPP för att avsluta.',
  en: 'You are subscribed again and may get SMS from here. Reply STOP to unsubscribe.',
  fr: 'Vous êtes de nouveau inscrit et pouvez recevoir nos SMS. Répondez STOP pour vous désinscrire.',
};

const HELP: Record<ReplyLocale, (stop: string) => string> = {
  sv: (stop) => `Svara ${stop} för att inte få fler SMS härifrån, START för att få dem igen.`,
  en: (stop) => `Reply ${stop} to get no more SMS from here, START to get them again.`,
  fr: (stop) => `Répondez ${stop} pour ne plus recevoir nos SMS, START pour les recevoir à nouveau.`,
};

const STOP_WORD: Record<ReplyLocale, string> = { sv: 'STOPP', en: 'STOP', fr: 'STOP' };

function locale(l: string | null | undefined): ReplyLocale {
  return l === 'en' || l === 'fr' ? l : 'sv';
}

/** The one confirmation a STOP or START gets. */
export function confirmationText(action: 'stop' | 'start', l: string | null | undefined): string {
  return (action === 'stop' ? STOPPED : STARTED)[locale(l)];
}

/** The tenant's own help text, else a default naming how to stop (with the short code's keyword when there is one). */
export function helpText(tenantHelp: string | null | undefined, l: string | null | undefined, keyword?: string | null): string {
  if (tenantHelp?.trim()) return tenantHelp.trim();
  const lc = locale(l);
  const stop = keyword ? `${STOP_WORD[lc]} ${lc === 'sv' ? 'eller' : lc === 'en' ? 'or' : 'ou'} ${keyword} ${STOP_WORD[lc]}` : STOP_WORD[lc];
  return HELP[lc](stop);
}
