/**
 * Sub-network pages. Admin pages (`subnetworks.manage`) list sub-networks with their
 * adoption and create, configure and archive them — from the root network only; inside a
 * sub-network its admins see that network's adoption. Members get a page of their networks
 * and a feed across all of them. Handlers are thin: read, call SubnetworkService, render.
 */
import {
  beforeParam,
  adminPage,
  auditAction,
  changes,
  field,
  HttpError,
  INSTALLATION,
  uploadedFiles,
  JOIN_POLICIES,
  link,
  notFound,
  setFlash,
  t,
  type NetworkInfo,
  type RouteDef,
  type RouteResult,
  type RucheContext,
} from '../../core';
import { loadFeed } from '../activity/api';
import { MANAGE, PARTICIPATE } from './constants';
import { SubnetworkService, type BrandingForm, type FieldErrors, type NetworkForm } from './service';

const service = (ctx: RucheContext): SubnetworkService => ctx.ruche.container.resolve(SubnetworkService);
const isRoot = (ctx: RucheContext): boolean => ctx.state.network.parentId === null;
/** Sub-networks themselves (create, configure, brand, archive) are the installation's: root rights. */
const requireRootRights = (ctx: RucheContext): void => ctx.ruche.scopes.requireAct(ctx.state.viewer, MANAGE, INSTALLATION);

function readForm(ctx: RucheContext): NetworkForm {
  const form = {
    slug: field(ctx, 'slug'),
    name: field(ctx, 'name'),
    host: field(ctx, 'host'),
    joinPolicy: field(ctx, 'joinPolicy'),
    domains: field(ctx, 'domains'),
    theme: field(ctx, 'theme'),
    isolated: field(ctx, 'isolated') === 'on' ? 'on' : '',
  };
  if (Object.values(form).some((v) => v.length > 5000)) throw new HttpError(413);
  return form;
}

const formOf = (n: NetworkInfo): NetworkForm => ({
  slug: n.slug,
  name: n.name,
  host: n.host ?? '',
  joinPolicy: n.joinPolicy,
  domains: n.joinDomains.join(', '),
  theme: n.theme,
  isolated: n.isolated ? 'on' : '',
});
const emptyForm = (ctx: RucheContext): NetworkForm => ({
  slug: '',
  name: '',
  host: '',
  joinPolicy: 'open',
  domains: '',
  theme: ctx.ruche.networks.root().theme,
  isolated: '',
});

/** The form's choices and messages, ready for the template. */
function formData(ctx: RucheContext, values: NetworkForm, errors: FieldErrors) {
  const messages = Object.fromEntries(Object.entries(errors).map(([k, e]) => [k, t(ctx, e.key, e.params)]));
  return {
    values,
    errors: messages,
    hasErrors: Object.keys(messages).length > 0,
    policies: JOIN_POLICIES.map((p) => ({ value: p, label: t(ctx, `subnetworks.policy.${p}`), selected: values.joinPolicy === p })),
    themes: [...ctx.ruche.views.themes.values()]
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((th) => ({ value: th.name, label: th.label, selected: th.name === values.theme })),
  };
}

async function listPage(ctx: RucheContext, values?: NetworkForm, errors: FieldErrors = {}, status?: number): Promise<RouteResult> {
  const svc = service(ctx);
  const root = isRoot(ctx);
  const networks = root ? ctx.ruche.networks.subNetworks() : [ctx.state.network];
  const rows = (await svc.adoption(networks)).map((a) => ({
    ...a,
    name: a.network.name,
    slug: a.network.slug,
    href: `${svc.baseUrl(ctx, a.network)}/`,
    host: a.network.host,
    join: t(ctx, `subnetworks.policy.${a.network.joinPolicy}`),
    isolated: a.network.isolated,
    domains: a.network.joinDomains.map((d) => `@${d}`).join(', '),
    edit: root ? link(ctx, 'subnetworks.edit', { slug: a.network.slug }) : null,
    archive: root ? link(ctx, 'subnetworks.archive', { slug: a.network.slug }) : null,
  }));
  return adminPage(
    ctx,
    'subnetworks/admin',
    t(ctx, 'subnetworks.admin.title'),
    'subnetworks.admin',
    {
      rows,
      root,
      month: new Intl.DateTimeFormat(ctx.state.locale, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date()),
      create: root ? formData(ctx, values ?? emptyForm(ctx), errors) : null,
    },
    status,
  );
}

/** The sub-network named by `:slug`, from the root network's admin area only. */
function target(ctx: RucheContext): NetworkInfo {
  if (!isRoot(ctx)) throw notFound();
  requireRootRights(ctx);
  const n = ctx.ruche.networks.slug(ctx.params.slug ?? '');
  if (!n) throw notFound();
  return n;
}

