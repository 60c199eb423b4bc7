// Helpers for the pieces tests (issue 22): a comment, a discussion topic and reply, a private
// message, each written through its form, and the pieces' report and decision forms.
import type { Response } from 'supertest';
import type { ModApp } from './support';

/** `username` comments `body` on entity `id`; the comment's id. */
export async function comment(app: ModApp, username: string, id: number, body: string): Promise<number> {
  const res: Response = await (await app.as(username)).post(`/entities/${id}/comments`, { body, next: `/status/${id}` });
  const m = /#comment-(\d+)/.exec(res.headers.location ?? '');
  if (res.status !== 303 || !m) throw new Error(`commenting failed: ${res.status} ${res.text.slice(0, 200)}`);
  return Number(m[1]);
}

/** `username` opens a discussion topic; its id. */
export async function topic(app: ModApp, username: string, title: string, access = 'members'): Promise<number> {
  const res: Response = await (await app.as(username)).post('/discussions', { title, body: 'Ask away', access });
  if (res.status !== 303) throw new Error(`topic failed: ${res.status}`);
  return Number(/\/discussions\/(\d+)/.exec(res.headers.location ?? '')![1]);
}

/** `username` replies `body` in topic `topicId`; the reply's id. */
export async function reply(app: ModApp, username: string, topicId: number, body: string): Promise<number> {
  const res: Response = await (await app.as(username)).post(`/discussions/${topicId}/replies`, { body });
  if (res.status !== 303) throw new Error(`reply failed: ${res.status}`);
  const row = (await app.db('discussion_replies').where({ topic_id: topicId }).max('id as id').first()) as { id: number };
  return Number(row.id);
}

/** `from` writes `body` to `to`; the conversation's and the message's ids. */
export async function send(app: ModApp, from: string, to: string, body: string): Promise<{ conversation: number; message: number }> {
  const res: Response = await (await app.as(from)).post('/messages', { to, subject: 'Hello', body });
  if (res.status !== 303) throw new Error(`sending failed: ${res.status} ${res.text.slice(0, 200)}`);
  const conversation = Number(/\/messages\/(\d+)/.exec(res.headers.location ?? '')![1]);
  const row = (await app.db('messages').where({ conversation_id: conversation }).max('id as id').first()) as { id: number };
  return { conversation, message: Number(row.id) };
}

/** `username` reports piece `kind` `id` through its form (at `basePath`: a partner network's). */
export const reportPiece = async (
  app: ModApp,
  username: string,
  kind: string,
  id: number,
  reason = 'spam',
  note = '',
  basePath = '',
): Promise<Response> => (await app.as(username)).post(`${basePath}/moderation/report/piece/${kind}/${id}`, { reason, note });

/** `username` takes `decision` on piece `kind` `id` (at `basePath`). */
export const decidePiece = async (
  app: ModApp,
  username: string,
  kind: string,
  id: number,
  decision: string,
  fields: Record<string, string> = {},
  basePath = '',
): Promise<Response> => (await app.as(username)).post(`${basePath}/moderation/pieces/${kind}/${id}/decide`, { decision, ...fields });

/** `username` reports comment `id`. */
export const reportComment = (app: ModApp, username: string, id: number, reason = 'spam', note = ''): Promise<Response> =>
  reportPiece(app, username, 'comment', id, reason, note);

/** `username` takes `decision` on comment `id`. */
export const decideComment = (app: ModApp, username: string, id: number, decision: string, fields: Record<string, string> = {}): Promise<Response> =>
  decidePiece(app, username, 'comment', id, decision, fields);
