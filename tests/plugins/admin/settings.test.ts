// A plugin's settings page: a form generated from its schema, validated by the core,
// re-rendered with the admin's input and per-field messages when refused.
import { decode, eachAdminApp, postForm } from './support';

/** The markup of one setting's `.field` block. */
function fieldOf(html: string, key: string): string {
  const blocks = html.split('<div class="field');
  return decode(blocks.find((b) => b.includes(`name="setting-${key}"`)) ?? '');
}

const URL = '/admin/plugins/alpha/settings';

eachAdminApp('the form has one control per setting, with current values and hints', async (t, app) => {
  const admin = await app.admin();
  const res = await admin.http.get(URL);
  t.is(res.status, 200, 'settings can be edited while the plugin is disabled');
  t.regex(res.text, /<h1 id="admin-title">Alpha settings<\/h1>/);
  t.regex(res.text, /action="\/admin\/plugins\/alpha\/settings"/);
  t.regex(res.text, /name="_csrf"/);
  t.regex(fieldOf(res.text, 'title'), /<label class="field__label" for="field-setting-title">Title<\/label>/);
  t.regex(fieldOf(res.text, 'title'), /type="text" value="Hello" maxlength="20"/);
  t.regex(fieldOf(res.text, 'title'), /At most 20 characters\. Default: Hello\./);
  t.regex(fieldOf(res.text, 'intro'), /<textarea id="field-setting-intro" name="setting-intro"/);
  t.regex(fieldOf(res.text, 'limit'), /inputmode="decimal" value="5"/);
  t.regex(fieldOf(res.text, 'limit'), /From 1 to 10\. Default: 5\./);
  t.regex(fieldOf(res.text, 'featured'), /type="checkbox" value="true" checked/);
  t.regex(fieldOf(res.text, 'layout'), /<option value="list" selected>list<\/option><option value="grid">grid<\/option>/);
});

eachAdminApp('invalid settings re-render with 422, messages per field and the input kept', async (t, app) => {
  const rt = app.app.ruche;
  const admin = await app.admin();
  const long = 'x'.repeat(25);
  const res = await postForm(
    admin,
    URL,
    { 'setting-title': long, 'setting-intro': 'Kept <intro>', 'setting-limit': 'abc', 'setting-layout': 'grid' },
    URL,
  );
  t.is(res.status, 422);
  t.regex(res.text, /alert-error" role="alert">Some fields need your attention/);
  const title = fieldOf(res.text, 'title');
  t.regex(title, /field--invalid/);
  t.regex(title, new RegExp(`value="${long}"`));
  t.regex(title, /aria-invalid="true" aria-describedby="field-setting-title-error field-setting-title-hint"/);
  t.regex(title, /<p class="field__error" id="field-setting-title-error">At most 20 characters\.<\/p>/);
  t.regex(res.text, /name="setting-intro"[^>]*>Kept &lt;intro&gt;<\/textarea>/, 'text kept and escaped');
  t.regex(fieldOf(res.text, 'limit'), /value="abc"/);
  t.regex(fieldOf(res.text, 'limit'), /Enter a number\./);
  t.regex(fieldOf(res.text, 'layout'), /<option value="grid" selected>/);
  t.notRegex(fieldOf(res.text, 'featured'), /checked/, 'the unticked box stays unticked');
  t.notRegex(fieldOf(res.text, 'featured'), /field__error/);
  t.deepEqual(rt.pluginState.settings('alpha'), { title: 'Hello', intro: '', limit: 5, featured: true, layout: 'list' }, 'nothing saved');

  const more = await postForm(admin, URL, { 'setting-limit': '2.5', 'setting-layout': 'tiles' }, URL);
  t.is(more.status, 422);
  t.regex(fieldOf(more.text, 'limit'), /Enter a whole number\./);
  t.regex(fieldOf(more.text, 'layout'), /Choose one of: list, grid\./);
  const big = await postForm(admin, URL, { 'setting-limit': '11' }, URL);
  t.regex(fieldOf(big.text, 'limit'), /Enter 10 or less\./);
  const array = await postForm(admin, URL, { 'setting-title': ['a', 'b'] }, URL);
  t.is(array.status, 422, 'a repeated field is a validation error, not a 500');
  t.regex(fieldOf(array.text, 'title'), /Enter some text\./);
});

eachAdminApp('valid settings are saved, confirmed and shown on the next page', async (t, app) => {
  const rt = app.app.ruche;
  const admin = await app.admin();
  const res = await postForm(
    admin,
    URL,
    {
      'setting-title': '  <b>Hi</b> ',
      'setting-intro': 'Line one\nLine two',
      'setting-limit': '7',
      'setting-layout': 'grid',
    },
    URL,
  );
  t.is(res.status, 303);
  t.is(res.headers.location, URL);
  t.deepEqual(rt.pluginState.settings('alpha'), { title: '<b>Hi</b>', intro: 'Line one\nLine two', limit: 7, featured: false, layout: 'grid' });
  const page = await admin.http.get(URL);
  t.regex(page.text, /alert-success[^>]*>The settings of Alpha are saved\./);
  t.regex(fieldOf(page.text, 'title'), /value="<b>Hi<\/b>"/);
  t.regex(page.text, /value="&lt;b&gt;Hi&lt;\/b&gt;"/, 'escaped in the markup');
  t.regex(fieldOf(page.text, 'limit'), /value="7"/);
  t.notRegex(fieldOf(page.text, 'featured'), /checked/);

  const ticked = await postForm(admin, URL, { 'setting-featured': 'true' }, URL);
  t.is(ticked.status, 303);
  t.true(rt.pluginState.settings('alpha').featured);
  t.is(rt.pluginState.settings('alpha').limit, 7, 'fields not sent keep their values');
});

eachAdminApp('a plugin without settings says so; French labels and messages', async (t, app) => {
  const admin = await app.admin();
  const none = await admin.http.get('/admin/plugins/beta/settings');
  t.is(none.status, 200);
  t.regex(none.text, /This plugin has no settings\./);
  t.notRegex(none.text, /<form method="post" action="\/admin\/plugins\/beta\/settings"/);

  await postForm(admin, '/locale', { locale: 'fr', next: URL });
  const page = await admin.http.get(URL);
  t.regex(page.text, /<h1 id="admin-title">Réglages de l’extension Alpha<\/h1>/);
  t.regex(decode(page.text), /De 1 à 10\. Par défaut : 5\./);
  t.regex(page.text, /Enregistrer les réglages/);
  const res = await postForm(admin, URL, { 'setting-limit': 'beaucoup' }, URL);
  t.is(res.status, 422);
  t.regex(decode(res.text), /Certains champs demandent votre attention/);
  t.regex(fieldOf(res.text, 'limit'), /Saisissez un nombre\./);
});
