/** The loaded plugins of an app, in dependency order, with lookups. */
import type { LoadedPlugin } from './loader';
import type { MigrationOwner } from '../db/migrator';
import type { EntityTypeDef } from './manifest';
import type { PieceKindDef } from '../content/pieces';

export class PluginRegistry {
  private readonly byId: Map<string, LoadedPlugin>;

  /** `core`: the core's own manifest (core/plugin.ts), wired first and always enabled. */
  constructor(
    readonly ordered: readonly LoadedPlugin[],
    readonly core?: LoadedPlugin,
  ) {
    this.byId = new Map(ordered.map((p) => [p.manifest.id, p]));
  }

  /** The plugins (not the core), in dependency order. */
  list(): readonly LoadedPlugin[] {
    return this.ordered;
  }

  /** Every manifest the app wires: the core's first, then the plugins in dependency order. */
  manifests(): readonly LoadedPlugin[] {
    return this.core ? [this.core, ...this.ordered] : this.ordered;
  }

  get(id: string): LoadedPlugin | undefined {
    return this.byId.get(id);
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  /** The declaration of an entity type (`entities` in a manifest) and the plugin that owns it. */
  entityType(type: string): (EntityTypeDef & { pluginId: string }) | undefined {
    for (const p of this.ordered) {
      const def = p.manifest.entities?.find((e) => e.type === type);
      if (def) return { ...def, pluginId: p.manifest.id };
    }
    return undefined;
  }

  /** The declaration of a kind of piece (`pieces` in a manifest) and the plugin that owns it. */
  pieceKind(kind: string): (PieceKindDef & { pluginId: string }) | undefined {
    for (const p of this.ordered) {
      const def = p.manifest.pieces?.find((k) => k.kind === kind);
      if (def) return { ...def, pluginId: p.manifest.id };
    }
    return undefined;
  }

  /** Whether an entity type declares a trait (`traits: ['commentable']`) other plugins attach to. */
  hasTrait(type: string, trait: string): boolean {
    return this.entityType(type)?.traits?.includes(trait) ?? false;
  }

  /** Plugins that list `id` in their dependsOn. */
  dependents(id: string): LoadedPlugin[] {
    return this.ordered.filter((p) => p.manifest.dependsOn?.includes(id));
  }

  /** Migration owners for the given plugin ids, in dependency order. */
  owners(ids: Iterable<string>): MigrationOwner[] {
    const wanted = new Set(ids);
    return this.ordered.filter((p) => wanted.has(p.manifest.id)).map((p) => ({ id: p.manifest.id, migrations: p.manifest.migrations ?? [] }));
  }
}
