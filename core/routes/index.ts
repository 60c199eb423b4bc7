import type { RouteDef } from '../plugins/manifest';
import { authRoutes } from './auth';
import { homeRoutes } from './home';
import { setupRoutes } from './setup';
import { accountRoutes } from './account';
import { apiRoutes } from './api';
import { registerRoutes } from './register';
import { charterRoutes } from './charter';
import { memberRoutes } from './members';
import { brandingRoutes } from './branding';
import { avatarRoutes } from './avatars';
import { auditRoutes } from './audit';
import { dataRightsRoutes } from './data-rights';
import { webhookRoutes } from './webhooks';

/** The core's own pages. */
export const coreRoutes: RouteDef[] = [
  ...homeRoutes,
  ...authRoutes,
  ...setupRoutes,
  ...accountRoutes,
  ...apiRoutes,
  ...registerRoutes,
  ...charterRoutes,
  ...memberRoutes,
  ...brandingRoutes,
  ...avatarRoutes,
  ...auditRoutes,
  ...dataRightsRoutes,
  ...webhookRoutes,
];