function brandingOf(n: NetworkInfo): BrandingForm {
  return { primary: n.branding.primary ?? '', accent: n.branding.accent ?? '', removeLogo: false };
}

/** The branding form's values, messages and the current logo, for the template. */
function brandingData(ctx: RucheContext, network: NetworkInfo, values: BrandingForm, errors: FieldErrors) {
  const messages = Object.fromEntries(Object.entries(errors).map(([k, e]) => [k, t(ctx, e.key, e.params)]));
  const base = service(ctx).baseUrl(ctx, network);
  return {
    values,
    errors: messages,
    hasErrors: Object.keys(messages).length > 0,
    action: link(ctx, 'subnetworks.branding', { slug: network.slug }),
    logo: network.branding.logo ? `${base}/branding/logo/${network.branding.logo}.png` : null,
  };
}

function editPage(
  ctx: RucheContext,
  network: NetworkInfo,
  values: NetworkForm,
  errors: FieldErrors = {},
  status?: number,
  branding?: { values: BrandingForm; errors: FieldErrors },
): RouteResult {
  const title = t(ctx, 'subnetworks.edit.title', { name: network.name });
  return adminPage(
    ctx,
    'subnetworks/edit',
    title,
    'subnetworks.admin',
    {
      network: { name: network.name, slug: network.slug },
      back: link(ctx, 'subnetworks.admin'),
      action: link(ctx, 'subnetworks.save', { slug: network.slug }),
      ...formData(ctx, values, errors),
      branding: brandingData(ctx, network, branding?.values ?? brandingOf(network), branding?.errors ?? {}),
    },
    status,
  );
}

