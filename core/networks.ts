/**
 * Networks (root and sub-networks), cached in memory and resolved from the request. Every
 * change goes through the `networks` cache (core/cache/caches.ts), so every process and
 * a running server after a CLI change see it within a second.
 */
import type { Knex } from 'knex';
import type { NetworkInfo } from './http/context';
import { StartupError } from './errors';
import { JOIN_POLICIES } from './auth/registration';
import type { Branding } from './branding';
import type { Caches } from './cache/caches';

/** Fields of a sub-network an admin sets (web or `ruche network`). */
export interface NetworkInput {
  slug?: string;
  name?: string;
  host?: string | null;
  joinPolicy?: string;
  joinDomains?: string[];
  theme?: string;
  locale?: string;
  /** Members who register here join this network only, not the root (sub-networks only). */
  isolated?: boolean;
}

export type NetworkProblem = 'invalid' | 'taken' | 'reserved' | 'empty' | 'long' | 'missing';

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;
const HOST = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;
/** Slugs that would be confusing in URLs or the CLI. */
const RESERVED_SLUGS = ['root', 'admin', 'api', 'n', 'assets', 'static'];

interface NetworkRow {
  id: number;
  slug: string;
  name: string;
  host: string | null;
  parent_id: number | null;
  join_policy: string;
  allow_guests: boolean | number;
  theme: string;
  locale: string;
  archived_at: number | null;
  join_domains: string | null;
  charter: string | null;
  charter_version: number;
  isolated: boolean | number;
  sso_only?: boolean | number;
  brand_primary: string | null;
  brand_accent: string | null;
  brand_logo: string | null;
}

export class Networks {
  private byId = new Map<number, NetworkInfo>();
  private bySlug = new Map<string, NetworkInfo>();
  private byHost = new Map<string, NetworkInfo>();
  private rootInfo!: NetworkInfo;

  /**
   * `themeOf` maps a stored theme name to the one to use (the kernel falls back to
   * `default` for a theme that is not installed).
   */
  constructor(
    private readonly db: Knex,
    private readonly caches: Caches,
    private readonly themeOf: (stored: string) => string = (t) => t,
  ) {
    caches.register('networks', () => this.load());
  }

  /** (Re)reads every network; the `networks` cache calls it after any process changed one. */
  async load(): Promise<void> {
    const rows: NetworkRow[] = await this.db('networks').whereNull('archived_at').select();
    const infos = rows.map(toInfo);
    for (const n of infos) n.theme = this.themeOf(n.theme);
    this.byId = new Map(infos.map((n) => [n.id, n]));
    this.bySlug = new Map(infos.filter((n) => n.parentId !== null).map((n) => [n.slug, n]));
    this.byHost = new Map(infos.filter((n) => n.host).map((n) => [n.host!.toLowerCase(), n]));
    const root = infos.find((n) => n.parentId === null && n.slug === 'root');
    if (!root) throw new StartupError('E_DATABASE', 'the root network is missing; run `ruche migrate`');
    this.rootInfo = root;
  }

  root(): NetworkInfo {
    return this.rootInfo;
  }

  get(id: number): NetworkInfo | undefined {
    return this.byId.get(id);
  }

  slug(slug: string): NetworkInfo | undefined {
    return this.bySlug.get(slug);
  }

  host(host: string): NetworkInfo | undefined {
    return this.byHost.get(host.toLowerCase());
  }

  all(): NetworkInfo[] {
    return [...this.byId.values()];
  }

