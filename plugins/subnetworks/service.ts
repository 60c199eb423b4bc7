/**
 * Sub-networks for admins and members: the networks a member belongs to and their URLs,
 * adoption per network (members, active this month, contributing this month), and
 * creating, configuring and archiving sub-networks through the core's Networks service.
 * Refusals are field errors with i18n keys (`subnetworks.errors.<field>.<problem>`).
 */
import { isBanned, type NetworkInfo, type RucheContext, type Runtime, type Viewer } from '../../core';
import type { NetworkInput } from '../../core/networks';
import { logoKey, MAX_LOGO_BYTES, parseColour, storeLogo } from '../../core/branding';
import './hooks';

export type FieldErrors = Record<string, { key: string; params?: Record<string, unknown> }>;

export interface Adoption {
  network: NetworkInfo;
  members: number;
  /** Members seen (signed in and using the site) since the first day of this month. */
  active: number;
  /** Members who created, commented or liked something in the network this month. */
  contributing: number;
}

/** What the create/config forms send, as typed by the admin. */
export interface NetworkForm {
  slug: string;
  name: string;
  host: string;
  joinPolicy: string;
  domains: string;
  theme: string;
  /** `on` when checked: members who register there join it only (a partner company). */
  isolated: string;
}

/** The branding form: colours as typed, and whether to remove the logo. */
export interface BrandingForm {
  primary: string;
  accent: string;
  removeLogo: boolean;
}

export class SubnetworkService {
  /** The core services it uses: all it is given (`registerService` in plugin.ts). */
  static readonly uses = ['config', 'db', 'hooks', 'networks', 'storage', 'views'] as const;
  constructor(private readonly rt: Pick<Runtime, (typeof SubnetworkService.uses)[number]>) {}

  /** The (not archived) networks the member belongs to, the root first, then by name. */
  myNetworks(viewer: Viewer): NetworkInfo[] {
    const root = this.rt.networks.root();
    const mine = Object.keys(viewer.roles)
      .map(Number)
      .map((id) => this.rt.networks.get(id))
      .filter((n): n is NetworkInfo => !!n);
    return mine.sort((a, b) => (a.id === root.id ? -1 : b.id === root.id ? 1 : a.name.localeCompare(b.name)));
  }

  /**
   * Where a network's pages start, as seen from this request: its own host when it has one
   * (same scheme and port as the request), else `/n/<slug>/` (absolute when the request came
   * in on a network's own host, where `/n/...` would not resolve).
   */
  baseUrl(ctx: RucheContext, network: NetworkInfo): string {
    const onOwnHost = !!ctx.state.network.host && ctx.hostname === ctx.state.network.host;
    const port = /:\d+$/.exec(ctx.host)?.[0] ?? '';
    if (network.host) return `${ctx.protocol}://${network.host}${port}`;
    const path = network.parentId === null ? '' : `/n/${network.slug}`;
    return onOwnHost ? `${this.rt.config.siteUrl.replace(/\/$/, '')}${path}` : path;
  }

  /**
   * Whether the member may join the network by themselves: it is open, or it takes
   * addresses at its domains and theirs is one, verified. Invitation and approval networks
   * are joined through the core's registration flows. Never a network they are banned from.
   */
  async mayJoin(viewer: Viewer, network: NetworkInfo): Promise<boolean> {
    if (network.parentId === null || viewer.roles[network.id] !== undefined || viewer.status !== 'active') return false;
    if (await isBanned(this.rt.db, viewer.id, network.id)) return false;
    if (network.joinPolicy === 'open') return true;
    if (network.joinPolicy !== 'domain') return false;
    const user = await this.rt.db('users').where({ id: viewer.id }).first('email_lower', 'email_verified_at');
    return !!user?.email_verified_at && network.joinDomains.includes(String(user.email_lower).split('@')[1] ?? '');
  }

  /** Sub-networks the member may join by themselves, by name. */
  async joinable(viewer: Viewer): Promise<NetworkInfo[]> {
    const out: NetworkInfo[] = [];
    for (const n of this.rt.networks.subNetworks()) if (await this.mayJoin(viewer, n)) out.push(n);
    return out;
  }

  /** Adds the membership (not through users.setRole: joining need not end their sessions). */
  async join(viewer: Viewer, network: NetworkInfo): Promise<void> {
    await this.rt
      .db('memberships')
      .insert({ user_id: viewer.id, network_id: network.id, role: 'member', created_at: Date.now() })
      .onConflict(['user_id', 'network_id'])
      .ignore();
    await this.rt.hooks.emit('subnetworks:joined', { userId: viewer.id, networkId: network.id });
  }

