import type { Migration } from '../migration';
import { coreSchema } from './001_core';
import { accessRelations } from './002_access';
import { authTables } from './003_auth';
import { registration } from './004_registration';
import { content } from './005_content';
import { networkIsolation } from './006_network_isolation';
import { networkBranding } from './007_network_branding';
import { performanceIndexes } from './008_performance_indexes';
import { entityCountsIndex } from './009_entity_counts_index';
import { registrationNetwork } from './010_registration_network';
import { loginAttemptsRefused } from './011_login_attempts_refused';
import { invitationSenders } from './012_invitation_senders';
import { contentState } from './013_content_state';
import { cacheVersions } from './014_cache_versions';
import { userPhoto } from './015_user_photo';
import { activityContainer } from './016_activity_container';
import { contentMentions } from './017_content_mentions';
import { userTimeZone } from './018_user_time_zone';
import { auditLog } from './019_audit_log';
import { userIdentities } from './020_user_identities';
import { activityTime } from './021_activity_time';
import { searchQueue } from './022_search_queue';
import { apiConventions } from './023_api_conventions';
import { memberData } from './024_member_data';
import { userSuspension } from './025_user_suspension';
import { ssoRules } from './026_sso_rules';
import { webhooks } from './028_webhooks';
import { apiRateWindows } from './031_api_rate_windows';
import { networkBans } from './035_network_bans';
import { identityRoles } from './036_identity_roles';
import { withheldContent } from './039_withheld_content';
import { bots } from './040_bots';
import { apiTokenNonce } from './042_api_token_nonce';
import { entitiesOwnerTypeIndex } from './043_entities_owner_type_index';
import { activitySourcesIndex } from './044_activity_sources_index';
import { auditRef } from './047_audit_ref';
import { entitiesVersion } from './049_entities_version';
import { usersCardVersion } from './050_users_card_version';

/** The core's migrations, in order. Plugins list their own in their manifest. */
export const coreMigrations: readonly Migration[] = [
  coreSchema,
  accessRelations,
  authTables,
  registration,
  content,
  networkIsolation,
  networkBranding,
  performanceIndexes,
  entityCountsIndex,
  registrationNetwork,
  loginAttemptsRefused,
  invitationSenders,
  contentState,
  cacheVersions,
  userPhoto,
  activityContainer,
  contentMentions,
  userTimeZone,
  auditLog,
  userIdentities,
  activityTime,
  searchQueue,
  apiConventions,
  memberData,
  userSuspension,
  ssoRules,
  webhooks,
  apiRateWindows,
  networkBans,
  identityRoles,
  withheldContent,
  bots,
  apiTokenNonce,
  entitiesOwnerTypeIndex,
  activitySourcesIndex,
  auditRef,
  entitiesVersion,
  usersCardVersion,
];
