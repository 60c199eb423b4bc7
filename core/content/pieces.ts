/**
 * The pieces contract: rows of a plugin's own table that live inside an entity (a comment on
 * a post, a reply in a topic) or inside a conversation (a private message), and that other
 * plugins (moderation) act on without knowing their tables. A plugin declares each kind in its
 * manifest, `pieces: [{ kind: 'comment', read, withhold, remove }]`, and the core answers:
 *  - `pieceOf(rt, kind, id)`: the piece resolved (its parent entity or none, its author,
 *    network, group, excerpt, permalink, withheld or deleted);
 *  - `canSeePiece(rt, viewer, piece)`: the parent's visibility through the access model (for
 *    a piece outside any entity, the plugin's own `canSee`: a conversation's participants), and
 *    a withheld piece only for its author and the network's moderators;
 *  - `withholdPiece` / `removePiece`: hide, show again or delete it in the caller's transaction
 *    (the plugin keeps its counts, search text and notifications in step there);
 *  - `pieceActions(ctx, kind, pieces)`: the actions menu of pieces (`piece:actions`: "Report"),
 *    rendered by the owning plugin's template like the entities' menu; `pieceActionTemplates`
 *    for pieces a live view draws later (the chat).
 */
import type { Knex } from 'knex';
import { HttpError } from '../errors';
import type { Viewer } from '../auth/viewer';
import type { RucheContext } from '../http/context';
import type { EntityAction } from '../hooks/map';
import type { Runtime } from '../runtime';
import { plainTextOf } from '../views/markdown';

/** A piece as its plugin resolves it. */
export interface Piece {
  kind: string;
  id: number;
  networkId: number;
  authorId: number;
  /** The entity it is part of (a comment's post, a reply's topic); null for a message in a conversation. */
  entityId: number | null;
  /** The parent's title (the topic's, the post's...), or the conversation's subject; may be empty. */
  parentTitle: string;
  /** The piece's text, plain and shortened by the caller. */
  excerpt: string;
  /** Its permalink (path including the network's base path), or null. */
  href: string | null;
  withheld: boolean;
  deleted: boolean;
}

/** What a plugin declares for each kind of piece it keeps (`pieces` in its manifest). */
export interface PieceKindDef {
  /** A word, unique across plugins, at most 10 characters: `comment`, `reply`, `message`. */
  kind: string;
  /**
   * The i18n key (en and fr) saying what a piece of this kind is, with its author's `{name}`:
   * "A comment posted by {name}", "A reply posted by {name}" (the report form names it so).
   */
  subject: string;
  /**
   * The pieces of these ids that exist (deleted ones included, marked). With `db` (a
   * transaction), read with it alone: only the state counts there (titles may be left empty).
   */
  read: (rt: Runtime, ids: number[], opts: { basePath: string; db?: Knex }) => Promise<Piece[]>;
  /**
   * For a piece outside any entity (`entityId` null): whether the viewer may see it (a
   * conversation's participants). Pieces of an entity are seen by whoever sees the entity.
   */
  canSee?: (rt: Runtime, viewer: Viewer, piece: Piece) => Promise<boolean>;
  /** Withholds the piece (true) or shows it again (false), in `trx`: counts, search and notifications follow. */
  withhold: (rt: Runtime, id: number, withheld: boolean, trx: Knex.Transaction) => Promise<void>;
  /** Deletes the piece (as its author's own deletion does), in `trx`. */
  remove: (rt: Runtime, id: number, trx: Knex.Transaction) => Promise<void>;
}

