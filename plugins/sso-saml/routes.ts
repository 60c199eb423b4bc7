/** This service's metadata, and the two steps of a SAML sign-in: off to the provider, and its answer posted back. */
import { completeExternalSignIn, field, signInFailure, startExternalSignIn, type RouteDef, type RucheContext } from '../../core';
import { ACS_PATH, METADATA_PATH, START_PATH } from './constants';
import { SamlSignIn } from './service';

const service = (ctx: RucheContext): SamlSignIn => ctx.ruche.container.resolve(SamlSignIn);

export const samlRoutes: RouteDef[] = [
  {
    name: 'sso-saml.metadata',
    method: 'GET',
    path: METADATA_PATH,
    public: true,
    outsiders: true,
    handler(ctx) {
      ctx.type = 'application/samlmetadata+xml; charset=utf-8';
      ctx.body = service(ctx).metadata(ctx.state.network);
    },
  },
  {
    name: 'sso-saml.start',
    method: 'GET',
    path: START_PATH,
    public: true,
    outsiders: true,
    handler: (ctx) => startExternalSignIn(ctx, 'sso-saml', (network, next) => service(ctx).start(network, next)),
  },
  // The provider's answer comes in a form the browser posts from the provider's page: no CSRF
  // token, no session read; the signed assertion answering a request of this network authorises it.
  {
    name: 'sso-saml.acs',
    method: 'POST',
    path: ACS_PATH,
    public: true,
    csrf: false,
    outsiders: true,
    async handler(ctx) {
      const finished = await service(ctx).finish(ctx.state.network, field(ctx, 'SAMLResponse'));
      if ('failure' in finished) return signInFailure(ctx, finished.failure, { plugin: 'sso-saml', ...finished.details });
      return completeExternalSignIn(ctx, finished.identity, finished.next);
    },
  },
];