  /** The sub-networks (not archived), by name. */
  subNetworks(): NetworkInfo[] {
    return this.all()
      .filter((n) => n.parentId !== null)
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /**
   * What is wrong with a new or changed sub-network, as codes per field (empty when it may
   * be saved): `slug` invalid/taken/reserved, `name` empty/long, `host` invalid/taken,
   * `joinPolicy` unknown, `joinDomains` missing (domain policy) or invalid.
   */
  async check(input: NetworkInput, id?: number): Promise<Record<string, NetworkProblem>> {
    const problems: Record<string, NetworkProblem> = {};
    if (input.slug !== undefined) {
      if (!SLUG.test(input.slug)) problems.slug = 'invalid';
      else if (RESERVED_SLUGS.includes(input.slug)) problems.slug = 'reserved';
      else if (
        await this.db('networks')
          .where({ slug: input.slug })
          .whereNot('id', id ?? 0)
          .first('id')
      )
        problems.slug = 'taken';
    }
    if (input.name !== undefined) {
      if (!input.name.trim()) problems.name = 'empty';
      else if (input.name.trim().length > 200) problems.name = 'long';
    }
    if (input.host) {
      const host = input.host.trim().toLowerCase();
      if (!HOST.test(host)) problems.host = 'invalid';
      else if (
        await this.db('networks')
          .whereRaw('lower(host) = ?', [host])
          .whereNot('id', id ?? 0)
          .first('id')
      )
        problems.host = 'taken';
    }
    if (input.joinPolicy !== undefined && !(JOIN_POLICIES as readonly string[]).includes(input.joinPolicy)) problems.joinPolicy = 'invalid';
    if (input.joinDomains?.some((d) => !HOST.test(d))) problems.joinDomains = 'invalid';
    // The stored row, not this process's copy: another process may have changed it.
    const stored =
      id !== undefined && (input.joinPolicy === undefined || input.joinDomains === undefined)
        ? ((await this.db('networks').where({ id }).first('join_policy', 'join_domains')) as
            Pick<NetworkRow, 'join_policy' | 'join_domains'> | undefined)
        : undefined;
    const policy = input.joinPolicy ?? (stored ? stored.join_policy : 'open');
    const domains = input.joinDomains ?? splitDomains(stored?.join_domains ?? null);
    if (policy === 'domain' && !domains.length && !problems.joinDomains) problems.joinDomains = 'missing';
    return problems;
  }

  /** Creates a sub-network of the root (validate with `check` first); returns it. */
  async create(input: NetworkInput & { slug: string; name: string }): Promise<NetworkInfo> {
    const root = this.root();
    const [row] = await this.caches.write('networks', (trx) =>
      trx('networks')
        .insert({
          slug: input.slug,
          name: input.name.trim(),
          host: input.host ? input.host.trim().toLowerCase() : null,
          parent_id: root.id,
          join_policy: input.joinPolicy ?? 'open',
          join_domains: (input.joinDomains ?? []).join(',') || null,
          allow_guests: false,
          theme: input.theme ?? root.theme,
          locale: input.locale ?? root.locale,
          isolated: input.isolated ?? false,
          created_at: Date.now(),
        })
        .returning('id'),
    );
    return this.byId.get(Number(typeof row === 'object' ? row.id : row))!;
  }

  /** Archives a sub-network: it is no longer reached; its members, content and settings are kept. */
  async archive(id: number): Promise<void> {
    await this.caches.write('networks', (trx) => trx('networks').where({ id }).whereNotNull('parent_id').update({ archived_at: Date.now() }));
  }

  /** Sets a network's colours and logo (validated by the caller: `#rrggbb` or null, a stored logo's hash or null). */
  async setBranding(id: number, b: Partial<Branding>): Promise<void> {
    const row: Record<string, unknown> = {};
    if (b.primary !== undefined) row.brand_primary = b.primary;
    if (b.accent !== undefined) row.brand_accent = b.accent;
    if (b.logo !== undefined) row.brand_logo = b.logo;
    if (Object.keys(row).length) await this.caches.write('networks', (trx) => trx('networks').where({ id }).update(row));
  }

  /** Publishes a new charter text: its version goes up, so every member accepts it again. */
  async setCharter(id: number, text: string): Promise<number> {
    return this.caches.write('networks', async (trx) => {
      // The stored version, not this process's copy (another process may have published one).
      const current = (await trx('networks').where({ id }).first('charter_version')) as { charter_version: number | null } | undefined;
      const version = text.trim() ? Number(current?.charter_version ?? 0) + 1 : 0;
      await trx('networks')
        .where({ id })
        .update({ charter: text.trim() || null, charter_version: version });
      return version;
    });
  }

  async update(
    id: number,
    change: Partial<Pick<NetworkInfo, 'name' | 'theme' | 'locale' | 'allowGuests' | 'joinPolicy' | 'joinDomains' | 'host' | 'isolated' | 'ssoOnly'>>,
  ): Promise<void> {
    const row: Record<string, unknown> = {};
    if (change.host !== undefined) row.host = change.host ? change.host.trim().toLowerCase() : null;
    if (change.name !== undefined) row.name = change.name;
    if (change.theme !== undefined) row.theme = change.theme;
    if (change.locale !== undefined) row.locale = change.locale;
    if (change.allowGuests !== undefined) row.allow_guests = change.allowGuests;
    if (change.joinPolicy !== undefined) row.join_policy = change.joinPolicy;
    if (change.joinDomains !== undefined) row.join_domains = change.joinDomains.join(',');
    if (change.isolated !== undefined) row.isolated = change.isolated;
    if (change.ssoOnly !== undefined) row.sso_only = change.ssoOnly;
    if (Object.keys(row).length) await this.caches.write('networks', (trx) => trx('networks').where({ id }).update(row));
  }
}

function toInfo(r: NetworkRow): NetworkInfo {
  return {
    id: Number(r.id),
    slug: r.slug,
    name: r.name,
    host: r.host,
    parentId: r.parent_id === null ? null : Number(r.parent_id),
    joinPolicy: r.join_policy,
    allowGuests: !!r.allow_guests,
    theme: r.theme,
    locale: r.locale,
    joinDomains: splitDomains(r.join_domains),
    charter: r.charter,
    charterVersion: Number(r.charter_version ?? 0),
    isolated: r.parent_id !== null && !!r.isolated,
    ssoOnly: !!r.sso_only,
    branding: { primary: r.brand_primary ?? null, accent: r.brand_accent ?? null, logo: r.brand_logo ?? null },
  };
}

const splitDomains = (stored: string | null): string[] =>
  (stored ?? '')
    .split(',')
    .map((d) => d.trim().toLowerCase())
    .filter(Boolean);