export const subnetworkRoutes: RouteDef[] = [
  { name: 'subnetworks.admin', method: 'GET', path: '/admin/networks', capability: MANAGE, handler: (ctx) => listPage(ctx) },
  {
    name: 'subnetworks.create',
    method: 'POST',
    path: '/admin/networks',
    capability: MANAGE,
    async handler(ctx) {
      if (!isRoot(ctx)) throw notFound();
      requireRootRights(ctx);
      const form = readForm(ctx);
      const made = await service(ctx).create(form, ctx.state.viewer!.id);
      if (!('id' in made)) return listPage(ctx, form, made as FieldErrors, 422);
      const id = Number(made.id);
      const created = { slug: form.slug, name: made.name, joinPolicy: form.joinPolicy, isolated: form.isolated === 'on' };
      await auditAction(ctx, { action: 'subnetworks.network.create', networkId: id, objectType: 'network', objectId: id, after: created });
      return { redirect: link(ctx, 'subnetworks.admin'), flash: { key: 'subnetworks.admin.created', params: { name: made.name } } };
    },
  },
  {
    name: 'subnetworks.edit',
    method: 'GET',
    path: '/admin/networks/:slug',
    capability: MANAGE,
    handler: (ctx) => editPage(ctx, target(ctx), formOf(target(ctx))),
  },
  {
    name: 'subnetworks.save',
    method: 'POST',
    path: '/admin/networks/:slug',
    capability: MANAGE,
    async handler(ctx) {
      const network = target(ctx);
      const form = { ...readForm(ctx), slug: network.slug };
      const errors = await service(ctx).configure(network, form);
      if (Object.keys(errors).length) return editPage(ctx, network, form, errors, 422);
      const saved = ctx.ruche.networks.get(network.id);
      const changed = saved && changes({ ...formOf(network) }, { ...formOf(saved) });
      if (changed)
        await auditAction(ctx, {
          action: 'subnetworks.network.configure',
          networkId: network.id,
          objectType: 'network',
          objectId: network.id,
          ...changed,
        });
      return { redirect: link(ctx, 'subnetworks.admin'), flash: { key: 'subnetworks.edit.saved', params: { name: form.name.trim() } } };
    },
  },
  {
    name: 'subnetworks.branding',
    method: 'POST',
    path: '/admin/networks/:slug/branding',
    capability: MANAGE,
    async handler(ctx) {
      const network = target(ctx);
      const form: BrandingForm = {
        primary: field(ctx, 'primary').slice(0, 100),
        accent: field(ctx, 'accent').slice(0, 100),
        removeLogo: field(ctx, 'removeLogo') === 'on',
      };
      const file = uploadedFiles(ctx).find((f) => f.field === 'logo');
      const errors = await service(ctx).brand(network, form, file ? await file.read() : undefined);
      if (Object.keys(errors).length) {
        const status = errors.logo?.key.endsWith('tooLarge') ? 413 : 422;
        return editPage(ctx, network, formOf(network), {}, status, { values: form, errors });
      }
      const saved = ctx.ruche.networks.get(network.id);
      await auditAction(ctx, {
        action: 'subnetworks.network.brand',
        networkId: network.id,
        objectType: 'network',
        objectId: network.id,
        ...(saved && changes({ ...network.branding }, { ...saved.branding })),
      });
      return {
        redirect: link(ctx, 'subnetworks.edit', { slug: network.slug }),
        flash: { key: 'subnetworks.branding.saved', params: { name: network.name } },
      };
    },
  },
  {
    name: 'subnetworks.archive',
    method: 'POST',
    path: '/admin/networks/:slug/archive',
    capability: MANAGE,
    async handler(ctx) {
      const network = target(ctx);
      await service(ctx).archive(network);
      await auditAction(ctx, {
        action: 'subnetworks.network.archive',
        networkId: network.id,
        objectType: 'network',
        objectId: network.id,
        before: { name: network.name },
      });
      return { redirect: link(ctx, 'subnetworks.admin'), flash: { key: 'subnetworks.admin.archived', params: { name: network.name } } };
    },
  },
  {
    name: 'subnetworks.mine',
    method: 'GET',
    path: '/networks',
    capability: PARTICIPATE,
    // Also for members of other networks only: where they belong, and what they may join.
    outsiders: true,
    async handler(ctx) {
      const svc = service(ctx);
      const viewer = ctx.state.viewer!;
      const networks = svc.myNetworks(viewer).map((n) => ({
        name: n.name,
        href: `${svc.baseUrl(ctx, n)}/`,
        current: n.id === ctx.state.network.id,
        role: t(ctx, `subnetworks.role.${viewer.roles[n.id]}`),
      }));
      // Joining is offered from the root's own address, where the session cookie is.
      const joinable = isRoot(ctx)
        ? (await svc.joinable(viewer)).map((n) => ({ name: n.name, action: `/n/${n.slug}/join`, join: t(ctx, `subnetworks.policy.${n.joinPolicy}`) }))
        : [];
      const title = t(ctx, 'subnetworks.mine.title');
      return { view: 'subnetworks/mine', title, data: { pageTitle: title, networks, joinable, allFeed: link(ctx, 'subnetworks.feed') } };
    },
  },
  {
    name: 'subnetworks.join',
    method: 'POST',
    path: '/join',
    // Anyone signed in may ask; whether they may join is the network's policy (checked here).
    public: true,
    outsiders: true,
    async handler(ctx) {
      const viewer = ctx.state.viewer;
      if (!viewer) throw new HttpError(401);
      const network = ctx.state.network;
      const svc = service(ctx);
      if (viewer.roles[network.id] === undefined) {
        if (!(await svc.mayJoin(viewer, network)))
          throw new HttpError(403, `subnetworks.join.refused.${network.joinPolicy === 'domain' ? 'domain' : 'closed'}`, {
            domains: network.joinDomains.map((d) => `@${d}`).join(', '),
          });
        await svc.join(viewer, network);
        setFlash(ctx, { type: 'success', key: 'subnetworks.join.done', params: { name: network.name } });
      }
      return { redirect: `${ctx.state.basePath}/` };
    },
  },
  {
    name: 'subnetworks.feed',
    method: 'GET',
    path: '/feeds/all',
    capability: PARTICIPATE,
    async handler(ctx) {
      const svc = service(ctx);
      const mine = svc.myNetworks(ctx.state.viewer!);
      const byId = new Map(mine.map((n) => [n.id, n]));
      const feed = await loadFeed(ctx, { networkIds: mine.map((n) => n.id), before: beforeParam(ctx) });
      // Entries from other networks: labelled, and linked under that network's address.
      const where = await svc.entityNetworks(feed.entries.map((e) => Number(e.entityId)));
      const here = ctx.state.basePath;
      feed.entries = feed.entries.map((e) => {
        const n = byId.get(where.get(Number(e.entityId)) ?? -1);
        if (!n) return e;
        const href = typeof e.href === 'string' && e.href.startsWith(here) ? `${svc.baseUrl(ctx, n)}${e.href.slice(here.length)}` : e.href;
        return { ...e, href, networkName: n.name };
      });
      const title = t(ctx, 'subnetworks.feed.title');
      const filters = mine.map((n) => ({ name: n.name, href: `${svc.baseUrl(ctx, n)}/feed` }));
      return { view: 'subnetworks/feed', title, data: { pageTitle: title, feed, filters, count: mine.length } };
    },
  },
];
