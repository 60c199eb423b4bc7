/**
 * The view engine: Handlebars templates compiled once per theme, resolved in a fixed order:
 *   themes/<active>/overrides/<owner>/<name>.hbs → parent themes' overrides →
 *   the plugin's templates/<name>.hbs (or core/views/templates/<name>.hbs for `core/...`).
 * Layouts come from the theme chain (`layouts/<name>.hbs`); theme partials are `theme/<name>`;
 * every template is also a partial under its full name (`{{> core/field}}`).
 */
import fs from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { StartupError } from '../errors';
import type { I18n } from '../i18n/i18n';
import { registerHelpers, type RenderEnv } from './helpers';
import type { Markdown } from './markdown';
import { themeChain, type ThemeInfo } from './themes';
import { FragmentCache, registerFragmentHelper } from '../cache/fragments';
import { compileOneByte, isPlainTextTemplate } from './one-byte';

export interface TemplateOwner {
  /** `core` or a plugin id: the namespace of its templates. */
  id: string;
  /** Folder holding `<name>.hbs` files. */
  dir: string;
  /** Template names it declares (without .hbs). */
  names: string[];
}

type CompileOptions = Parameters<typeof Handlebars.compile>[1];

interface CompiledTheme {
  chain: ThemeInfo[];
  hb: typeof Handlebars;
  templates: Map<string, Handlebars.TemplateDelegate>;
  layouts: Map<string, Handlebars.TemplateDelegate>;
}

export class ViewEngine {
  private readonly compiled = new Map<string, CompiledTheme>();

  constructor(
    private readonly owners: TemplateOwner[],
    readonly themes: Map<string, ThemeInfo>,
    private readonly i18n: I18n,
    private readonly markdown: Markdown,
    /** Rendered fragments (`{{fragment ...}}`, core/cache/fragments.ts); off unless given. */
    readonly fragments: FragmentCache = new FragmentCache({ enabled: false, maxBytes: 0 }, i18n),
  ) {}

  /** Declares an owner's templates (the manifests' `templates` installer), before any theme is compiled. */
  addTemplates(owner: TemplateOwner): void {
    if (this.compiled.size) throw new Error(`templates of ${owner.id} added after compilation`);
    this.owners.push(owner);
  }

  /** Every template name (`owner/name`) known to the app. */
  templateNames(): string[] {
    return this.owners.flatMap((o) => o.names.map((n) => `${o.id}/${n}`));
  }

  /** The file a template name resolves to in a theme, or undefined. */
  resolve(theme: string, fullName: string): string | undefined {
    const slash = fullName.indexOf('/');
    if (slash < 0) return undefined;
    const ownerId = fullName.slice(0, slash);
    const name = fullName.slice(slash + 1);
    for (const t of themeChain(this.themes, theme)) {
      const file = path.join(t.dir, 'overrides', ownerId, `${name}.hbs`);
      if (fs.existsSync(file)) return file;
    }
    const owner = this.owners.find((o) => o.id === ownerId);
    if (!owner || !owner.names.includes(name)) return undefined;
    const file = path.join(owner.dir, `${name}.hbs`);
    return fs.existsSync(file) ? file : undefined;
  }

  /** Compiles every template of a theme (once); throws StartupError naming the file on a syntax error. */
  compile(theme: string): CompiledTheme {
    const cached = this.compiled.get(theme);
    if (cached) return cached;
    const chain = themeChain(this.themes, theme);
    const hb = Handlebars.create();
    compileOneByte(hb);
    registerHelpers(hb, this.i18n, this.markdown);
    registerFragmentHelper(hb, theme, this.fragments);
    const templates = new Map<string, Handlebars.TemplateDelegate>();
    for (const name of this.templateNames()) {
      const file = this.resolve(theme, name);
      if (!file) throw new StartupError('E_TEMPLATE', `template "${name}" is declared but ${this.describeLookup(theme, name)} has no file`);
      const fn = compileFile(hb, file, isPlainTextTemplate(name));
      templates.set(name, fn);
      hb.registerPartial(name, fn);
    }
    const layouts = new Map<string, Handlebars.TemplateDelegate>();
    for (const t of [...chain].reverse()) {
      for (const file of listHbs(path.join(t.dir, 'partials'))) hb.registerPartial(`theme/${file.name}`, compileFile(hb, file.path));
      for (const file of listHbs(path.join(t.dir, 'layouts'))) layouts.set(file.name, compileFile(hb, file.path));
    }
    const result = { chain, hb, templates, layouts };
    this.compiled.set(theme, result);
    return result;
  }

  chain(theme: string): ThemeInfo[] {
    return this.compile(theme).chain;
  }

  /** Renders `view` with `data`, then wraps it in `layout` (unless false) with `layoutData` (default: `data`). */
  render(
    theme: string,
    view: string,
    data: Record<string, unknown>,
    env: RenderEnv,
    layout: string | false = 'main',
    layoutData: Record<string, unknown> = data,
  ): string {
    const compiled = this.compile(theme);
    const template = compiled.templates.get(view);
    if (!template) throw new Error(`unknown template "${view}"`);
    const options = { data: { ruche: env } };
    const body = template(data, options);
    if (layout === false) return body;
    const layoutFn = compiled.layouts.get(layout);
    if (!layoutFn) throw new Error(`theme "${theme}" has no layout "${layout}"`);
    return layoutFn(Object.assign({}, layoutData, { body: new Handlebars.SafeString(body) }), options);
  }

  private describeLookup(theme: string, name: string): string {
    const [ownerId, ...rest] = name.split('/');
    const owner = this.owners.find((o) => o.id === ownerId);
    return owner ? `${path.join(owner.dir, rest.join('/'))}.hbs (theme ${theme})` : `owner ${ownerId}`;
  }
}

/** `plainText`: a template whose output is not HTML (characters beyond Latin-1 written as they are: core/views/one-byte.ts). */
function compileFile(hb: typeof Handlebars, file: string, plainText = false): Handlebars.TemplateDelegate {
  const source = fs.readFileSync(file, 'utf8');
  try {
    hb.parse(source); // compile() is lazy: parse now so a syntax error stops start-up
  } catch (e) {
    throw new StartupError('E_TEMPLATE', `template ${file} has a syntax error: ${(e as Error).message.split('\n')[0]}`);
  }
  return hb.compile(source, { strict: false, preventIndent: true, plainText } as CompileOptions);
}

function listHbs(dir: string): { name: string; path: string }[] {
  const out: { name: string; path: string }[] = [];
  const walk = (d: string, prefix: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.isDirectory()) walk(path.join(d, e.name), `${prefix}${e.name}/`);
      else if (e.name.endsWith('.hbs')) out.push({ name: `${prefix}${e.name.slice(0, -4)}`, path: path.join(d, e.name) });
    }
  };
  walk(dir, '');
  return out;
}

/** Template names found under a folder (for the core, which declares all its files). */
export function templateNamesIn(dir: string): string[] {
  return listHbs(dir)
    .map((f) => f.name)
    .sort();
}
