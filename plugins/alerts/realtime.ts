/**
 * `/alerts/socket`: the live side of alerts, one hub per app. Open pages of members connect
 * (the core's gates admitted an active member of the network before the upgrade). The hub
 * listens to the alerts channel (every process's sends, updates, closings and answers) and
 * only says "look" — the page then fetches what it may see through the ordinary routes:
 *   server → client  {type:'alert'}            an alert of this network for this member was sent or changed: refresh the banners
 *                    {type:'changed', alert}    a watched dashboard's figures moved: refresh it
 *   client → server  {type:'watch', alert}      follow a dashboard (checked: the member may send alerts in its network)
 * Before it watches or is told anything, a socket's member is read again as they are now (core
 * `standingNow`: roles and status changed in any process or from the CLI): a member suspended, or
 * no longer in the socket's network, has the socket closed (`ACCESS_ENDED`); one who may no longer
 * send alerts stops following dashboards.
 */
import type { WebSocket } from 'ws';
import { endAccess, networkScope, standingNow, type MemberSocket, type Runtime, type SocketDef, type SocketRequest } from '../../core';
import { CHANNEL, SEND } from './constants';

interface Client extends MemberSocket {
  networkId: number;
  watching: Set<number>;
}

const MAX_WATCHED = 20;

export class AlertsHub {
  private readonly clients = new Set<Client>();
  private subscribed: Promise<() => void> | null = null;
  /** Only the services it uses. */
  constructor(private readonly rt: Pick<Runtime, 'db' | 'pubsub' | 'logger' | 'scopes' | 'users' | 'permissions'>) {}

  private listen(): Promise<unknown> {
    return (this.subscribed ??= this.rt.pubsub.subscribe(CHANNEL, (payload) => void this.onChange(payload)));
  }

  async connect(ws: WebSocket, req: SocketRequest): Promise<void> {
    const client: Client = { ws, viewer: req.viewer, networkId: req.network.id, watching: new Set() };
    this.clients.add(client);
    ws.on('close', () => this.clients.delete(client));
    ws.on('error', () => ws.terminate());
    ws.on('message', (data) => {
      let e: { type?: unknown; alert?: unknown };
      try {
        e = JSON.parse(String(data)) as typeof e;
      } catch {
        return;
      }
      const id = Number(e?.alert);
      if (e?.type !== 'watch' || !Number.isSafeInteger(id) || id <= 0 || client.watching.size >= MAX_WATCHED) return;
      void this.watch(client, id).catch((err) => this.rt.logger.error({ err }, 'alerts: watch failed'));
    });
    await this.listen();
    this.send(client, { type: 'ready' });
  }

  /** Follows a dashboard, when the alert is of the socket's network and the member may send alerts there now. */
  private async watch(client: Client, id: number): Promise<void> {
    if (!(await this.current([client])).length) return;
    const row = (await this.rt.db('alerts_alerts').where({ id, network_id: client.networkId }).first('network_id')) as
      { network_id: number } | undefined;
    if (!row || !this.maySend(client)) return;
    client.watching.add(id);
    this.send(client, { type: 'watching', alert: id });
  }

  private maySend(client: Client): boolean {
    return this.rt.scopes.mayAct(client.viewer, SEND, networkScope(client.networkId));
  }

  /**
   * These sockets with their members as they are now (core `standingNow`); a member suspended,
   * gone, or no longer in the socket's network (the upgrade's gates would refuse them) has the
   * socket closed and is left out.
   */
  private async current(clients: Client[]): Promise<Client[]> {
    return (await standingNow(this.rt.users, clients)).filter((c) => {
      if (this.rt.permissions.roleOf(c.viewer, c.networkId) !== 'guest') return true;
      endAccess(c);
      return false;
    });
  }

  private send(client: Client, event: Record<string, unknown>): void {
    if (client.ws.readyState === client.ws.OPEN) client.ws.send(JSON.stringify(event));
  }

  private async onChange(payload: string): Promise<void> {
    const [what, rawId, rawUser] = payload.split(':');
    const id = Number(rawId);
    if (!Number.isSafeInteger(id) || !this.clients.size) return;
    try {
      // Watchers, and for the banners, on an answer only the member who answered (their other pages), else every connected recipient.
      const banner = (c: Client): boolean => what !== 'answered' || String(c.viewer.id) === rawUser;
      const live = await this.current([...this.clients].filter((c) => c.watching.has(id) || banner(c)));
      for (const c of live.filter((w) => w.watching.has(id))) {
        if (this.maySend(c)) this.send(c, { type: 'changed', alert: id });
        else c.watching.clear();
      }
      const targets = live.filter(banner);
      if (!targets.length) return;
      const recipients = new Set(
        (
          await this.rt
            .db('alerts_recipients as r')
            .join('alerts_alerts as a', 'a.id', 'r.alert_id')
            .where('r.alert_id', id)
            .whereIn('r.user_id', [...new Set(targets.map((c) => c.viewer.id))])
            .select('r.user_id', 'a.network_id')
        ).map((r: { user_id: number; network_id: number }) => `${Number(r.user_id)}:${Number(r.network_id)}`),
      );
      for (const c of targets) if (recipients.has(`${c.viewer.id}:${c.networkId}`)) this.send(c, { type: 'alert' });
    } catch (err) {
      this.rt.logger.error({ err }, 'alerts: push failed');
    }
  }
}

export const alertsSocket: SocketDef = {
  path: '/alerts/socket',
  public: true,
  handler: (ws, req, rt) => void rt.container.resolve(AlertsHub).connect(ws, req),
};
