/** Named routes, so templates and handlers build URLs from names (`url 'blogs.view' id=3`). */
import type { HttpMethod, RouteDef } from '../plugins/manifest';

export interface NamedRoute {
  name: string;
  method: HttpMethod;
  path: string;
  owner: string;
  /** The declaration (handler, capability...) the router serves. */
  def?: RouteDef;
}

/** A path split once into literal text and `:param` names (even indexes literal, odd names). */
type CompiledPath = string[];

export class RouteTable {
  private readonly byName = new Map<string, NamedRoute>();
  private readonly compiled = new Map<string, CompiledPath>();

  add(route: NamedRoute): void {
    if (this.byName.has(route.name)) throw new Error(`route name ${route.name} is registered twice`);
    this.byName.set(route.name, route);
    this.compiled.set(route.name, route.path.split(/:(\w+)\??/g));
  }

  get(name: string): NamedRoute | undefined {
    return this.byName.get(name);
  }

  all(): NamedRoute[] {
    return [...this.byName.values()];
  }

  /** The routes with a handler, with their owner, in the order they were added (for the router). */
  served(): { owner: string; def: RouteDef }[] {
    return this.all().flatMap((r) => (r.def ? [{ owner: r.owner, def: r.def }] : []));
  }

  /** Builds `<basePath><path>` with `:params` filled in (URL-encoded). Throws on an unknown name or missing param. */
  build(name: string, params: Record<string, unknown> = {}, basePath = ''): string {
    const parts = this.compiled.get(name);
    if (!parts) throw new Error(`unknown route name "${name}"`);
    // Built on every link of every page: no regular expression here.
    let out = basePath + parts[0];
    for (let i = 1; i < parts.length; i += 2) {
      const value = params[parts[i]];
      if (value === undefined || value === null || value === '') throw new Error(`route "${name}" needs parameter "${parts[i]}"`);
      out += encodeURIComponent(String(value)) + parts[i + 1];
    }
    return out;
  }
}