/** A piece's `excerpt` from its Markdown body: plain text, at most `max` characters. */
export function pieceExcerpt(body: string, max = 400): string {
  const text = plainTextOf(body);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** A piece as the actions menu needs it (`piece:actions`). */
export interface PieceRef {
  kind: string;
  id: number;
  authorId: number;
  networkId: number;
  /** Hidden by a moderator: it gets no menu (nothing to report; its decisions are the moderation queue's). */
  withheld?: boolean;
}

/** An entry of a piece's actions menu: `entityId` holds the piece's id. */
export type PieceAction = EntityAction;

type PiecesRuntime = Pick<Runtime, 'plugins' | 'entities' | 'access'>;

/** The declaration of piece kind `kind`, or a 404 for a kind no plugin declares. */
export function pieceKind(rt: Pick<Runtime, 'plugins'>, kind: string): PieceKindDef {
  const def = rt.plugins.pieceKind(kind);
  if (!def) throw new HttpError(404);
  return def;
}

/** The piece `kind` `id`, or undefined when there is none. */
export async function pieceOf(rt: Runtime, kind: string, id: number, opts: { basePath?: string; db?: Knex } = {}): Promise<Piece | undefined> {
  if (!Number.isSafeInteger(id) || id <= 0) return undefined;
  const [piece] = await pieceKind(rt, kind).read(rt, [id], { basePath: opts.basePath ?? '', db: opts.db });
  return piece;
}

/** The pieces of one kind by id (those that exist). */
export async function piecesOf(rt: Runtime, kind: string, ids: number[], basePath = ''): Promise<Map<number, Piece>> {
  if (!ids.length) return new Map();
  const list = await pieceKind(rt, kind).read(rt, ids, { basePath });
  return new Map(list.map((p) => [p.id, p]));
}

/** Whether a withheld piece is still shown to `viewer`: its author and the network's moderators. */
export function seesWithheld(rt: Pick<Runtime, 'access'>, viewer: Viewer | null, piece: { authorId: number; networkId: number }): boolean {
  return !!viewer && viewer.status === 'active' && (viewer.id === piece.authorId || rt.access.canModerate(viewer, { network_id: piece.networkId }));
}

/**
 * Who reads pieces, as the statements that read them take it: an active member's id (0 for a
 * guest or a suspended member) and whether they moderate the network. A withheld piece is read
 * by its author and the moderators only (`seesWithheld`), so a plugin's reading statements
 * apply that rule themselves (`pieceSeenBindings`): a page is full and its counts are what the
 * reader may see.
 */
export interface PieceReader {
  id: number;
  moderates: boolean;
}

/** Nobody signed in: withheld pieces are never read. */
export const NO_PIECE_READER: PieceReader = { id: 0, moderates: false };

/** The reader of the pieces of network `networkId` that `viewer` is. */
export function pieceReader(rt: Pick<Runtime, 'access'>, viewer: Viewer | null, networkId: number): PieceReader {
  if (!viewer || viewer.status !== 'active') return NO_PIECE_READER;
  return { id: viewer.id, moderates: seesWithheld(rt, viewer, { authorId: 0, networkId }) };
}

/** A reading statement's condition that piece `alias` is one the reader sees whole: two placeholders, `pieceSeenBindings`. */
export const pieceSeen = (alias: string): string => `(${alias}.withheld = false or ${alias}.author_id = ? or ? = 1)`;

/** The bindings of a reading statement's `(x.author_id = ? or ? = 1)` (`pieceSeen`), in their order. */
export const pieceSeenBindings = (r: PieceReader): [number, number] => [r.id, r.moderates ? 1 : 0];

/**
 * The live withheld pieces of `table` (alias `w`) whose `column` is `parent` (an SQL expression:
 * a column of the outer statement, or `?`) that the reader sees: their own, all of them for a
 * moderator. A statement's `from ... where ...` tail, two placeholders after `parent`'s
 * (`pieceSeenBindings`). A plugin that keeps a counter leaving withheld pieces out (comments'
 * `comment_counts`, discussions' `reply_count`) adds these to it for the reader, through its
 * partial index of withheld rows.
 */
export const withheldSeenFrom = (table: string, column: string, parent: string): string =>
  `from ${table} as w where w.${column} = ${parent} and w.withheld and w.deleted_at is null and (w.author_id = ? or ? = 1)`;

/** How many of them (`withheldSeenFrom`), as a parenthesised subquery: the same placeholders. */
export const withheldSeenCount = (table: string, column: string, parent: string): string =>
  `(select count(*) ${withheldSeenFrom(table, column, parent)})`;

/** Whether the reader sees a piece whole (withheld: only its author and the moderators). */
export const readerSeesPiece = (r: PieceReader, p: { withheld: boolean; authorId: number }): boolean =>
  !p.withheld || r.moderates || (r.id > 0 && p.authorId === r.id);

/** Whether `viewer` may see the piece now: not deleted, its parent seen, and not withheld from them. */
export async function canSeePiece(rt: Runtime, viewer: Viewer | null, piece: Piece): Promise<boolean> {
  if (piece.deleted) return false;
  if (piece.withheld && !seesWithheld(rt, viewer, piece)) return false;
  if (piece.entityId !== null) {
    const e = await (rt as PiecesRuntime).entities.get(piece.entityId);
    return !!e && Number(e.network_id) === piece.networkId && (await rt.access.canSee(viewer, e));
  }
  const def = pieceKind(rt, piece.kind);
  return !!viewer && !!def.canSee && (await def.canSee(rt, viewer, piece));
}

/** The piece when `viewer` may see it; otherwise the access model's answer (401 for a guest, the same 404 as an unknown id). */
export async function requireVisiblePiece(rt: Runtime, viewer: Viewer | null, kind: string, id: number, basePath = ''): Promise<Piece> {
  const piece = await pieceOf(rt, kind, id, { basePath });
  if (piece && (await canSeePiece(rt, viewer, piece))) return piece;
  throw viewer && viewer.status === 'active' ? new HttpError(404) : new HttpError(401);
}

/** Withholds (or shows again) a piece in `trx`, through its plugin. */
export function withholdPiece(rt: Runtime, kind: string, id: number, withheld: boolean, trx: Knex.Transaction): Promise<void> {
  return pieceKind(rt, kind).withhold(rt, id, withheld, trx);
}

/** Deletes a piece in `trx`, through its plugin. */
export function removePiece(rt: Runtime, kind: string, id: number, trx: Knex.Transaction): Promise<void> {
  return pieceKind(rt, kind).remove(rt, id, trx);
}

/**
 * The actions menu of pieces the viewer sees (`piece:actions`), for a signed-in, active viewer:
 * the entries by piece id, in order. The owning plugin renders them (a link each: no JavaScript).
 * A piece a moderator hid (`withheld`, which its author and the moderators still see) gets none:
 * "Report" is never offered on what is hidden already.
 */
export async function pieceActions(ctx: RucheContext, all: readonly PieceRef[]): Promise<Map<number, PieceAction[]>> {
  const viewer = ctx.state.viewer;
  const out = new Map<number, PieceAction[]>();
  const pieces = all.filter((p) => !p.withheld);
  if (!viewer || viewer.status !== 'active' || !pieces.length) return out;
  const networkId = ctx.state.network.id;
  const actions = await ctx.ruche.hooks.filter('piece:actions', [], { ctx, networkId, viewer, pieces: [...pieces] });
  for (const a of [...actions].sort((x, y) => (x.order ?? 50) - (y.order ?? 50))) {
    const list = out.get(a.entityId);
    if (list) list.push(a);
    else out.set(a.entityId, [a]);
  }
  return out;
}

/** The id a live view's templates of piece actions stand on (`pieceActionTemplates`): never a real piece's. */
const PROBE_ID = 2_147_483_646;

/**
 * The actions menu `viewer` gets on a piece of `kind` written by someone else, as templates: the
 * `href` of each entry has `{id}` where the piece's id goes. For a live view that draws pieces
 * arriving after the page (the chat): the page carries these, and its script fills them in on
 * others' pieces (links that work without JavaScript once drawn). Empty for a guest.
 */
export async function pieceActionTemplates(ctx: RucheContext, kind: string): Promise<PieceAction[]> {
  const probe: PieceRef = { kind, id: PROBE_ID, authorId: 0, networkId: ctx.state.network.id };
  const entries = (await pieceActions(ctx, [probe])).get(PROBE_ID) ?? [];
  return entries.map((a) => ({ ...a, entityId: 0, href: a.href.split(String(PROBE_ID)).join('{id}') }));
}
