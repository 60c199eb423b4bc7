/** Named routes, so templates and handlers build URLs from names (`url 'blogs.view' id=3`). */
import type { HttpMethod } from '../plugins/manifest';

export interface NamedRoute {
  name: string;
  method: HttpMethod;
  path: string;
  owner: string;
}

export class RouteTable {
  private readonly byName = new Map<string, NamedRoute>();

  add(route: NamedRoute): void {
    if (this.byName.has(route.name)) throw new Error(`route name ${route.name} is registered twice`);
    this.byName.set(route.name, route);
  }

  get(name: string): NamedRoute | undefined {
    return this.byName.get(name);
  }

  all(): NamedRoute[] {
    return [...this.byName.values()];
  }

  /** Builds `<basePath><path>` with `:params` filled in (URL-encoded). Throws on an unknown name or missing param. */
  build(name: string, params: Record<string, unknown> = {}, basePath = ''): string {
    const route = this.byName.get(name);
    if (!route) throw new Error(`unknown route name "${name}"`);
    const path = route.path.replace(/:(\w+)\??/g, (_, key: string) => {
      const value = params[key];
      if (value === undefined || value === null || value === '') throw new Error(`route "${name}" needs parameter "${key}"`);
      return encodeURIComponent(String(value));
    });
    return basePath + path;
  }
}
