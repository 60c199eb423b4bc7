/**
 * Themes: `themes/<name>/` with `theme.json` ({ label, description, parent?, styles[] }),
 * `layouts/*.hbs`, `partials/*.hbs`, `overrides/<plugin>/<template>.hbs`, `assets/`.
 * A theme with a parent inherits everything it does not override.
 */
import fs from 'node:fs';
import path from 'node:path';
import { StartupError } from '../errors';

export interface ThemeInfo {
  name: string;
  dir: string;
  label: string;
  description: string;
  parent?: string;
  /** Stylesheets (asset paths) this theme adds, after its parent's. */
  styles: string[];
}

/** Themes found in the given folders; an earlier folder wins on a name clash. */
export function discoverThemes(themesDirs: string[]): Map<string, ThemeInfo> {
  const themes = new Map<string, ThemeInfo>();
  for (const dir of themesDirs) readThemes(dir, themes);
  for (const theme of themes.values()) themeChain(themes, theme.name);
  return themes;
}

function readThemes(themesDir: string, themes: Map<string, ThemeInfo>): void {
  let names: string[] = [];
  try {
    names = fs
      .readdirSync(themesDir, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();
  } catch {
    /* no themes folder: start-up will say no theme exists */
  }
  for (const name of names) {
    const file = path.join(themesDir, name, 'theme.json');
    if (!fs.existsSync(file) || themes.has(name)) continue;
    let meta: Partial<ThemeInfo>;
    try {
      meta = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<ThemeInfo>;
    } catch (e) {
      throw new StartupError('E_THEME', `theme "${name}": ${file} is not valid JSON: ${(e as Error).message}`);
    }
    themes.set(name, {
      name,
      dir: path.join(themesDir, name),
      label: typeof meta.label === 'string' ? meta.label : name,
      description: typeof meta.description === 'string' ? meta.description : '',
      parent: typeof meta.parent === 'string' ? meta.parent : undefined,
      styles: Array.isArray(meta.styles) ? meta.styles.filter((s): s is string => typeof s === 'string') : [],
    });
  }
}

/** The theme and its ancestors, most specific first. Refuses unknown parents and loops. */
export function themeChain(themes: Map<string, ThemeInfo>, name: string): ThemeInfo[] {
  const chain: ThemeInfo[] = [];
  let current: string | undefined = name;
  while (current) {
    const theme = themes.get(current);
    if (!theme)
      throw new StartupError(
        'E_THEME',
        chain.length
          ? `theme "${chain[chain.length - 1].name}" has unknown parent "${current}"`
          : `theme "${current}" does not exist (available: ${[...themes.keys()].join(', ') || 'none'})`,
      );
    if (chain.includes(theme)) throw new StartupError('E_THEME', `theme "${name}" has a parent loop`);
    chain.push(theme);
    current = theme.parent;
  }
  return chain;
}
