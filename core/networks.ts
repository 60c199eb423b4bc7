/** Networks (root and sub-networks), cached in memory and resolved from the request. */
import type { Knex } from 'knex';
import type { NetworkInfo } from './http/context';
import { StartupError } from './errors';

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
}

export class Networks {
  private byId = new Map<number, NetworkInfo>();
  private bySlug = new Map<string, NetworkInfo>();
  private byHost = new Map<string, NetworkInfo>();
  private rootInfo!: NetworkInfo;

  constructor(private readonly db: Knex) {}

  async load(): Promise<void> {
    const rows: NetworkRow[] = await this.db('networks').whereNull('archived_at').select();
    const infos = rows.map(toInfo);
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

  /** Publishes a new charter text: its version goes up, so every member accepts it again. */
  async setCharter(id: number, text: string): Promise<number> {
    const current = this.byId.get(id);
    const version = (current?.charterVersion ?? 0) + 1;
    await this.db('networks').where({ id }).update({ charter: text.trim() || null, charter_version: text.trim() ? version : 0 });
    await this.load();
    return text.trim() ? version : 0;
  }

  async update(id: number, change: Partial<Pick<NetworkInfo, 'name' | 'theme' | 'locale' | 'allowGuests' | 'joinPolicy' | 'joinDomains'>>): Promise<void> {
    const row: Record<string, unknown> = {};
    if (change.name !== undefined) row.name = change.name;
    if (change.theme !== undefined) row.theme = change.theme;
    if (change.locale !== undefined) row.locale = change.locale;
    if (change.allowGuests !== undefined) row.allow_guests = change.allowGuests;
    if (change.joinPolicy !== undefined) row.join_policy = change.joinPolicy;
    if (change.joinDomains !== undefined) row.join_domains = change.joinDomains.join(',');
    if (Object.keys(row).length) await this.db('networks').where({ id }).update(row);
    await this.load();
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
    joinDomains: (r.join_domains ?? '').split(',').map((d) => d.trim().toLowerCase()).filter(Boolean),
    charter: r.charter,
    charterVersion: Number(r.charter_version ?? 0),
  };
}
