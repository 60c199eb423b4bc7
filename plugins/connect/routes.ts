/**
 * The pages: my code (QR and short code, a new one on demand, the switch), the page a code
 * opens (who it is, "met at", connect), the typed-code form, the QR image and "People I met".
 * Handlers are thin: refusals are the service's localised HttpErrors.
 */
import { field, HttpError, link, queryParam, t, titledPage, type RouteDef, type RouteResult, type RucheContext } from '../../core';
import { normaliseCode, shownCode } from './codes';
import { ConnectService, NOTE_MAX } from './service';
import { badgesRoute } from './badges';
import { qrSvg } from './qr';
import { metView } from './view';

export const USE = 'connect.use';

const service = (ctx: RucheContext): ConnectService => ctx.ruche.container.resolve(ConnectService);
const viewerId = (ctx: RucheContext): number => ctx.state.viewer!.id;
const networkId = (ctx: RucheContext): number => ctx.state.network.id;

/** My code's page; `typed` re-shows a code typed in the form with its error. */
async function homePage(ctx: RucheContext, typed?: { value: string; error: string }, status?: number): Promise<RouteResult> {
  const s = service(ctx);
  const off = await s.isOff(viewerId(ctx));
  const current = off ? null : await s.current(viewerId(ctx), networkId(ctx));
  return {
    ...titledPage(ctx, 'connect/home', 'connect.home.title', {
      off,
      code: current && { shown: shownCode(current.code), qr: link(ctx, 'connect.qr', { code: current.code }), expiresAt: current.expiresAt },
      name: ctx.state.viewer!.displayName,
      typed: typed ?? { value: '', error: '' },
    }),
    status,
  };
}

/** The page a code opens: who it belongs to and the "met at" form; an unknown code is a 404 page with the typing form. */
async function openPage(ctx: RucheContext, note = '', noteError = ''): Promise<RouteResult> {
  const code = normaliseCode(ctx.params?.code ?? '');
  try {
    const owner = await service(ctx).owner(code, networkId(ctx), viewerId(ctx));
    return {
      ...titledPage(ctx, 'connect/open', 'connect.open.title', { owner, code, note, noteError, noteMax: NOTE_MAX }, { name: owner.display_name }),
      status: noteError ? 422 : undefined,
    };
  } catch (e) {
    if (!(e instanceof HttpError)) throw e;
    return homePage(ctx, { value: ctx.params?.code ?? '', error: t(ctx, e.messageKey, e.params) }, e.status);
  }
}

const switchRoute = (name: 'on' | 'off'): RouteDef => ({
  name: `connect.${name}`,
  method: 'POST',
  path: `/connect/${name}`,
  capability: USE,
  async handler(ctx) {
    await service(ctx).setOff(viewerId(ctx), name === 'off');
    return { redirect: link(ctx, 'connect.home'), flash: `connect.flash.${name}` };
  },
});

export const connectRoutes: RouteDef[] = [
  badgesRoute(USE),
  { name: 'connect.home', method: 'GET', path: '/connect', capability: USE, handler: (ctx) => homePage(ctx) },
  {
    name: 'connect.rotate',
    method: 'POST',
    path: '/connect/rotate',
    capability: USE,
    async handler(ctx) {
      if (await service(ctx).isOff(viewerId(ctx))) throw new HttpError(409, 'connect.error.off');
      await service(ctx).rotate(viewerId(ctx), networkId(ctx));
      return { redirect: link(ctx, 'connect.home'), flash: 'connect.flash.rotated' };
    },
  },
  switchRoute('off'),
  switchRoute('on'),
  {
    // The QR of the viewer's own current code only: an old or another's code is a 404.
    name: 'connect.qr',
    method: 'GET',
    path: '/connect/qr/:code',
    capability: USE,
    async handler(ctx) {
      const s = service(ctx);
      const code = normaliseCode(ctx.params?.code ?? '');
      if (!code || (await s.isOff(viewerId(ctx))) || (await s.current(viewerId(ctx), networkId(ctx))).code !== code)
        throw new HttpError(404, 'connect.error.unknownCode');
      ctx.type = 'image/svg+xml';
      ctx.set('Cache-Control', 'private, no-store');
      ctx.body = await qrSvg(ctx, code);
    },
  },
  {
    name: 'connect.go',
    method: 'GET',
    path: '/connect/go',
    capability: USE,
    async handler(ctx) {
      const typed = queryParam(ctx, 'code');
      // Nothing typed: nothing to find, back to the page.
      if (!typed.trim()) return { redirect: link(ctx, 'connect.home') };
      const code = normaliseCode(typed);
      if (!code) return homePage(ctx, { value: typed, error: t(ctx, 'connect.error.badCode') }, 422);
      return { redirect: link(ctx, 'connect.open', { code }) };
    },
  },
  { name: 'connect.open', method: 'GET', path: '/connect/c/:code', capability: USE, handler: (ctx) => openPage(ctx) },
  {
    name: 'connect.scan',
    method: 'POST',
    path: '/connect/c/:code',
    capability: USE,
    async handler(ctx) {
      const note = field(ctx, 'note').trim();
      if (note.length > NOTE_MAX) return openPage(ctx, note, t(ctx, 'connect.error.noteTooLong', { max: NOTE_MAX }));
      const { owner, outcome } = await service(ctx).scan(networkId(ctx), viewerId(ctx), normaliseCode(ctx.params?.code ?? ''), note);
      const flash = { key: `connect.flash.${outcome}`, params: { name: owner.display_name } };
      return { redirect: link(ctx, outcome === 'requested' ? 'connect.home' : 'connect.met'), flash };
    },
  },
  {
    name: 'connect.met',
    method: 'GET',
    path: '/connect/met',
    capability: USE,
    async handler(ctx) {
      const people = await service(ctx).met(viewerId(ctx), networkId(ctx));
      return titledPage(ctx, 'connect/met', 'connect.met.title', { people: await metView(ctx, people) });
    },
  },
];
