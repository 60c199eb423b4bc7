/**
 * The watched words page of the admin area (`/admin/moderation/words`, holders of
 * `moderation.words`: admins by default): the network's list, a form adding words (one per
 * line, an action each batch, a replacement for `replace`) and a remove button per word. A
 * refused form is shown again with what was typed and a 400; adding a word again changes its
 * action (a double submit leaves one row). Every change is written to the audit log.
 */
import {
  adminPage,
  auditAction,
  field,
  idParam,
  link,
  notFound,
  requireMember,
  t,
  type RouteDef,
  type RouteResult,
  type RucheContext,
} from '../../core';
import { WORDS } from './constants';
import { entryProblem, isWatchAction, WATCH_ACTIONS } from './watched-words';
import { addWords, countWords, findWord, listWords, MAX_WORDS, removeWord } from './watchlist';

const MAX_REPLACEMENT = 100;

interface WordsForm {
  words: string;
  action: string;
  replacement: string;
}

async function wordsPage(ctx: RucheContext, values: WordsForm, errors: Record<string, string> = {}): Promise<RouteResult> {
  const rows = (await listWords(ctx.ruche, ctx.state.network.id)) as { id: number; pattern: string; action: string; replacement: string }[];
  const hasErrors = Object.keys(errors).length > 0;
  return adminPage(
    ctx,
    'moderation/words',
    t(ctx, 'moderation.words.title'),
    'moderation.words',
    {
      values,
      errors,
      hasErrors,
      max: MAX_WORDS,
      actions: WATCH_ACTIONS.map((a) => ({
        value: a,
        label: t(ctx, `moderation.words.action.${a}`),
        hint: t(ctx, `moderation.words.hint.${a}`),
        checked: values.action === a,
      })),
      words: rows.map((r) => ({
        id: r.id,
        pattern: r.pattern,
        action: t(ctx, `moderation.words.action.${r.action}`),
        replacement: r.action === 'replace' ? r.replacement || '***' : '',
        remove: link(ctx, 'moderation.words.remove', { id: r.id }),
      })),
      count: rows.length,
    },
    hasErrors ? 400 : undefined,
  );
}

/** Checks the form: the words (one per line), the action and the replacement; i18n messages by field. */
function checkWords(ctx: RucheContext, values: WordsForm, known: number): { patterns: string[]; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const patterns = values.words
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  const bad = patterns.map((p, i) => ({ line: i + 1, key: entryProblem(p) })).filter((p) => p.key);
  if (!patterns.length) errors.words = t(ctx, 'moderation.words.errors.none');
  else if (bad.length)
    errors.words = bad
      .slice(0, 5)
      .map((b) => `${t(ctx, 'moderation.words.line', { line: b.line })} ${t(ctx, b.key!)}`)
      .join(' ');
  else if (known + patterns.length > MAX_WORDS) errors.words = t(ctx, 'moderation.words.errors.tooMany', { max: MAX_WORDS });
  if (!isWatchAction(values.action)) errors.action = t(ctx, 'moderation.words.errors.action');
  if (values.replacement.length > MAX_REPLACEMENT)
    errors.replacement = t(ctx, 'moderation.words.errors.replacementTooLong', { max: MAX_REPLACEMENT });
  return { patterns, errors };
}

const blank: WordsForm = { words: '', action: 'block', replacement: '' };

export const wordsRoutes: RouteDef[] = [
  {
    name: 'moderation.words',
    method: 'GET',
    path: '/admin/moderation/words',
    capability: WORDS,
    handler: (ctx) => wordsPage(ctx, blank),
  },
  {
    name: 'moderation.words.add',
    method: 'POST',
    path: '/admin/moderation/words',
    capability: WORDS,
    async handler(ctx) {
      const networkId = ctx.state.network.id;
      const values = { words: field(ctx, 'words'), action: field(ctx, 'action'), replacement: field(ctx, 'replacement').trim() };
      const { patterns, errors } = checkWords(ctx, values, await countWords(ctx.ruche, networkId));
      if (Object.keys(errors).length || !isWatchAction(values.action)) return wordsPage(ctx, values, errors);
      const written = await addWords(ctx.ruche, networkId, patterns, values.action, values.replacement, requireMember(ctx).id, (trx) =>
        auditAction(
          ctx,
          {
            action: 'moderation.words.add',
            objectType: 'network',
            objectId: networkId,
            after: { words: patterns, action: values.action, replacement: values.replacement },
          },
          trx,
        ),
      );
      return { redirect: link(ctx, 'moderation.words'), flash: { key: 'moderation.words.added', params: { count: written } } };
    },
  },
  {
    name: 'moderation.words.remove',
    method: 'POST',
    path: '/admin/moderation/words/:id/remove',
    capability: WORDS,
    async handler(ctx) {
      const id = idParam(ctx);
      const networkId = ctx.state.network.id;
      const { word, elsewhere } = id ? await findWord(ctx.ruche, networkId, id) : {};
      // Another network's word (or no id): unknown here. Removed already (a double submit): answered as the first.
      if (!id || elsewhere) throw notFound();
      if (word)
        await removeWord(ctx.ruche, networkId, id, (trx) =>
          auditAction(ctx, { action: 'moderation.words.remove', objectType: 'network', objectId: networkId, before: word }, trx),
        );
      return { redirect: link(ctx, 'moderation.words'), flash: 'moderation.words.removed' };
    },
  },
];
