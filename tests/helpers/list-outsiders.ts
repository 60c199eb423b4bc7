/**
 * Who must never find a group's items in a list paged by cursor (issue 25): a member of the
 * network outside the group, a guest (the network lets guests in), a suspended member (in the
 * group before), and a member of a partner network only, reading the list there and at the
 * root. `hidden(t, path, secret)` asserts the group's member finds the items matching `secret`
 * on that page (so the check can fail) and that none of the others does, nor gets a 5xx.
 */
import type { ExecutionContext } from 'ava';
import type { Response } from 'supertest';
import type { TestApp } from './app';
import { addMemberships, addSubNetwork, createMember, signedIn } from './members';

export interface OutsiderRead {
  who: string;
  path: string;
  res: Response;
}

export async function listOutsiders(
  app: TestApp,
  container: number,
): Promise<{ hidden: (t: ExecutionContext, path: string, secret: RegExp) => Promise<void> }> {
  const rt = app.app.ruche;
  const root = rt.networks.root().id;
  await rt.networks.update(root, { allowGuests: true });
  const [cora, sam] = [await createMember(rt, 'cora'), await createMember(rt, 'sam')];
  await rt
    .db('container_members')
    .insert([cora, sam].map((user_id) => ({ container_id: container, user_id, role: 'member', created_at: Date.now() })));
  await createMember(rt, 'mia');
  const pat = await createMember(rt, 'pat');
  const partner = await addSubNetwork(rt, 'partner', 'Partner', { allow_guests: true });
  await rt.db('memberships').where({ user_id: pat, network_id: root }).delete();
  await addMemberships(rt, partner, [pat]);
  const [coraAgent, mia, samAgent, patAgent] = [
    await signedIn(app, 'cora'),
    await signedIn(app, 'mia'),
    await signedIn(app, 'sam'),
    await signedIn(app, 'pat'),
  ];
  await rt.users.setStatus(sam, 'suspended');
  const reads = async (path: string): Promise<OutsiderRead[]> => {
    const readers = [
      ['member outside the group', mia, path],
      ['guest', app.agent(), path],
      ['suspended member', samAgent, path],
      ['partner-network member', patAgent, path],
      ['partner-network member in its network', patAgent, `/n/partner${path}`],
    ] as const;
    const out: OutsiderRead[] = [];
    for (const [who, agent, p] of readers) out.push({ who, path: p, res: await agent.http.get(p) });
    return out;
  };
  return {
    async hidden(t, path, secret) {
      const inside = await coraAgent.http.get(path);
      t.is(inside.status, 200, path);
      t.regex(inside.text, secret, `${path}: the group’s member finds them`);
      for (const { who, path: p, res } of await reads(path)) {
        t.true(res.status < 500, `${who} ${p}: ${res.status}`);
        t.notRegex(res.text, secret, `${who} ${p}`);
      }
    },
  };
}
