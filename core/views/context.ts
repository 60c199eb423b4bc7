import type { RucheContext } from '../http/context';
import type { Viewer } from '../auth/viewer';

/** What filters that shape a page receive: the request, its network, viewer and locale. */
export interface ViewContext {
  ctx: RucheContext;
  networkId: number;
  viewer: Viewer | null;
  locale: string;
}
