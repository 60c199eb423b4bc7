/**
 * Moderation: members report any piece of content or a member, with a reason, from the
 * actions menu the core renders on every card (`entity:actions`) or from a profile; the
 * network's reviewers (moderators and admins) and, for their group's content, group admins
 * work through a queue grouped by target and dismiss, hide (the author still sees it, marked),
 * delete or warn the author, optionally telling the reporters the outcome. Every decision is
 * written to the core's audit log. Watched words, per network, block, hold, flag or replace
 * words in everything saved (the core's `content:saving` filter). New-member safeguards (the
 * plugin's settings, off by default) hold a new member's first posts for review and limit how
 * many pieces and links a member may post per hour (safeguards.ts).
 */
import { definePlugin, onEvent, onFilter, registerService } from '../../core';
import type {} from '../groups/hooks';
import type {} from '../profiles/hooks';
import { auditLinks } from './audit-links';
import { REPORT, REVIEW, WORDS } from './constants';
import { DecisionsService } from './history';
import { historyRoutes } from './history-routes';
import { groupTab, hiddenMarks, pieceReportActions, profileReport, reportActions } from './menus';
import { migrations } from './migrations';
import { moderationNotifications } from './notifications';
import { ReportsService } from './reports';
import { moderationRoutes } from './routes';
import { screenNewMembers } from './safeguards';
import { queueScreened, screenWatchedWords } from './watchlist';
import { wordsRoutes } from './words-routes';

export default definePlugin({
  id: 'moderation',
  version: '1.0.0',
  name: 'moderation.plugin.name',
  description: 'moderation.plugin.description',
  core: '^1.0.0',
  defaultEnabled: true,
  integrations: ['groups', 'notifications', 'profiles'],
  permissions: [
    { id: REPORT, defaultRoles: ['member', 'moderator', 'admin'], description: 'moderation.permission.report' },
    { id: REVIEW, defaultRoles: ['moderator', 'admin'], description: 'moderation.permission.review' },
    { id: WORDS, defaultRoles: ['admin'], description: 'moderation.permission.words' },
  ],
  settings: {
    newMemberHeldPosts: { type: 'number', label: 'moderation.settings.newMemberHeldPosts', default: 0, min: 0, max: 50, integer: true },
    postsPerHour: { type: 'number', label: 'moderation.settings.postsPerHour', default: 0, min: 0, max: 1000, integer: true },
    linksPerHour: { type: 'number', label: 'moderation.settings.linksPerHour', default: 0, min: 0, max: 1000, integer: true },
  },
  routes: [...moderationRoutes, ...historyRoutes, ...wordsRoutes],
  templates: [
    'report',
    'queue',
    'history',
    'decision',
    'mine',
    'warning',
    'words',
    'partials/hidden',
    'partials/profile-report',
    'partials/details',
    'partials/decision',
  ],
  menus: [
    { menu: 'user', id: 'moderation', label: 'moderation.menu.queue', route: 'moderation.queue', capability: REVIEW, order: 80 },
    { menu: 'admin', id: 'moderation-words', label: 'moderation.menu.words', route: 'moderation.words', capability: WORDS, order: 45 },
  ],
  hooks: [
    onFilter('content:saving', screenWatchedWords),
    onFilter('content:saving', screenNewMembers),
    onEvent('content:screened', queueScreened),
    onFilter('entity:actions', reportActions),
    onFilter('piece:actions', pieceReportActions),
    onFilter('entity:panels', async (panels, { ctx, entities }) => [...panels, ...(await hiddenMarks(ctx, entities))]),
    onFilter('profiles:sections', profileReport),
    onFilter('groups:tabs', groupTab),
    onFilter('audit:links', auditLinks),
    ...moderationNotifications,
  ],
  migrations,
  i18n: 'i18n',
  services(container) {
    registerService(container, ReportsService);
    registerService(container, DecisionsService);
  },
});
