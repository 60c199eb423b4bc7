/**
 * View models: polls as a page or a panel shows them (the vote form, the results as bars,
 * what the viewer may do). Plain data only, so a feed card's fragment can be kept. All the
 * polls of a page are loaded together: options, "other" answers, voters, the viewer's votes.
 */
import { formatInZone, link, t, zoneOr, type RucheContext } from '../../core';
import { isClosed, PollsService, VOTE, type Ballot, type OptionRow, type PollFacts, type PollRow } from './service';

const service = (ctx: RucheContext): PollsService => ctx.ruche.container.resolve(PollsService);

/** How many "other" answers a poll shows under its results. */
const OTHER_SHOWN = 10;

export interface PollView {
  id: number;
  question: string;
  href: string;
  multiple: boolean;
  anonymous: boolean;
  closed: boolean;
  when: string;
  votersLabel: string;
  voted: boolean;
  canVote: boolean;
  showResults: boolean;
  resultsNote: string;
  voteAction: string;
  next: string;
  submitLabel: string;
  options: {
    id: number;
    label: string;
    isOther: boolean;
    checked: boolean;
    votes: number;
    percent: number;
    width: number;
    countLabel: string;
  }[];
  other: string;
  otherAnswers: { answer: string; n: number }[];
  manage: { closeAction: string | null; deleteAction: string; exportHref: string; editHref: string | null } | null;
  signIn: string | null;
}

/** Results: to managers always; to others as the poll says (always, once they voted, once closed). */
function resultsShown(p: PollRow, closed: boolean, voted: boolean, manager: boolean): boolean {
  if (manager || closed || p.results === 'always') return true;
  return p.results === 'voted' && voted;
}

function whenLabel(ctx: RucheContext, p: PollRow, closed: boolean): string {
  const zone = zoneOr(ctx.state.viewer?.timeZone);
  const at = p.closed_at ?? p.closes_at;
  if (closed) return at === null ? t(ctx, 'polls.poll.closed') : t(ctx, 'polls.poll.closedAt', { date: formatInZone(at, zone, ctx.state.locale) });
  return p.closes_at === null ? '' : t(ctx, 'polls.poll.closesAt', { date: formatInZone(p.closes_at, zone, ctx.state.locale) });
}

function optionViews(ctx: RucheContext, options: OptionRow[], voters: number, ballot: Ballot | undefined): PollView['options'] {
  return options.map((o) => {
    const percent = voters ? Math.round((o.votes / voters) * 100) : 0;
    return {
      id: o.id,
      label: o.is_other ? t(ctx, 'polls.poll.other') : o.label,
      isOther: o.is_other,
      checked: !!ballot?.optionIds.includes(o.id),
      votes: o.votes,
      percent,
      width: Math.min(100, Math.max(0, percent)),
      countLabel: t(ctx, 'polls.poll.votes', { count: o.votes, percent }),
    };
  });
}

/** Views of polls the viewer may see (their entities given), in the order given. */
export async function pollViews(ctx: RucheContext, polls: { poll: PollRow; entity: PollFacts }[], next: string): Promise<PollView[]> {
  if (!polls.length) return [];
  const s = service(ctx);
  const ids = polls.map((p) => p.poll.entity_id);
  const viewer = ctx.state.viewer;
  const [options, others, voters, voted, ballots] = await Promise.all([
    s.options(ids),
    s.otherAnswers(ids),
    s.voterCount(ids),
    s.votedIn(viewer?.id, ids),
    s.ballots(viewer?.id, ids),
  ]);
  const canVoteHere = !!viewer && ctx.ruche.permissions.can(viewer, VOTE, ctx.state.network.id);
  const out: PollView[] = [];
  for (const { poll: p, entity } of polls) {
    const closed = isClosed(p);
    const manager = await s.mayManage(viewer, entity);
    const hasVoted = voted.has(p.entity_id);
    const ballot = ballots.get(p.entity_id);
    const shown = resultsShown(p, closed, hasVoted, manager);
    const count = voters.get(p.entity_id) ?? 0;
    // Anonymous ballots cannot be changed: nothing links the member to what they chose.
    const canVote = canVoteHere && !closed && (!hasVoted || !p.anonymous);
    const options_ = optionViews(ctx, options.get(p.entity_id) ?? [], count, ballot);
    out.push({
      id: p.entity_id,
      question: p.question,
      href: link(ctx, 'polls.view', { id: p.entity_id }),
      multiple: p.multiple,
      anonymous: p.anonymous,
      closed,
      when: whenLabel(ctx, p, closed),
      votersLabel: t(ctx, 'polls.poll.voters', { count }),
      voted: hasVoted,
      canVote,
      showResults: shown,
      resultsNote: shown ? '' : t(ctx, p.results === 'voted' ? 'polls.poll.resultsAfterVote' : 'polls.poll.resultsAfterClose'),
      voteAction: link(ctx, 'polls.vote', { id: p.entity_id }),
      next,
      submitLabel: t(ctx, hasVoted ? 'polls.poll.change' : 'polls.poll.vote'),
      options: shown ? options_ : options_.map((o) => ({ ...o, votes: 0, percent: 0, width: 0, countLabel: '' })),
      other: ballot?.other ?? '',
      otherAnswers: shown ? (others.get(p.entity_id) ?? []).slice(0, OTHER_SHOWN) : [],
      manage: manager
        ? {
            closeAction: closed ? null : link(ctx, 'polls.close', { id: p.entity_id }),
            deleteAction: link(ctx, 'polls.delete', { id: p.entity_id }),
            exportHref: link(ctx, 'polls.export', { id: p.entity_id }),
            // Editable until the first ballot: after it, the options would no longer mean what voters chose.
            editHref: count === 0 && !closed ? link(ctx, 'polls.edit', { id: p.entity_id }) : null,
          }
        : null,
      signIn: viewer ? null : `${ctx.state.basePath}/login?next=${encodeURIComponent(next)}`,
    });
  }
  return out;
}
