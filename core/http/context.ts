/** The Koa context as Ruche handlers see it. */
import type Koa from 'koa';
import type { Viewer } from '../auth/viewer';
import type { Runtime } from '../runtime';
import type { Branding } from '../branding';
import type { ResolvedToken } from '../auth/api-tokens';

export interface NetworkInfo {
  id: number;
  slug: string;
  name: string;
  host: string | null;
  parentId: number | null;
  joinPolicy: string;
  allowGuests: boolean;
  theme: string;
  locale: string;
  /** Email domains accepted when joinPolicy is `domain` (lowercase, without @). */
  joinDomains: string[];
  /** Usage charter (Markdown) members must accept; version 0 means none. */
  charter: string | null;
  charterVersion: number;
  /** A sub-network whose self-registered members join it only, not the root (a partner company). */
  isolated: boolean;
  /**
   * Members sign in through the network's identity providers only: the password form answers
   * root administrators alone (the break-glass account), password registration is closed.
   */
  ssoOnly?: boolean;
  /** Colours and logo applied to the layout (core/branding.ts); nulls keep the theme's. */
  branding: Branding;
}

export interface RucheState {
  requestId: string;
  /** The network this request is for (root, `/n/<slug>` or a network's own host). */
  network: NetworkInfo;
  /** URL prefix of the network (`''` for root, `/n/<slug>` otherwise). */
  basePath: string;
  viewer: Viewer | null;
  sessionId: string | null;
  /** The personal token the request authenticated with (`Authorization: Bearer`), else null. */
  apiToken: ResolvedToken | null;
  locale: string;
  csrfToken: string;
  /** Name of the matched route, when a route matched. */
  routeName?: string;
}

/** `params` holds the matched route's path parameters (`/blogs/:id` → params.id). */
export type RucheContext = Koa.ParameterizedContext<RucheState, { ruche: Runtime; params: Record<string, string> }>;
