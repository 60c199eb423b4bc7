// Helpers for the messages and chat tests: an app with members and signed-in agents,
// conversations arranged through the service, sessions for WebSocket clients.
import '../../../core';
import type { Response } from 'supertest';
import type { ConfigInput, Viewer } from '../../../core';
import { MessagesService } from '../../../plugins/messages/service';
import { connApp, type ConnApp } from '../connections/support';
import { eachAppOf } from '../../helpers/each-app';
import type { TestDatabase } from '../../helpers/databases';
import { makeApp } from '../../helpers/app';
import { testContainer } from '../../helpers/members';

export interface MsgApp extends ConnApp {
  service: MessagesService;
  viewer(id: number): Promise<Viewer>;
  /** Starts a conversation from `fromId` to `usernames` through the service; returns its id. */
  start(fromId: number, usernames: string[], body: string): Promise<number>;
  /** A session cookie (`name=token`) for a member, as a browser would hold. */
  cookie(userId: number): Promise<string>;
  /** A group-like container with members, as the groups plugin keeps them. */
  container(ownerId: number, members: number[]): Promise<number>;
  form(username: string, url: string, fields?: Record<string, string>): Promise<Response>;
}

export async function msgApp(db: TestDatabase, options: { install?: false; config?: ConfigInput } = {}): Promise<MsgApp> {
  const app = options.install === false ? await reopen(db) : await connApp(db, options.config);
  const rt = app.app.ruche;
  const service = rt.container.resolve(MessagesService);
  const agents = new Map<string, Awaited<ReturnType<ConnApp['as']>>>();
  return {
    ...app,
    service,
    async viewer(id) {
      return (await rt.users.viewer(id))!;
    },
    async start(fromId, usernames, body) {
      const v = (await rt.users.viewer(fromId))!;
      return (await service.start(v, rt.networks.root().id, usernames, '', body)).conversationId;
    },
    async cookie(userId) {
      return `${rt.config.session.cookieName}=${await rt.sessions.create(userId)}`;
    },
    container: (ownerId, members) => testContainer(rt, ownerId, members, { ownerRole: 'admin' }),
    async form(username, url, fields = {}) {
      if (!agents.has(username)) agents.set(username, await app.as(username));
      return agents.get(username)!.post(url, fields);
    },
  };
}

/** One test per database with a fresh `msgApp`, closed afterwards. */
export const eachMsgApp = eachAppOf(msgApp);

/** The connections helpers on an app over an already installed database (a restart). */
async function reopen(db: TestDatabase): Promise<ConnApp> {
  const app = await makeApp(db, { install: false });
  return {
    ...app,
    rt: app.app.ruche,
    db: app.app.ruche.db,
    events: [],
    member: () => Promise.reject(new Error('members exist already')),
    members: () => Promise.reject(new Error('members exist already')),
    as: () => Promise.reject(new Error('use cookie() after a restart')),
  };
}
