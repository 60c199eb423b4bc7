/**
 * Bulk invitations from the members console: addresses pasted, or a CSV file uploaded
 * (invite-list.ts reads both). Any problem line refuses the whole submission with each
 * line named, and the list comes back in the form (a file's content too), so nothing is
 * lost; otherwise the core sends the invitations within the admins' daily cap
 * (rt.registration.inviteMany: existing members are skipped, a repeated submission sends
 * nothing twice) and the audit log records how many went.
 */
import { readFile } from 'node:fs/promises';
import { INVITATIONS_PER_DAY, auditAction, field, t, uploadedFiles, type RouteDef, type RouteResult, type RucheContext } from '../../../core';
import { ADMIN_ACCESS, type AdminPage } from '../constants';
import { MAX_INVITE_LINES, readInviteList } from './invite-list';

/** A CSV larger than this is refused before it is read. */
const MAX_CSV_BYTES = 512 * 1024;

export function inviteRoutes(page: AdminPage): RouteDef[] {
  const invitePage = (ctx: RucheContext, text: string, data: Record<string, unknown> = {}, status?: number): RouteResult =>
    page(
      ctx,
      'members-invite',
      t(ctx, 'admin.members.invite.title'),
      'admin.members',
      { text, cap: INVITATIONS_PER_DAY.admin, maxLines: MAX_INVITE_LINES, ...data },
      status,
    );

  /** The pasted list, followed by the uploaded file's lines; or a refusal of the file. */
  async function submitted(ctx: RucheContext): Promise<{ text: string; fileError?: string }> {
    const pasted = field(ctx, 'emails');
    const file = uploadedFiles(ctx).find((f) => f.field === 'csv' && f.size > 0);
    if (!file) return { text: pasted };
    if (file.size > MAX_CSV_BYTES) return { text: pasted, fileError: t(ctx, 'admin.members.invite.fileTooLarge', { kb: MAX_CSV_BYTES / 1024 }) };
    const content = (await readFile(file.path)).toString('utf8');
    if (content.includes('\u0000')) return { text: pasted, fileError: t(ctx, 'admin.members.invite.notText') };
    return { text: [pasted.trim(), content.trim()].filter(Boolean).join('\n') };
  }

  return [
    {
      name: 'admin.members.invite',
      method: 'GET',
      path: '/admin/members/invite',
      capability: ADMIN_ACCESS,
      handler: (ctx) => invitePage(ctx, ''),
    },
    {
      name: 'admin.members.invite.send',
      method: 'POST',
      path: '/admin/members/invite',
      capability: ADMIN_ACCESS,
      async handler(ctx) {
        const { text, fileError } = await submitted(ctx);
        if (fileError) return invitePage(ctx, text, { error: fileError }, 422);
        const list = readInviteList(text);
        const refusal = list.tooLong
          ? t(ctx, 'admin.members.invite.tooLong', { max: MAX_INVITE_LINES })
          : !list.emails.length && !list.problems.length
            ? t(ctx, 'admin.members.invite.empty')
            : list.problems.length
              ? t(ctx, 'admin.members.invite.problems', { count: list.problems.length })
              : undefined;
        if (refusal) {
          const problems = list.problems
            .slice(0, 200)
            .map((p) => ({ line: p.line, text: t(ctx, `admin.members.invite.line.${p.key}`, { text: p.text }) }));
          return invitePage(ctx, text, { error: refusal, problems }, 422);
        }
        const viewer = ctx.state.viewer!;
        const cap = INVITATIONS_PER_DAY.admin;
        const outcome = await ctx.ruche.registration.inviteMany(ctx.state.network, list.emails, viewer, cap, ctx.state.locale);
        if ('refused' in outcome) {
          return invitePage(
            ctx,
            text,
            { error: t(ctx, 'admin.members.invite.overCap', { count: list.emails.length, remaining: outcome.remaining, max: cap }) },
            429,
          );
        }
        await auditAction(ctx, {
          action: 'admin.member.invite',
          objectType: 'network',
          objectId: ctx.state.network.id,
          after: { sent: outcome.sent, skipped: outcome.skipped.length },
        });
        return invitePage(ctx, '', { sent: outcome.sent, skipped: outcome.skipped.join(', ') });
      },
    },
  ];
}
