/**
 * The public API of the Ruche core: what plugins and tools import.
 * Plugins import from here (in this repository: `../../core`), nothing deeper.
 */
import 'reflect-metadata';

export { createApp, RucheApp, type CreateAppOptions } from './app';
export { listen, type RunningServer } from './server';
export { loadConfig, validateConfig, configFilePath, type RucheConfig, type ConfigInput } from './config';
export { openBase, boot, loadInstancePlugins, APP_ROOT } from './kernel';
export type { Runtime, BaseRuntime } from './runtime';
export { CORE_API_VERSION } from './version';
export { HttpError, StartupError, notFound, forbidden } from './errors';
export { oneOf } from './one-of';
export { Tokens, resolve, registerService, services, type ServiceName, type Token } from './container';
export { PluginHandle, PluginHandles } from './plugins/handle';
export { definePlugin, onEvent, onFilter } from './plugins/manifest';
export type {
  PluginManifest,
  SocketDef,
  RouteDef,
  RouteResult,
  FlashMessage,
  RouteHandler,
  ApiDef,
  PermissionDef,
  MenuDef,
  HookRegistration,
  HttpMethod,
} from './plugins/manifest';
export type { SettingsSchema, SettingDef, SettingsValues } from './plugins/settings';
export { PluginActionError } from './plugins/state';
export {
  addColumns,
  articleColumns,
  addIndex,
  createIndex,
  createTables,
  dropColumns,
  dropIndex,
  dropTables,
  entityIdColumn,
  entityMemberKey,
  memberPairColumns,
  entityKeyColumn,
  flagColumn,
  networkIdColumn,
  userIdColumn,
  type Migration,
} from './db/migration';
export { isUniqueViolation } from './db/errors';
export { createRowTrigger, dropRowTrigger, type RowTrigger } from './db/triggers';
export { foldedSql, foldStatements } from './db/fold-sql';
export { containsWord, createSubstringIndex, dropSubstringIndex, type SubstringIndex } from './db/substring-index';
export { idList, KeptBuilds, perDialect, preparedBuilder, preparedRead, readBuilt, type PreparedRead } from './db/statements';
export { runMigrationStep } from './db/migration-step';
export { typedRow, type RowColumnTypes } from './db/row-types';
export type {
  AccountLink,
  SignInProvider,
  SsoCheckReport,
  SsoSyncChange,
  SsoSyncReport,
  SsoCheckStep,
  HookEvents,
  HookFilters,
  HomeSection,
  HeaderIndicator,
  HeaderSearch,
  PageBanner,
  PageScript,
  PersonMatchedField,
} from './hooks/map';
export { HookBus, type EventHandler, type FilterHandler, type HookOptions } from './hooks/bus';
export type { SocketRequest, SocketHandler } from './realtime/sockets';
export { ACCESS_ENDED, endAccess, standingNow, type MemberSocket } from './realtime/member-sockets';
export type { RucheContext, RucheState, NetworkInfo } from './http/context';
export type { Viewer, Role, GrantRole } from './auth/viewer';
export { BOT_KIND, PERSON_KIND, ROLES } from './auth/viewer';
export type { MenuItem } from './views/menu';
export type { ViewContext } from './views/context';
export { bodyOf, field, valuesOf, type UploadRefusal } from './http/body';
export { csvField, csvLine } from './http/csv';
export { setFlash } from './http/flash';
export { setCookie } from './http/cookies';
export { renderPage } from './http/render';
export { install, isInstalled, type InstallOptions } from './install';
export { Scopes, INSTALLATION, networkScope, scopeOf, type Scope, type ScopedObject } from './access/scope';
export {
  Access,
  ACCESS_LEVELS,
  entityShape,
  isAccessLevel,
  isPublished,
  isWithheld,
  type AccessLevel,
  type AccessFacts,
  type RowFacts,
  type RowShape,
} from './access/access';
export { LOCALES, isLocale, type Locale } from './i18n/i18n';
export { INVITATIONS_PER_DAY, JOIN_POLICIES, isJoinPolicy, type JoinPolicy } from './auth/registration';
export { isValidEmail, type FieldErrors } from './auth/users';
export { deviceLabel } from './routes/account';
export {
  ExternalAccounts,
  SIGN_IN_FAILURES,
  SYNCED_FIELDS,
  type ExternalDecision,
  type ExternalIdentity,
  type ExternalRole,
  type ExternalSignInResult,
  type RoleChange,
  type SignInFailure,
  type SyncedField,
  type SyncedProfile,
} from './auth/external-accounts';
export { attributeText, attributeTexts, mappedIdentity, type AttributeMapping } from './auth/attribute-mapping';
export { groupRulesCheck, parseGroupRules, rolesOfGroups, type GroupRule } from './auth/group-roles';
export {
  completeExternalSignIn,
  signInFailure,
  ssoProviderHooks,
  startExternalSignIn,
  type ExternalSignInRefusal,
  type SsoProvider,
} from './http/external-sign-in';
export { buildMenu, renderEnv } from './http/render';
export { t, link, tagLinks, titledPage, adminPage } from './http/request-helpers';
export {
  activeViewer,
  back,
  beforeParam,
  escapeLike,
  here,
  hrefWith,
  idOf,
  idParam,
  isSafeNext,
  LIKE_ESCAPE,
  likeContains,
  likePrefix,
  MAX_PAGE,
  pageParam,
  pager,
  queryParam,
  requireReader,
  requireMember,
  safeNext,
  tagQuery,
  type Pager,
} from './http/params';
export { clientAddress } from './http/client-address';
/** The zod the core validates API input with: plugins declare their API schemas with it. */
export { z } from 'zod';
export { apiBody, apiParams, apiProblems, apiQuery, problemError } from './http/api/validation';
export {
  API_PAGE_MAX,
  apiCursor,
  apiCursorQuery,
  apiPageOf,
  apiPageQuery,
  decodeCursor,
  encodeCursor,
  keysetPage,
  nextLink,
  type CursorKey,
  type CursorPart,
} from './http/api/pagination';
export { apiReadRoute, type ApiReadRoute } from './http/api/read-route';
export { apiMember, apiMemberFields } from './http/api/shapes';
export { listRoutes } from './http/list-routes';
export { cursorParams, cursorPager, namedCursorParams, sortedCursorParams, type CursorNames } from './http/cursor-pager';
export {
  keysetCursor,
  keysetOrder,
  keysetPageOf,
  keysetQuery,
  pageRequest,
  readKeyset,
  readPage,
  whereAfterKey,
  type KeyColumn,
  type KeysetCursor,
  type KeysetOrder,
  type KeysetPage,
  type PageRequest,
  type SortKey,
} from './db/keyset';
export { formNonce, TOKEN_NAME_MAX, TOKEN_SCOPES, type FormToken, type TokenScope } from './auth/api-tokens';
export { signInThrottled, type SignInRefusal } from './http/sign-in-throttle';
export { uploadedFiles, sniffImage, readImage, type UploadedFile } from './http/multipart';
export { jpegSizes, loadSharp, type JpegBox } from './images';
export { createStorage, LocalStorage, serveStored, StorageKeyError, StorageRangeError, StorageTooLargeError, type ServeOptions } from './storage';
// The storage contract's types (what a driver implements and a plugin reads), as store.ts declares them.
export type * from './storage/store';
export { plainTextOf, renderMarkdown, Markdown } from './views/markdown';
export { accentBlindLike, containsWords, foldAccents, highlightedExcerpt, queryWords, wordsOf, type ExcerptPart } from './content/words';
export { Entities, type EntityRow, type NewEntity, type EntityPatch } from './content/entities';
export { entityWithDetails, type EntityDetails } from './content/entity-details';
export {
  columnSearch,
  latestTextById,
  piecesText,
  onSearchQueued,
  queueSearch,
  queueSearchOfType,
  type AttachedSearchDef,
  type EntitySearchDef,
  type SearchColumns,
  type SearchText,
} from './content/search';
export {
  ActivityLog,
  FEED_PAGE_SIZE,
  type ActivityInput,
  type ActivityItem,
  type FeedQuery,
  type FeedPage,
  type RiverRanges,
} from './content/activity-log';
export { MAX_RANGES } from './content/river-ranges';
export { cardVersionMigration, cardVersionTriggers, membersCardVersion } from './content/card-versions';
export { keptPageFacts, takeKept, type KeptPageFacts } from './content/kept-pages';
export type { KeptFragment } from './cache/fragments';
export { AuditLog, AUDIT_PAGE_SIZE, changes, type AuditEntry, type AuditLink, type AuditRow, type AuditQuery } from './audit/audit-log';
export { auditAction, type AuditAction } from './audit/audit-request';
export { entriesWithoutRef, setMissingRefs } from './audit/unlinked-entries';
export {
  erased,
  isErasureMode,
  ERASURE_MODES,
  type ErasureMode,
  type MemberDataPart,
  type MemberErasure,
  type MemberErasureContext,
  type MemberExportContext,
  type MemberFile,
} from './members/contract';
export {
  BOT_DESCRIPTION_MAX,
  BOT_NAME_MAX,
  BOT_SCOPES,
  Bots,
  botEmail,
  isBotScope,
  type BotChoices,
  type BotInput,
  type BotRow,
  type BotScope,
} from './members/bots';
export { BOT_OUT_OF_SCOPE, botOutOfScope } from './members/bot-scope';
export { completeDeletion } from './members/deletion';
export { BAN_REASON_MAX, NetworkBans, isBanned, type BanOutcome, type BanRefusal, type BanRow } from './members/bans';
export { memberDataHooks, memberRows, removeMemberRows, type MemberDataSpec, type MemberTablePart } from './members/plugin-data';
export { normaliseTag, parseTagField, extractHashtags, MAX_TAGS } from './content/tags';
export { networkUrl } from './network-url';
export { formatInZone, fromLocalInput, instantOf, isTimeZone, timeZones, toLocalInput, wallTime, zoneOr, type WallTime } from './time-zones';
export { BackgroundWork } from './background';
export { Jobs, backoffMs, type JobDef, type JobHandler, type JobContext, type ScheduleOptions } from './jobs/runner';
export type { EntityRef, EntityPanel, EntityAction, EntityContext, MentionedGroup } from './hooks/map';
export { screenContent, screeningRefused, contentScreened, type ContentDraft, type Screening, type ScreenedPlace } from './content/screening';
export { Mentions, MAX_MENTIONS, type HtmlLinker, type MentionDraft, type MentionPlace } from './content/mentions';
export { articleTags, mentionedNames, renderPlainText, linkMentionsInHtml, proseOfHtml, escapeHtml, type TextLinks } from './content/mention-text';
export { entityContexts, entityPanels, entityRef } from './content/panels';
export {
  canSeePiece,
  pieceActions,
  pieceActionTemplates,
  pieceExcerpt,
  pieceKind,
  pieceOf,
  pieceReader,
  pieceSeen,
  pieceSeenBindings,
  piecesOf,
  NO_PIECE_READER,
  readerSeesPiece,
  removePiece,
  requireVisiblePiece,
  seesWithheld,
  withheldSeenCount,
  withheldSeenFrom,
  withholdPiece,
  type Piece,
  type PieceAction,
  type PieceKindDef,
  type PieceReader,
  type PieceRef,
} from './content/pieces';
export { byEntityId, describeEach, type EntityItem } from './content/describe';
export {
  acceptAttachments,
  attachmentCards,
  attachmentField,
  attachmentParent,
  attachmentsDeleted,
  parentKey,
  rowAttachmentParent,
  type AttachmentBatch,
  type AttachmentCard,
  type AttachmentField,
  type AttachmentParent,
  type AttachmentParentView,
  type AttachmentPlace,
  type AttachmentRowParent,
} from './content/attachments';
export { entityHref, visibleEntityHref, type EntityLinkRuntime } from './content/entity-links';
export {
  containerPolicy,
  containerRole,
  networkContainers,
  Containers,
  type ContainerPolicy,
  type ContainerRole,
  type ContainerStanding,
} from './content/containers';
export {
  AVATAR_SIZES,
  avatarKey,
  avatarUrl,
  bothWays,
  initials,
  initialsSvg,
  personCards,
  personCardsOf,
  profileLinker,
  setPhotoKey,
  type AvatarSize,
  type PersonCard,
} from './content/people';
export type { PersonRow } from './auth/user-lookups';
export {
  excerptOf,
  validateArticle,
  type ArticleInput,
  type ArticleRow,
  type ArticleRules,
  type CleanArticle,
  type FieldProblem,
  type FieldProblems,
} from './content/article';
export {
  articleFormRoutes,
  blankArticle,
  personalOrContainerPosting,
  postedArticle,
  type ArticleForm,
  type ArticleFormInput,
  type ArticleFormService,
} from './content/article-form';
export { Avatars, MAX_AVATAR_BYTES, type AvatarImage, type AvatarProblem } from './content/avatars';
export { coverImages, COVER_SIZES, MAX_COVER_BYTES, type Cover, type CoverImages, type CoverSize } from './content/covers';
export { webhookEvent, entityPayload, personPayload, scopeViewer, type WebhookEventDef, type WebhookPayloadContext } from './webhooks/events';
export { Webhooks, WebhookInputError, type Webhook, type Delivery, type WebhookInput } from './webhooks/webhooks';
export { verifyWebhookSignature, webhookSignature, SIGNATURE_HEADER, TIMESTAMP_HEADER, EVENT_HEADER, DELIVERY_HEADER } from './webhooks/signing';
export { isPrivateAddress } from './webhooks/address-guard';
