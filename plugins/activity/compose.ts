/** The status composer's view data. */
import { attachmentField, field, here, link, t, type RucheContext } from '../../core';
import type { ComposerAction } from './hooks';
import { STATUS, StatusService } from './service';

/** Levels offered for a status post: the core's choice for personal content. */
export function accessChoices(ctx: RucheContext, selected: string): { value: string; label: string; selected: boolean }[] {
  return ctx.ruche.access
    .offeredLevels(ctx.state.network.id)
    .map((value) => ({ value, label: t(ctx, `core.access.${value}`), selected: value === selected }));
}

export async function composer(
  ctx: RucheContext,
  input: { body?: string; access?: string; containerId?: number | null; allowed?: readonly string[] } = {},
  errors: Record<string, { key: string; params?: Record<string, unknown> }> = {},
  attachProblems: readonly string[] = [],
): Promise<Record<string, unknown>> {
  const s = ctx.ruche.container.resolve(StatusService);
  const networkId = ctx.state.network.id;
  const access = input.access ?? s.defaultAccess(networkId);
  return {
    action: link(ctx, 'activity.status.create'),
    body: input.body ?? '',
    max: s.maxLength(networkId),
    container: input.containerId ?? null,
    choices: input.containerId
      ? (input.allowed?.length ? input.allowed : ['group']).map((value) => ({
          value,
          label: t(ctx, `core.access.${value}`),
          selected: value === access,
        }))
      : accessChoices(ctx, access),
    next: ctx.method === 'GET' ? here(ctx) : field(ctx, 'next'),
    bodyError: errors.body ? t(ctx, errors.body.key, errors.body.params) : null,
    accessError: errors.access ? t(ctx, errors.access.key, errors.access.params) : null,
    mentionsApi: link(ctx, 'activity.api.mentions'),
    // Files attached to the post, where a plugin keeps files (core/content/attachments.ts).
    attach: await attachmentField(ctx, STATUS),
    attachProblems,
    actions: (await composerActions(ctx)).map((a) => ({ id: a.id, label: a.label })),
  };
}

/** The other plugins' buttons beside "Post" (`activity:composerActions`). */
export const composerActions = (ctx: RucheContext): Promise<ComposerAction[]> => ctx.ruche.hooks.filter('activity:composerActions', [], { ctx });
