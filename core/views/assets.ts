/**
 * Public URLs of static assets, versioned by content hash so they can be cached for a year:
 * `/assets/theme/<theme>/<path>?v=<hash>` and `/assets/plugin/<id>/<path>?v=<hash>`.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ThemeInfo } from './themes';

export class AssetResolver {
  private readonly versions = new Map<string, string | null>();
  /**
   * URLs already answered, per theme chain (the view engine's array of a compiled theme, the same
   * object on every page): a version is read once per file, so a URL never changes while the
   * process runs, and each page's assets cost a lookup, not a `path.join` and a string each.
   */
  private readonly answered = new WeakMap<ThemeInfo[], Map<string, string>>();

  constructor(private readonly pluginDirs: Map<string, string>) {}

  /** Asset URL for `path` in a theme chain, or `plugin-id:path` for a plugin's asset. */
  url(chain: ThemeInfo[], ref: string): string {
    let urls = this.answered.get(chain);
    if (!urls) this.answered.set(chain, (urls = new Map()));
    let url = urls.get(ref);
    if (url === undefined) urls.set(ref, (url = this.resolve(chain, ref)));
    return url;
  }

  private resolve(chain: ThemeInfo[], ref: string): string {
    const m = /^([a-z][a-z0-9-]*):(.+)$/.exec(ref);
    if (m) {
      const dir = this.pluginDirs.get(m[1]);
      if (dir) return this.versioned(`/assets/plugin/${m[1]}/${m[2]}`, path.join(dir, 'assets', m[2]));
    }
    for (const theme of chain) {
      const file = path.join(theme.dir, 'assets', ref);
      if (this.version(file)) return this.versioned(`/assets/theme/${theme.name}/${ref}`, file);
    }
    return `/assets/theme/${chain[0]?.name ?? 'default'}/${ref}`;
  }

  /** The folder an `/assets/...` request is served from, or undefined. */
  static folderFor(kind: string, owner: string, themes: Map<string, ThemeInfo>, pluginDirs: Map<string, string>): string | undefined {
    if (kind === 'theme') return themes.get(owner) && path.join(themes.get(owner)!.dir, 'assets');
    if (kind === 'plugin') return pluginDirs.get(owner) && path.join(pluginDirs.get(owner)!, 'assets');
    return undefined;
  }

  private versioned(url: string, file: string): string {
    const v = this.version(file);
    return v ? `${url}?v=${v}` : url;
  }

  private version(file: string): string | null {
    if (!this.versions.has(file)) {
      try {
        this.versions.set(file, crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex').slice(0, 10));
      } catch {
        this.versions.set(file, null);
      }
    }
    return this.versions.get(file)!;
  }
}
