/** "People I met" rows → what the page shows: avatar, profile link, where and when. */
import { personCards, type RucheContext } from '../../core';
import type { Met } from './service';

export async function metView(ctx: RucheContext, people: Met[]) {
  const cards = await personCards(
    ctx,
    people.map((p) => p.id),
  );
  return people.map((p) => {
    const card = cards.get(p.id);
    return {
      username: p.username,
      displayName: p.display_name,
      avatar: card?.avatarUrl ?? '',
      href: card?.href ?? null,
      note: p.note,
      metAt: p.met_at,
    };
  });
}
