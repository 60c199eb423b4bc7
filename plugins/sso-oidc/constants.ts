/** The sso-oidc plugin's id, its routes' paths and its cookie. */
export const SSO_OIDC_PLUGIN_ID = 'sso-oidc';
/** The name `ruche sso test` knows the plugin's provider by. */
export const PROVIDER_NAME = 'oidc';
export const START_PATH = '/sso/oidc/start';
export const CALLBACK_PATH = '/sso/oidc/callback';
/** Binds a sign-in under way to the browser that started it (holds its state). */
export const STATE_COOKIE = 'ruche_oidc_state';
/** How long the ID token of a session is kept for signing out at the provider (the longest a session lasts). */
export const SESSION_TTL_MS = 90 * 24 * 60 * 60_000;
/** How long a started sign-in may take at the provider. */
export const LOGIN_TTL_MS = 10 * 60_000;
