// Helpers for the polls tests: the activity app (members, statuses, containers) with polls made
// through the form, and a poll's options read back.
import type { Response } from 'supertest';
import { actApp, type ActApp } from '../activity/support';
import { eachAppOf } from '../../helpers/each-app';
import type { TestDatabase } from '../../helpers/databases';
import type { FormAgent } from '../../helpers/members';

export interface PollsApp extends ActApp {
  /** Creates a poll through the form as `username`; returns its id. */
  poll(username: string, fields: Record<string, string>): Promise<number>;
  /** The poll's option ids, in order. */
  optionIds(pollId: number): Promise<number[]>;
  /** Each option's vote count, in order. */
  votes(pollId: number): Promise<number[]>;
  /** Attaches an anonymous poll (question `Trust the board?`, Yes / No) to a status through the form, as `username`; returns its id. */
  anonymousOn(username: string, statusId: number): Promise<number>;
  /** Olga's group with Cora in it, and Mia outside it: their ids and the group's. */
  olgasGroup(): Promise<{ olga: number; cora: number; mia: number; group: number }>;
}

export async function pollsApp(db: TestDatabase): Promise<PollsApp> {
  const app = await actApp(db);
  const rt = app.app.ruche;
  return {
    ...app,
    async poll(username, fields) {
      const a = await app.as(username);
      const res: Response = await a.post('/polls', { results: 'always', access: 'members', ...fields });
      if (res.status !== 303) throw new Error(`poll refused: ${res.status} ${res.text.slice(0, 500)}`);
      const made = (await rt.db('polls_polls').max({ id: 'entity_id' }).first()) as { id: number };
      return Number(made.id);
    },
    async optionIds(pollId) {
      return (await rt.db('polls_options').where({ poll_id: pollId }).orderBy('position').pluck('id')).map(Number);
    },
    async anonymousOn(username, statusId) {
      const a = await app.as(username);
      const res: Response = await a.post('/polls', {
        on: String(statusId),
        question: 'Trust the board?',
        options: 'Yes\nNo',
        anonymous: '1',
        results: 'always',
      });
      if (res.status !== 303) throw new Error(`poll refused: ${res.status}`);
      return Number((await rt.db('polls_polls').where({ parent_entity_id: statusId }).first('entity_id'))!.entity_id);
    },
    async olgasGroup() {
      const olga = await app.member('olga', 'Olga');
      const cora = await app.member('cora', 'Cora');
      const mia = await app.member('mia', 'Mia');
      return { olga, cora, mia, group: await app.container(olga, [cora]) };
    },
    async votes(pollId) {
      return (await rt.db('polls_options').where({ poll_id: pollId }).orderBy('position').pluck('votes')).map(Number);
    },
  };
}

export const eachPollsApp = eachAppOf(pollsApp);

/** Votes for these options (and "other" words) through the form. */
export function vote(agent: Pick<FormAgent, 'post'>, pollId: number, options: number[], other?: string): Promise<Response> {
  return agent.post(`/polls/${pollId}/vote`, { option: options.map(String), ...(other === undefined ? {} : { other }) });
}
