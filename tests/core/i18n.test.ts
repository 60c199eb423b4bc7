/** Translations: plurals, interpolation, dates, Accept-Language, and complete core catalogs. */
import test from 'ava';
import { I18n } from '../../core/i18n/i18n';
import { frenchElidesBefore } from '../../core/i18n/elision';
import { freshDatabase } from '../helpers/databases';
import { makeApp } from '../helpers/app';

function catalogs(): I18n {
  const i18n = new I18n();
  i18n.add(
    'en',
    {
      t: {
        items: { zero: 'No items', one: '{count} item', other: '{count} items' },
        apples: { one: 'one apple', other: '{count} apples' },
        hello: 'Hello {name}, you have {n} points',
        only: 'English only',
      },
    },
    'test en',
  );
  i18n.add(
    'fr',
    {
      t: {
        items: { one: '{count} élément', other: '{count} éléments' },
        apples: { one: 'une pomme', other: '{count} pommes' },
        hello: 'Bonjour {name}, vous avez {n} points',
      },
    },
    'test fr',
  );
  return i18n;
}

test('plural forms follow each language: French counts 0 and 1 as one, English only 1', (t) => {
  const i18n = catalogs();
  t.is(i18n.t('en', 't.apples', { count: 0 }), '0 apples');
  t.is(i18n.t('en', 't.apples', { count: 1 }), 'one apple');
  t.is(i18n.t('en', 't.apples', { count: 2 }), '2 apples');
  t.is(i18n.t('fr', 't.apples', { count: 0 }), 'une pomme');
  t.is(i18n.t('fr', 't.apples', { count: 1 }), 'une pomme');
  t.is(i18n.t('fr', 't.apples', { count: 1.5 }), 'une pomme');
  t.is(i18n.t('fr', 't.apples', { count: 2 }), '2 pommes');
  t.is(i18n.t('en', 't.items', { count: 0 }), 'No items', 'an explicit zero wins');
  t.is(i18n.t('fr', 't.items', { count: 0 }), '0 élément', 'no zero form in French: the plural rule applies');
  t.is(i18n.t('en', 't.items', { count: '3' }), '3 items', 'numeric strings count too');
});

test('interpolation fills named placeholders and formats numbers for the language', (t) => {
  const i18n = catalogs();
  t.is(i18n.t('en', 't.hello', { name: 'Ada', n: 1234.5 }), 'Hello Ada, you have 1,234.5 points');
  t.is(i18n.t('fr', 't.hello', { name: 'Ada', n: 1234.5 }).replace(/\s/g, ' '), 'Bonjour Ada, vous avez 1 234,5 points');
  t.is(i18n.t('en', 't.hello', { name: 'Ada' }), 'Hello Ada, you have {n} points', 'a missing param stays visible');
  t.is(i18n.t('en', 't.items', { count: 12000 }), '12,000 items');
});

test('missing translations fall back to English, then to the key', (t) => {
  const i18n = catalogs();
  t.is(i18n.t('fr', 't.only'), 'English only');
  t.is(i18n.t('fr', 't.nothing'), 't.nothing');
  t.is(i18n.t('de', 't.apples', { count: 2 }), '2 apples', 'an unknown locale reads English');
  t.deepEqual(i18n.missing('en', 'fr'), ['t.only']);
  t.deepEqual(i18n.missing('fr', 'en'), []);
});

test('relative dates are localised', (t) => {
  const i18n = new I18n();
  const now = new Date('2026-03-10T12:00:00Z');
  const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000);
  t.is(i18n.formatRelative('fr', ago(10), now), 'maintenant');
  t.is(i18n.formatRelative('fr', ago(180), now), 'il y a 3 minutes');
  t.is(i18n.formatRelative('fr', ago(2 * 3600), now), 'il y a 2 heures');
  t.is(i18n.formatRelative('fr', ago(86400), now), 'hier');
  t.is(i18n.formatRelative('fr', ago(3 * 86400), now), 'il y a 3 jours');
  t.is(i18n.formatRelative('fr', new Date(now.getTime() + 3600_000), now), 'dans 1 heure');
  t.is(i18n.formatRelative('en', ago(180), now), '3 minutes ago');
  t.is(i18n.formatRelative('en', ago(86400), now), 'yesterday');
  t.is(i18n.formatRelative('fr', ago(30 * 86400), now), '8 février 2026', 'older dates are shown in full');
  t.is(i18n.formatDate('en', now, 'date'), 'March 10, 2026');
});

test('kept date texts answer per locale, style and value, as Intl does', (t) => {
  const i18n = new I18n();
  const now = new Date('2026-03-10T12:00:00Z');
  const dates = Array.from({ length: 50 }, (_, i) => new Date(now.getTime() - i * 37_000_000));
  const fresh = (locale: string, d: Date, style: 'date' | 'datetime' | 'time') =>
    new Intl.DateTimeFormat(
      locale,
      style === 'date' ? { dateStyle: 'long' } : style === 'time' ? { timeStyle: 'short' } : { dateStyle: 'long', timeStyle: 'short' },
    ).format(d);
  for (let round = 0; round < 2; round++)
    for (const locale of ['en', 'fr'])
      for (const style of ['date', 'datetime', 'time'] as const)
        for (const d of dates) t.is(i18n.formatDate(locale, d, style), fresh(locale, d, style));
  // The same distance in another unit or language is another text.
  t.is(i18n.formatRelative('en', new Date(now.getTime() - 2 * 60_000), now), '2 minutes ago');
  t.is(i18n.formatRelative('en', new Date(now.getTime() - 2 * 3600_000), now), '2 hours ago');
  t.is(i18n.formatRelative('fr', new Date(now.getTime() - 2 * 3600_000), now), 'il y a 2 heures');
  t.is(i18n.formatRelative('en', new Date(now.getTime() - 2 * 3600_000), now), '2 hours ago');
});

