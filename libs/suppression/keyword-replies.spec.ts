import { confirmationText, helpText } from './keyword-replies';

describe('keyword replies', () => {
  it.each([
    ['stop', 'sv', 'Du är avregistrerad och får inga fler SMS härifrån. Svara START för att ångra.'],
    ['stop', 'en', 'You are unsubscribed and will get no more SMS from here. Reply START to undo.'],
    ['stop', 'fr', 'Vous êtes désinscrit et ne recevrez plus de SMS de notre part. Répondez START pour annuler.'],
    ['start', 'sv', 'Du är registrerad igen och kan få SMS härifrån. Svara STOPP för att avsluta.'],
    ['start', 'xx', 'Du är registrerad igen och kan få SMS härifrån. Svara STOPP för att avsluta.'],
  ] as const)('%s in %s', (action, locale, text) => {
    expect(confirmationText(action, locale)).toBe(text);
  });

  it.each([
    ['Ring skolan på 08-123 45 67.', 'sv', null, 'Ring skolan på 08-123 45 67.'],
    [null, 'sv', null, 'Svara STOPP för att inte få fler SMS härifrån, START för att få dem igen.'],
    ['  ', 'en', null, 'Reply STOP to get no more SMS from here, START to get them again.'],
    [null, 'sv', 'SKOLA', 'Svara STOPP eller SKOLA STOPP för att inte få fler SMS härifrån, START för att få dem igen.'],
    [null, 'fr', null, 'Répondez STOP pour ne plus recevoir nos SMS, START pour les recevoir à nouveau.'],
  ])('help text %j (%s, keyword %j)', (own, locale, keyword, text) => {
    expect(helpText(own, locale, keyword)).toBe(text);
  });
});
