/** The sso-saml plugin's id and its routes' paths. */
export const SSO_SAML_PLUGIN_ID = 'sso-saml';
/** The name `ruche sso test` knows the plugin's provider by. */
export const PROVIDER_NAME = 'saml';
export const METADATA_PATH = '/sso/saml/metadata';
export const START_PATH = '/sso/saml/start';
/** The assertion consumer service: the identity provider posts its answer here. */
export const ACS_PATH = '/sso/saml/acs';
/** How long a started sign-in may take at the identity provider. */
export const REQUEST_TTL_MS = 10 * 60_000;
/** Clock difference tolerated with the identity provider on the assertion's validity window. */
export const CLOCK_SKEW_MS = 60_000;