test('Accept-Language picks the best supported language by quality', (t) => {
  const i18n = new I18n();
  t.is(i18n.fromAcceptLanguage('fr-CH, fr;q=0.9, en;q=0.8'), 'fr');
  t.is(i18n.fromAcceptLanguage('en-US,en;q=0.9,fr;q=0.8'), 'en');
  t.is(i18n.fromAcceptLanguage('de-DE, de;q=0.9, fr;q=0.5, en;q=0.4'), 'fr', 'unsupported languages are skipped');
  t.is(i18n.fromAcceptLanguage('en;q=0.2, fr;q=0.7'), 'fr', 'order in the header does not matter, quality does');
  t.is(i18n.fromAcceptLanguage('fr;q=0, en'), 'en', 'q=0 means not acceptable');
  t.is(i18n.fromAcceptLanguage('FR'), 'fr');
  t.is(i18n.fromAcceptLanguage('de, it'), undefined);
  t.is(i18n.fromAcceptLanguage('*'), undefined);
  t.is(i18n.fromAcceptLanguage(''), undefined);
  t.is(i18n.fromAcceptLanguage(undefined), undefined);
  t.is(i18n.fromAcceptLanguage(';;;,,q=abc'), undefined, 'garbage does not throw');
});

test('the core catalogs are complete: every key exists in English and in French', async (t) => {
  const db = await freshDatabase('sqlite');
  const { app, close } = await makeApp(db);
  try {
    const i18n = app.ruche.i18n;
    t.true(i18n.keys('en').filter((k) => k.startsWith('core.')).length > 50, 'the core catalogs were loaded');
    t.deepEqual(i18n.missing('en', 'fr', 'core.'), [], 'core keys missing in French');
    t.deepEqual(i18n.missing('fr', 'en', 'core.'), [], 'core keys missing in English');
    const untranslated = i18n
      .keys('fr')
      .filter((k) => k.startsWith('core.') && i18n.t('fr', k) === i18n.t('en', k) && /[a-z]{4,} [a-z]{4,}/.test(i18n.t('en', k)));
    t.deepEqual(untranslated, [], 'French sentences identical to English ones were probably not translated');
  } finally {
    await close();
    await db.drop();
  }
});

test('French elides "de" and "que" before a parameter that starts with a vowel (issue 27: "Billets d’Alice")', (t) => {
  const i18n = new I18n();
  i18n.add('fr', { t: { by: 'Billets de {name}', said: 'Il dit que {name} arrive', mode: 'Mode {name}', two: 'De {a} à {b}' } }, 'test fr');
  i18n.add('en', { t: { by: 'Blog posts by {name}' } }, 'test en');
  t.is(i18n.t('fr', 't.by', { name: 'Alice Dupont' }), 'Billets d’Alice Dupont');
  t.is(i18n.t('fr', 't.by', { name: 'Émile' }), 'Billets d’Émile');
  t.is(i18n.t('fr', 't.by', { name: 'Bob' }), 'Billets de Bob');
  t.is(i18n.t('fr', 't.said', { name: 'Yves' }), 'Il dit qu’Yves arrive');
  t.is(i18n.t('fr', 't.mode', { name: 'Anna' }), 'Mode Anna', 'only the word "de", not a word ending in it');
  t.is(i18n.t('fr', 't.two', { a: 'Anna', b: 'Bob' }), 'D’Anna à Bob');
  t.is(i18n.t('fr', 't.by', {}), 'Billets de {name}', 'a missing parameter stays as it was');
  t.is(i18n.t('en', 't.by', { name: 'Alice' }), 'Blog posts by Alice');
});

test('French elides before a mute h but not an aspirated one (issue 27: "d’Hélène", "de Hollande")', (t) => {
  const i18n = new I18n();
  i18n.add('fr', { t: { by: 'Billets de {name}', said: 'Il dit que {name} arrive' } }, 'test fr');
  i18n.add('en', { t: { by: 'Blog posts by {name}' } }, 'test en');
  for (const [name, want] of [
    ['Hélène Roy', 'Billets d’Hélène Roy'],
    ['Hugo', 'Billets d’Hugo'],
    ['henri', 'Billets d’henri'],
    ['Hollande Team', 'Billets de Hollande Team'],
    ['Haute-Savoie', 'Billets de Haute-Savoie'],
    ['Hockey club', 'Billets de Hockey club'],
    ['HR', 'Billets de HR'],
    ['Hmong', 'Billets de Hmong'],
  ])
    t.is(i18n.t('fr', 't.by', { name }), want, name);
  t.is(i18n.t('fr', 't.said', { name: 'Hugo' }), 'Il dit qu’Hugo arrive');
  t.true(frenchElidesBefore('Ève') && frenchElidesBefore('Œdipe') && !frenchElidesBefore('Bob') && !frenchElidesBefore(''));
});