  async adoption(networks: NetworkInfo[], now = new Date()): Promise<Adoption[]> {
    const db = this.rt.db;
    const ids = networks.map((n) => n.id);
    if (!ids.length) return [];
    const since = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
    const members = db('memberships as m').join('users as u', 'u.id', 'm.user_id').where('u.status', 'active').whereIn('m.network_id', ids);
    const [all, active, contributing] = await Promise.all([
      members.clone().groupBy('m.network_id').select('m.network_id').count({ n: 'm.user_id' }),
      members
        .clone()
        .whereExists((s) => s.select(db.raw('1')).from('sessions as s').where('s.user_id', db.ref('m.user_id')).where('s.last_seen_at', '>=', since))
        .groupBy('m.network_id')
        .select('m.network_id')
        .count({ n: 'm.user_id' }),
      members
        .clone()
        .whereExists((s) =>
          s
            .select(db.raw('1'))
            .from('activity as a')
            .where('a.actor_id', db.ref('m.user_id'))
            .where('a.network_id', db.ref('m.network_id'))
            .where('a.created_at', '>=', since),
        )
        .groupBy('m.network_id')
        .select('m.network_id')
        .count({ n: 'm.user_id' }),
    ]);
    const map = (rows: Record<string, unknown>[]): Map<number, number> => new Map(rows.map((r) => [Number(r.network_id), Number(r.n)]));
    const [a, b, c] = [map(all), map(active), map(contributing)];
    return networks.map((network) => ({
      network,
      members: a.get(network.id) ?? 0,
      active: b.get(network.id) ?? 0,
      contributing: c.get(network.id) ?? 0,
    }));
  }

  /** The form as a NetworkInput (domains split, host lowercased, empty host removed). */
  toInput(form: NetworkForm, withSlug: boolean): NetworkInput {
    const input: NetworkInput = {
      name: form.name,
      host: form.host.trim() ? form.host.trim().toLowerCase() : null,
      joinPolicy: form.joinPolicy,
      joinDomains: form.domains
        .split(/[\s,]+/)
        .map((d) => d.trim().toLowerCase().replace(/^@/, ''))
        .filter(Boolean),
    };
    if (form.theme) input.theme = form.theme;
    input.isolated = form.isolated === 'on';
    if (withSlug) input.slug = form.slug.trim().toLowerCase();
    return input;
  }

  async validate(form: NetworkForm, id?: number): Promise<FieldErrors> {
    const errors: FieldErrors = {};
    const problems = await this.rt.networks.check(this.toInput(form, id === undefined), id);
    const FIELD: Record<string, string> = { slug: 'slug', name: 'name', host: 'host', joinPolicy: 'joinPolicy', joinDomains: 'domains' };
    for (const [field, problem] of Object.entries(problems))
      errors[FIELD[field] ?? field] = { key: `subnetworks.errors.${FIELD[field] ?? field}.${problem}` };
    if (form.theme && !this.rt.views.themes.has(form.theme)) errors.theme = { key: 'subnetworks.errors.theme.invalid' };
    return errors;
  }

  async create(form: NetworkForm, creatorId: number): Promise<NetworkInfo | FieldErrors> {
    const errors = await this.validate(form);
    if (Object.keys(errors).length) return errors;
    const input = this.toInput(form, true);
    const network = await this.rt.networks.create({ ...input, slug: input.slug!, name: input.name! });
    // Its creator belongs to it (as its admin), so it shows in their network switcher. Not
    // through users.setRole: gaining a role here need not end the creator's sessions.
    await this.rt
      .db('memberships')
      .insert({ user_id: creatorId, network_id: network.id, role: 'admin', created_at: Date.now() })
      .onConflict(['user_id', 'network_id'])
      .ignore();
    return network;
  }

  async configure(network: NetworkInfo, form: NetworkForm): Promise<FieldErrors> {
    const errors = await this.validate(form, network.id);
    if (Object.keys(errors).length) return errors;
    await this.rt.networks.update(network.id, this.toInput(form, false));
    return {};
  }

  /**
   * Sets a network's colours (`#rrggbb`, empty for the theme's) and, when a file is sent,
   * its logo (an image, re-encoded by the core); `removeLogo` removes it. Nothing is saved
   * when anything is wrong.
   */
  async brand(network: NetworkInfo, form: BrandingForm, logo?: Buffer): Promise<FieldErrors> {
    const errors: FieldErrors = {};
    const primary = parseColour(form.primary);
    const accent = parseColour(form.accent);
    if (primary === undefined) errors.primary = { key: 'subnetworks.errors.colour.invalid' };
    if (accent === undefined) errors.accent = { key: 'subnetworks.errors.colour.invalid' };
    let logoHash: string | null | undefined = form.removeLogo ? null : undefined;
    if (logo?.length && !Object.keys(errors).length) {
      const stored = await storeLogo(this.rt.storage, network.id, logo);
      if ('problem' in stored) errors.logo = { key: `subnetworks.errors.logo.${stored.problem}`, params: { max: MAX_LOGO_BYTES / 1024 / 1024 } };
      else logoHash = stored.hash;
    }
    if (Object.keys(errors).length) return errors;
    const old = network.branding.logo;
    await this.rt.networks.setBranding(network.id, { primary: primary!, accent: accent!, ...(logoHash !== undefined ? { logo: logoHash } : {}) });
    if (logoHash !== undefined && old && old !== logoHash) await this.rt.storage.delete(logoKey(network.id, old)).catch(() => undefined);
    return {};
  }

  async archive(network: NetworkInfo): Promise<void> {
    await this.rt.networks.archive(network.id);
  }

  /** The network ids of each entity, to label and link feed entries from other networks. */
  async entityNetworks(entityIds: number[]): Promise<Map<number, number>> {
    if (!entityIds.length) return new Map();
    const rows: { id: number; network_id: number }[] = await this.rt.db('entities').whereIn('id', entityIds).select('id', 'network_id');
    return new Map(rows.map((r) => [Number(r.id), Number(r.network_id)]));
  }
}
