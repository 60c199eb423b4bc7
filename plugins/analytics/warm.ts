/**
 * The dashboard warmed before anyone asks: what a network's first view after the process
 * starts (or after a run of the rollup job, which changes the kept figures' key) would compute
 * cold — the period's members, the rankings, the discussions, the values of the profile field
 * each admin's view splits the members by (memo.ts, adoption.ts), the dashboard's templates and
 * the code that reads them — is computed in the background for the default period of each
 * network where analytics is on, as its admins would see it. Bounded: WARM_NETWORKS networks,
 * WARM_VIEWERS admins each (the most recently active); one round at a time (a round asked while
 * one runs follows it, once); stopped at `app:closing`. A failure is logged, never thrown: a
 * member's view then computes what it needs, as without the warm-up.
 */
import type { NetworkInfo, Runtime, Viewer } from '../../core';
import { PERSON_KIND } from '../../core';
import { choiceField, choiceFields } from './fields';
import { DEFAULT_PRESET, presetPeriod } from './period';
import { buildReport, type ReportEnv } from './report';
import { AnalyticsService } from './service';

export const WARM_NETWORKS = 10;
export const WARM_VIEWERS = 3;
/** After `app:ready`, the first round waits this long: the server listens first, and a short-lived process (a CLI command) never warms. */
export const WARM_START_DELAY_MS = 2_000;
const PLUGIN_ID = 'analytics';
const VIEW = 'analytics.view';

export class DashboardWarmer {
  static readonly uses = ['logger'] as const;
  private running: Promise<void> = Promise.resolve();
  private pending = false;
  private stopped = false;
  private timer: NodeJS.Timeout | null = null;
  constructor(private readonly rt: Pick<Runtime, 'logger'>) {}

  /** At `app:ready`: a round after WARM_START_DELAY_MS, where analytics is on in some network (else nothing). */
  atStart(rt: Runtime): void {
    if (!rt.networks.all().some((n) => rt.pluginState.isEnabled(PLUGIN_ID, n.id))) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.soon(rt);
    }, WARM_START_DELAY_MS);
    this.timer.unref();
  }

  /** A round soon (at start, after a run of the rollup job), after the one running if any; tracked as the process's background work, never waited for by the caller. */
  soon(rt: Runtime): void {
    if (this.stopped || this.pending) return;
    this.pending = true;
    this.running = rt.background.track(
      this.running.then(() => {
        this.pending = false;
        return this.round(rt);
      }),
    );
  }

  /** Resolves once no round is running or due (the bench waits for it before the first view). */
  async settled(): Promise<void> {
    while (this.timer) await new Promise((resolve) => setTimeout(resolve, 50));
    let seen: Promise<void>;
    do {
      seen = this.running;
      await seen;
    } while (seen !== this.running);
  }

  /** At `app:closing`: no round starts any more (the round running stops at its next view; closing waits for it as background work). */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private async round(rt: Runtime): Promise<void> {
    if (this.stopped) return;
    try {
      const networks = rt.networks
        .all()
        .filter((n) => rt.pluginState.isEnabled(PLUGIN_ID, n.id))
        .slice(0, WARM_NETWORKS);
      for (const network of networks) {
        for (const viewer of await admins(rt, network.id)) {
          if (this.stopped) return;
          await warmView(rt, network, viewer);
        }
      }
      if (networks.length && !this.stopped) warmTemplates(rt, networks[0]);
    } catch (e) {
      this.rt.logger.warn({ err: e }, 'analytics: warming the dashboard failed');
    }
  }
}

/** The network's admins who may see its dashboard, the most recently active first (at most WARM_VIEWERS). */
async function admins(rt: Runtime, networkId: number): Promise<Viewer[]> {
  const ids = (await rt
    .db('memberships as m')
    .join('users as u', 'u.id', 'm.user_id')
    .where({ 'm.network_id': networkId, 'm.role': 'admin', 'u.status': 'active', 'u.kind': PERSON_KIND })
    .orderByRaw('coalesce(u.last_active_at, 0) desc')
    .orderBy('u.id')
    .limit(WARM_VIEWERS)
    .pluck('u.id')) as unknown[];
  const viewers: Viewer[] = [];
  for (const id of ids) {
    const viewer = await rt.users.viewer(Number(id));
    if (viewer && rt.permissions.can(viewer, VIEW, networkId)) viewers.push(viewer);
  }
  return viewers;
}

/** The network's dashboard over the default period as `viewer` would ask for it (the figures only: the text is thrown away). */
async function warmView(rt: Runtime, network: NetworkInfo, viewer: Viewer): Promise<void> {
  const networkId = network.id;
  const locale = viewer.locale ?? network.locale;
  const fields = await choiceFields(rt, networkId, viewer, locale);
  const env: ReportEnv = {
    choiceField: await choiceField(rt, networkId, viewer, fields, undefined),
    t: (key) => key,
    locale,
    groupNames: (ids) => rt.hooks.filter('groups:names', {}, { rt, networkId, ids }),
    groupHref: () => '',
    contentHref: () => null,
    profileHref: () => null,
    showMembers: rt.pluginState.settings(PLUGIN_ID, networkId).memberLevel === true,
  };
  const period = presetPeriod(DEFAULT_PRESET, Date.now());
  await buildReport(rt.container.resolve(AnalyticsService), viewer, { networkId, containerId: 0 }, period, env);
}

/** Compiles the dashboards' templates (Handlebars compiles a template at its first use). */
function warmTemplates(rt: Runtime, network: NetworkInfo): void {
  const env = { locale: network.locale, csrfToken: '', can: () => false, url: () => '', asset: () => '', now: new Date() };
  for (const view of ['analytics/dashboard', 'analytics/group', 'analytics/partials/report', 'analytics/partials/day-chart']) {
    try {
      rt.views.render(network.theme, view, {}, env, false);
    } catch {
      // An empty page's helpers may refuse: compiled all the same.
    }
  }
}
