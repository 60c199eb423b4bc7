/**
 * The managers' CSV export of a poll, written with the core's `csvLine` (RFC 4180: every field
 * quoted, CRLF lines, formulas neutralised) after a UTF-8 byte order mark for spreadsheets.
 * Every poll exports its counts per option and its "other" answers; a named poll adds each
 * voter's choices. An anonymous poll has no such rows to
 * give: its tables keep none.
 */
import { csvLine, t, type RucheContext } from '../../core';
import type { PollRow, PollsService } from './service';

export async function exportCsv(ctx: RucheContext, s: PollsService, poll: PollRow): Promise<string> {
  const id = poll.entity_id;
  const [options, others, voters] = await Promise.all([s.options([id]), s.otherAnswers([id]), s.voterCount([id])]);
  const list = options.get(id) ?? [];
  const label = (o: { label: string; is_other: boolean }) => (o.is_other ? t(ctx, 'polls.poll.other') : o.label);
  let out = '\ufeff';
  out += csvLine([t(ctx, 'polls.export.question'), poll.question]);
  out += csvLine([t(ctx, 'polls.export.voters'), voters.get(id) ?? 0]);
  out += csvLine([t(ctx, 'polls.export.option'), t(ctx, 'polls.export.votes')]);
  for (const o of list) out += csvLine([label(o), o.votes]);
  for (const a of others.get(id) ?? []) out += csvLine([`${t(ctx, 'polls.poll.other')}: ${a.answer}`, a.n]);
  if (!poll.anonymous) {
    const byId = new Map(list.map((o) => [o.id, o]));
    out += csvLine([]);
    out += csvLine([t(ctx, 'polls.export.member'), t(ctx, 'polls.export.username'), t(ctx, 'polls.export.choice')]);
    for (const b of await s.namedBallots(id)) {
      const o = byId.get(Number(b.option_id));
      out += csvLine([b.name, b.username, o ? (o.is_other ? `${label(o)}: ${b.other_text ?? ''}` : o.label) : '']);
    }
  }
  return out;
}
