/**
 * Files: documents and photos shared with the same access rules as every other content. A
 * file is a core entity (type `file`) with an access level; uploads go to "My files" or a
 * container's library (a group: folders, search, sort, a Files tab). The type is judged from
 * the bytes against the admin's allow-list; per-file size limit and quotas per member and per
 * group are checked before anything is stored. Images are re-encoded without their metadata
 * (variants: thumbnail, display; the original only when the admin keeps them). Every byte is
 * served after the access check, as an attachment unless it is a re-encoded image, sandboxed.
 *
 * Photos go in albums (albums.ts): entities too, whose level their photos follow. Files
 * attached to other content (attachments.ts) follow their parent's access.
 *
 * For other plugins: the `files:shared` and `files:deleted` events (hooks.ts), the `file`
 * entity type (commentable, reactable) and a file's context line (`entity:context`, context.ts).
 */
import { ACCESS_LEVELS, definePlugin, onEvent, onFilter, registerService } from '../../core';
import type {} from '../activity/hooks';
import type {} from '../groups/hooks';
import type { NotificationKind } from '../notifications/hooks';
import './hooks';
import { AlbumsService } from './albums';
import { acceptAttachments, attachField, attachmentCards, attachmentPanels, removeAttached } from './attachments';
import { ALBUM, DEFAULT_TYPES, FILE, USE } from './constants';
import { fileContexts } from './context';
import { describeFiles, groupTab } from './describe';
import { migrations } from './migrations';
import { filesRoutes } from './routes';
import { FilesService } from './service';
import { albumSearch, fileSearch } from './search-text';
import { SCAN_JOB, scanPending } from './scan';
import { SWEEP_EVERY_MS, SWEEP_JOB, sweepOrphans } from './sweep';
import { memberData } from './member-data';
import { refuseOverQuota } from './upload-screen';

/** Told to the uploader when a scanner refused their file, by its name (it is gone: the link is their files). */
const refusedKind: NotificationKind = {
  id: 'files.refused',
  defaultFrequency: 'immediately',
  async resolve(rt, n, recipient, basePath) {
    const refusal = (await rt
      .db('files_refusals')
      .where({ id: n.objectId ?? 0, user_id: recipient.id })
      .first('name')) as { name: string } | undefined;
    return {
      href: rt.routes.build('files.mine', {}, basePath),
      ...(refusal ? { sentence: 'files.notifications.refused.named', values: { name: refusal.name } } : {}),
    };
  },
};

export default definePlugin({
  id: 'files',
  version: '1.0.0',
  name: 'files.plugin.name',
  description: 'files.plugin.description',
  core: '^1.0.0',
  defaultEnabled: true,
  integrations: ['activity', 'groups', 'notifications'],
  entities: [
    { type: FILE, viewRoute: 'files.view', accessLevels: ACCESS_LEVELS, traits: ['commentable', 'reactable'], search: fileSearch },
    { type: ALBUM, viewRoute: 'files.album', accessLevels: ACCESS_LEVELS, traits: ['commentable', 'reactable'], search: albumSearch },
  ],
  permissions: [{ id: USE, defaultRoles: ['member', 'moderator', 'admin'], description: 'files.permission.use' }],
  settings: {
    allowedTypes: { type: 'text', label: 'files.settings.allowedTypes', default: DEFAULT_TYPES, maxLength: 4000 },
    maxFileMb: { type: 'number', label: 'files.settings.maxFileMb', default: 10, min: 1, max: 4096, integer: true },
    memberQuotaMb: { type: 'number', label: 'files.settings.memberQuotaMb', default: 500, min: 0, max: 1_000_000, integer: true },
    groupQuotaMb: { type: 'number', label: 'files.settings.groupQuotaMb', default: 2000, min: 0, max: 1_000_000, integer: true },
    keepOriginals: { type: 'boolean', label: 'files.settings.keepOriginals', default: false },
    defaultAccess: {
      type: 'choice',
      label: 'files.settings.defaultAccess',
      default: 'members',
      choices: ['public', 'members', 'network', 'friends', 'private'],
    },
  },
  routes: filesRoutes,
  templates: [
    'list',
    'file',
    'album',
    'partials/upload',
    'partials/summary',
    'partials/albums',
    'partials/attach',
    'partials/attached',
    'partials/chip',
  ],
  menus: [{ menu: 'main', id: 'files', label: 'files.menu.files', route: 'files.mine', order: 45 }],
  hooks: [
    ...memberData,
    onFilter('activity:describe', describeFiles),
    onFilter('groups:tabs', groupTab),
    onFilter('notifications:kinds', (list) => [...list, refusedKind]),
    // Attachments: the core's contract (core/content/attachments.ts), answered here.
    onFilter('attachments:field', attachField),
    onFilter('attachments:accept', acceptAttachments),
    onFilter('upload:beforeRead', refuseOverQuota),
    onFilter('attachments:cards', attachmentCards),
    onFilter('entity:panels', attachmentPanels),
    // A file's context line where it is shown away from its page (the moderation queue).
    onFilter('entity:context', fileContexts),
    onEvent('attachments:deleted', removeAttached),
  ],
  jobs: [
    // Scanners that cannot answer now (clamd down) throw: tried again with the runner's backoff.
    { kind: SCAN_JOB, maxAttempts: 10, handler: (payload, rt) => scanPending(rt, payload) },
    {
      kind: SWEEP_JOB,
      everyMs: SWEEP_EVERY_MS,
      maxAttempts: 1,
      async handler(_payload, rt, job) {
        const freed = await sweepOrphans(rt, job.now);
        rt.plugin('files').logger.info({ freed }, 'files: orphan sweep');
      },
    },
  ],
  migrations,
  i18n: 'i18n',
  services(container) {
    registerService(container, FilesService);
    registerService(container, AlbumsService);
  },
});
