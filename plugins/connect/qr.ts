/** A code's QR: the SVG of its absolute address on the network's host (`qrcode`). */
import QRCode from 'qrcode';
import { networkUrl, type RucheContext } from '../../core';

/** The address a code's QR encodes: on the network's own host (or its /n/<slug>), absolute. */
export const codeUrl = (ctx: RucheContext, code: string): string =>
  `${networkUrl(ctx.ruche.config.siteUrl, ctx.state.network)}${ctx.ruche.routes.build('connect.open', { code }, '')}`;

export const qrSvg = (ctx: RucheContext, code: string): Promise<string> =>
  QRCode.toString(codeUrl(ctx, code), { type: 'svg', margin: 2, errorCorrectionLevel: 'M' });

/** The QR as an image address a page can hold (a badge sheet: one image per attendee, no extra request). */
export const qrDataUrl = async (ctx: RucheContext, code: string): Promise<string> =>
  `data:image/svg+xml;base64,${Buffer.from(await qrSvg(ctx, code)).toString('base64')}`;
