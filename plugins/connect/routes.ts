/**
 * The pages: my code (QR and short code, a new one on demand, the switch), the page a code
 * opens (who it is, "met at", connect), the typed-code form, the QR image and "People I met".
 * Handlers are thin: refusals are the service's localised HttpErrors. The GETs write nothing:
 * codes are issued by the POSTs (show my code, a new code, turning the feature on).
 */
import { clientAddress, field, HttpError, link, queryParam, t, titledPage, type RouteDef, type RouteResult, type RucheContext } from '../../core';
import { normaliseCode, shownCode } from './codes';
import { ConnectService, NOTE_MAX } from './service';
import { badgesRoutes } from './badges';
import { qrSvg } from './qr';
import { metView } from './view';

export const USE = 'connect.use';

const service = (ctx: RucheContext): ConnectService => ctx.ruche.container.resolve(ConnectService);
const viewerId = (ctx: RucheContext): number => ctx.state.viewer!.id;
const networkId = (ctx: RucheContext): number => ctx.state.network.id;

/** My code's page; `typed` re-shows a code typed in the form with its error. */
async function homePage(ctx: RucheContext, typed?: { value: string; error: string }, status?: number): Promise<RouteResult> {
  const s = service(ctx);
  const off = await s.isOff(viewerId(ctx), networkId(ctx));
  const current = off ? null : await s.current(viewerId(ctx), networkId(ctx));
  return {
    ...titledPage(ctx, 'connect/home', 'connect.home.title', {
      off,
      // Without a current code (none yet today, or it expired), a button asks for one.
      code: current && {
        raw: current.code,
        shown: shownCode(current.code),
        qr: link(ctx, 'connect.qr', { code: current.code }),
        expiresAt: current.expiresAt,
      },
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
    const owner = await service(ctx).lookUp(code, networkId(ctx), viewerId(ctx), clientAddress(ctx));
    return {
      ...titledPage(ctx, 'connect/open', 'connect.open.title', { owner, code, note, noteError, noteMax: NOTE_MAX }, { name: owner.display_name }),
      status: noteError ? 422 : undefined,
    };
  } catch (e) {
    if (!(e instanceof HttpError)) throw e;
    retryLater(ctx, e);
    return homePage(ctx, { value: ctx.params?.code ?? '', error: t(ctx, e.messageKey, e.params) }, e.status);
  }
}

/** A refusal for guessing too many codes says when to try again. */
function retryLater(ctx: RucheContext, e: HttpError): void {
  if (e.status === 429) ctx.set('Retry-After', String(Number(e.params.minutes) * 60));
}

const switchRoute = (name: 'on' | 'off'): RouteDef => ({
  name: `connect.${name}`,
  method: 'POST',
  path: `/connect/${name}`,
  capability: USE,
  async handler(ctx) {
    await service(ctx).setOff(viewerId(ctx), networkId(ctx), name === 'off');
    return { redirect: link(ctx, 'connect.home'), flash: `connect.flash.${name}` };
  },
});

export const connectRoutes: RouteDef[] = [
  ...badgesRoutes(USE),
  { name: 'connect.home', method: 'GET', path: '/connect', capability: USE, handler: (ctx) => homePage(ctx) },
  {
    name: 'connect.rotate',
    method: 'POST',
    path: '/connect/rotate',
    capability: USE,
    async handler(ctx) {
      if (await service(ctx).isOff(viewerId(ctx), networkId(ctx))) throw new HttpError(409, 'connect.error.off');
      const replaces = normaliseCode(field(ctx, 'replaces'));
      await service(ctx).rotate(viewerId(ctx), networkId(ctx), replaces);
      return { redirect: link(ctx, 'connect.home'), flash: replaces ? 'connect.flash.rotated' : 'connect.flash.issued' };
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
      if (!code || (await s.isOff(viewerId(ctx), networkId(ctx))) || (await s.current(viewerId(ctx), networkId(ctx)))?.code !== code)
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
      const code = normaliseCode(ctx.params?.code ?? '');
      const { owner, outcome } = await service(ctx)
        .scan(networkId(ctx), viewerId(ctx), code, note, clientAddress(ctx))
        .catch((e: unknown) => {
          if (e instanceof HttpError) retryLater(ctx, e);
          throw e;
        });
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
