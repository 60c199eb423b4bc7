/** The status composer's view data, and the safe "go back to" target of forms. */
import { field, link, t, type RucheContext } from '../../core';
import { StatusService } from './service';

/** Levels offered for a status post: `network` only inside a sub-network (at the root it is "all members"). */
export function accessChoices(ctx: RucheContext, selected: string): { value: string; label: string; selected: boolean }[] {
  const levels = ['public', 'members', ...(ctx.state.network.slug === 'root' ? [] : ['network']), 'friends', 'private'];
  return levels.map((value) => ({ value, label: t(ctx, `core.access.${value}`), selected: value === selected }));
}

export function composer(
  ctx: RucheContext,
  input: { body?: string; access?: string; containerId?: number | null; allowed?: readonly string[] } = {},
  errors: Record<string, { key: string; params?: Record<string, unknown> }> = {},
): Record<string, unknown> {
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
  };
}

/** The current page's address with its network prefix (`/n/<slug>`), for `next` fields. */
export function here(ctx: RucheContext): string {
  return `${ctx.state.basePath}${ctx.path}`;
}

/** The form's `next` when it is a local path (and not one of `avoid`), else `fallback`. */
export function safeNext(ctx: RucheContext, fallback: string, avoid: string[] = []): string {
  const next = field(ctx, 'next');
  const local = next.startsWith('/') && !next.startsWith('//') && !next.includes('\\');
  return local && !avoid.includes(next.split('?')[0]) ? next : fallback;
}
