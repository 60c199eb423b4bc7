/**
 * The two pages of a plugin's list: the network's at `path`, and a container's (a group's) at
 * `<path>/in/:containerId`, both served by one `list(ctx, containerId)` (null for the network's).
 * An id that is not one (`/in/abc`) lists container -1, which no one may see: the list's own
 * check answers it as any unknown container.
 */
import type { RouteDef, RouteResult } from '../plugins/manifest';
import type { RucheContext } from './context';
import { idParam } from './params';

export function listRoutes(
  names: { network: string; container: string },
  path: string,
  list: (ctx: RucheContext, containerId: number | null) => Promise<RouteResult>,
): RouteDef[] {
  return [
    { name: names.network, method: 'GET', path, public: true, handler: (ctx) => list(ctx, null) },
    {
      name: names.container,
      method: 'GET',
      path: `${path}/in/:containerId`,
      public: true,
      handler: (ctx) => list(ctx, idParam(ctx, 'containerId') || -1),
    },
  ];
}
