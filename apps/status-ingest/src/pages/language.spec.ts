import { pageLanguage } from './language';

describe('pageLanguage', () => {
  it.each([
    ['the switch link wins', 'en', 'sv-SE,sv;q=0.9', 'sv', 'en'],
    ['the switch link in Swedish', 'sv', 'en-GB', 'en', 'sv'],
    ['an unknown ?lang= is ignored', 'de', 'en-US,en;q=0.9', 'sv', 'en'],
    ['a repeated ?lang= is ignored', ['sv', 'en'], 'en', 'sv', 'en'],
    ['Swedish browser', undefined, 'sv-SE,sv;q=0.9,en-US;q=0.8,en;q=0.7', 'en', 'sv'],
    ['English browser', undefined, 'en-US,en;q=0.9', 'sv', 'en'],
    ['the higher weight wins over order', undefined, 'en;q=0.5, sv;q=0.8', 'en', 'sv'],
    ['the first wins a tie', undefined, 'en, sv', 'sv', 'en'],
    ['a language we lack is skipped', undefined, 'de-DE,de;q=0.9,en;q=0.4', 'sv', 'en'],
    ['q=0 means not acceptable', undefined, 'sv;q=0, en;q=0.1', 'sv', 'en'],
    ['a malformed weight counts as not acceptable', undefined, 'en;q=abc, sv;q=0.2', 'en', 'sv'],
    ['case does not matter', undefined, 'EN-gb', 'sv', 'en'],
    ['nothing usable: the tenant language', undefined, 'de, fr', 'en', 'en'],
    ['a French tenant: English pages', undefined, 'fr-FR', 'fr', 'en'],
    ['a Swedish tenant', undefined, undefined, 'sv', 'sv'],
    ['no tenant (a dead link): Swedish', undefined, '', undefined, 'sv'],
  ])('%s', (_name, query, accept, tenant, expected) => {
    expect(pageLanguage(query, accept, tenant)).toBe(expected);
  });
});
