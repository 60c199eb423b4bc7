/**
 * The gates every request passes before it reaches what it asks for — a page, a form, an
 * API call or a WebSocket upgrade. Built once per app (`requestGates`) and run, the very
 * same array, by core/app.ts for every HTTP request and by core/realtime/sockets.ts for
 * every upgrade, so a gate added here applies to both by construction:
 *
 *   1. allowed host and network resolution — an unknown `Host` is a 404 (network.ts);
 *   2. session / viewer — the session cookie or API token; a suspended member's sessions
 *      end and they are a guest (session.ts);
 *   3. CSRF and body parsing — nothing to check on `GET`, so upgrades pass (csrf.ts, body.ts);
 *   4. locale — the viewer's language, for whatever answers next (locale.ts);
 *   5. usage charter — members who have not accepted it are sent to it (charter-gate.ts).
 *
 * Then the target's own gate (`targetGate`), shared the same way by the router (one per
 * route) and socket upgrades (one per socket path): its plugin is enabled in the network
 * (else 404), outsiders are refused unless it is open to them (403), the viewer holds its
 * capability (guests 401, members 403), and installation-wide targets need root rights.
 *
 * Upgrades are answered like API requests, never with a page or a redirect: a refused
 * upgrade gets the status the gate gives (401, 403, 404) and no socket.
 */
import type Koa from 'koa';
import { HttpError } from '../errors';
import { INSTALLATION } from '../access/scope';
import type { Runtime } from '../runtime';
import type { RucheContext } from './context';
import { networkResolution } from './network';
import { sessionViewer } from './session';
import { csrf, csrfExemptions } from './csrf';
import { bodyParser } from './body';
import { localeResolution } from './locale';
import { charterGate } from './charter-gate';
import { isOutsider, outsiderCan, refuseOutsider } from './outsiders';

/** The gates of every request and upgrade, in order (see above). */
export function requestGates(rt: Runtime): Koa.Middleware[] {
  const unchecked = rt.plugins.list().flatMap((p) => (p.manifest.routes ?? []).filter((r) => r.csrf === false));
  return [
    networkResolution(rt.networks, rt.config.allowedHosts),
    sessionViewer(rt.sessions, rt.users, rt.config.session.cookieName, rt.apiTokens),
    csrf(rt.config.secret, rt.config.limits, csrfExemptions(unchecked), rt.config.session.cookieName),
    bodyParser(rt.config.limits),
    localeResolution(rt.i18n),
    charterGate(rt.charters),
  ];
}

/** What a request reaches — a route or a socket path — as far as the gates are concerned. */
export interface GateTarget {
  /** `core`, or the plugin that declared it. */
  owner: string;
  /** Capability required in the request's network. */
  capability?: string;
  /** Open to signed-in members of other networks only (sign-in, account pages...). */
  outsiders?: boolean;
  /** `installation`: acting on installation-wide objects needs root rights. */
  scope?: 'installation';
}

/**
 * The target's gate. Resolves true when the request may go on; false when it has been
 * answered (an outsider's page); throws the HttpError of a refusal otherwise.
 */
export async function targetGate(ctx: RucheContext, target: GateTarget): Promise<boolean> {
  const rt = ctx.ruche;
  const network = ctx.state.network;
  if (!rt.pluginState.isEnabled(target.owner, network.id)) throw new HttpError(404);
  // A signed-in member of other networks only: their networks, not this one's pages.
  const outsider = isOutsider(ctx, network);
  if (outsider && !target.outsiders) {
    await refuseOutsider(ctx);
    return false;
  }
  if (
    target.capability &&
    !rt.permissions.can(ctx.state.viewer, target.capability, network.id) &&
    !(outsider && outsiderCan(ctx, target.capability))
  ) {
    // Guests are asked to sign in (the error boundary redirects pages to the login page).
    throw new HttpError(ctx.state.viewer ? 403 : 401);
  }
  // Installation-wide objects: root rights, whichever network the request comes through.
  if (target.scope === 'installation' && !rt.scopes.mayAct(ctx.state.viewer, target.capability!, INSTALLATION))
    throw new HttpError(ctx.state.viewer ? 403 : 401);
  return true;
}
