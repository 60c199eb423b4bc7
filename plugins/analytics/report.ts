/**
 * The dashboard as tables: each table the page shows (and charts) is also what its CSV
 * export writes, so the two never disagree. Cells are plain data; numbers keep their raw
 * value for the CSV and a localised text for the page.
 */
import type { Viewer } from '../../core';
import { dateOfDay, type Period } from './period';
import type {
  AdoptionRow,
  AnalyticsService,
  ContentRow,
  ContributorRow,
  DayFigures,
  Funnel,
  Ranked,
  Responses,
  Scope,
  ChoiceValues,
} from './service';

export const TABLES = ['funnel', 'members', 'engagement', 'days', 'responses', 'adoption', 'groups', 'contents', 'contributors'] as const;
export type TableId = (typeof TABLES)[number];
export const isTableId = (v: string): v is TableId => (TABLES as readonly string[]).includes(v);

export interface Cell {
  text: string;
  /** The raw value written to the CSV (the text when absent). */
  raw?: string | number;
  href?: string;
  numeric?: boolean;
}

export interface Table {
  id: TableId;
  columns: string[];
  rows: Cell[][];
}

/** What the report needs from the page: translations, number formats and links. */
export interface ReportEnv {
  t(key: string, params?: Record<string, unknown>): string;
  locale: string;
  groupNames(ids: number[]): Promise<Record<number, string>>;
  groupHref(id: number): string;
  contentHref(row: ContentRow): string | null;
  profileHref(username: string): string | null;
  showMembers: boolean;
  /** The profile field chosen for the adoption table and its values' members; absent without a choice field. */
  choiceField?: ChoiceValues & { label: string };
}

export interface Report {
  period: Period;
  funnel: Funnel;
  previousFunnel: Funnel;
  days: DayFigures[];
  tables: Table[];
}

const pct = (part: number, whole: number): number | null => (whole > 0 ? Math.round((part / whole) * 1000) / 10 : null);

type ReportFormat = ReturnType<typeof makeReportFormat>;
const formats = new Map<string, ReportFormat>();

/** The cells of numbers, shares and changes in a locale (built once per locale: an Intl.NumberFormat is costly to create). */
export function reportFormat(locale: string): ReportFormat {
  let format = formats.get(locale);
  if (!format) formats.set(locale, (format = makeReportFormat(locale)));
  return format;
}

function makeReportFormat(locale: string) {
  const n = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
  const number = (v: number | null): Cell => (v === null ? { text: '—', raw: '', numeric: true } : { text: n.format(v), raw: v, numeric: true });
  const percent = (v: number | null): Cell =>
    v === null ? { text: '—', raw: '', numeric: true } : { text: `${n.format(v)} %`, raw: v, numeric: true };
  const change = (now: number | null, before: number | null): Cell => {
    if (now === null || before === null || before === 0) return { text: '—', raw: '', numeric: true };
    const c = Math.round(((now - before) / before) * 1000) / 10;
    return { text: `${c > 0 ? '+' : ''}${n.format(c)} %`, raw: c, numeric: true };
  };
  return { number, percent, change };
}

/** A duration in words ("3 h 20 min", "2 d 4 h"). */
export function durationText(ms: number | null, t: ReportEnv['t']): string {
  if (ms === null) return '—';
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return t('analytics.duration.minutes', { m: minutes });
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return t('analytics.duration.hours', { h: hours, m: minutes % 60 });
  return t('analytics.duration.days', { d: Math.floor(hours / 24), h: hours % 24 });
}

/** Averages DAU over the period; WAU and MAU as of its last day; the DAU/MAU ratio. */
export function engagementOf(days: DayFigures[]) {
  const last = days[days.length - 1];
  const dau = days.length ? Math.round((days.reduce((s, d) => s + d.dau, 0) / days.length) * 10) / 10 : 0;
  return { dau, wau: last?.wau ?? 0, mau: last?.mau ?? 0, ratio: pct(dau, last?.mau ?? 0) };
}

/** What the tables are built from, each fetched once and only when a table asks for it. */
class Sources {
  private readonly cache = new Map<string, Promise<unknown>>();
  constructor(
    readonly s: AnalyticsService,
    readonly viewer: Viewer,
    readonly scope: Scope,
    readonly period: Period,
  ) {}
  private once<T>(key: string, fetch: () => Promise<T>): Promise<T> {
    if (!this.cache.has(key)) this.cache.set(key, fetch());
    return this.cache.get(key) as Promise<T>;
  }
  /** The period's figures (`previous`: the period it is compared with). */
  funnel = (previous = false) =>
    this.once(`funnel${previous}`, async () => this.s.funnel(this.scope, ...this.span(previous), (await this.facts(previous)).members));
  /** The member facts of the period and of the one compared with, in one statement. */
  facts = async (previous = false) =>
    (await this.once('facts', () => this.s.memberFactsOf(this.scope, [this.span(false), this.span(true)])))[previous ? 1 : 0];
  days = (previous = false) => this.once(`days${previous}`, () => this.s.days(this.scope, ...this.span(previous)));
  responses = (previous = false) => this.once(`responses${previous}`, () => this.s.responses(this.scope, ...this.span(previous)));
  private span(previous: boolean): [number, number] {
    const p = previous ? this.period.previous : this.period;
    return [p.from, p.to];
  }
}

type Builder = (src: Sources, env: ReportEnv) => Promise<Table | null>;

/** Each table from what it needs alone (a CSV export builds only its table); null where the scope has none. */
const BUILDERS: Record<TableId, Builder> = {
  async funnel(src, env) {
    const [funnel, previous] = await Promise.all([src.funnel(), src.funnel(true)]);
    const f = reportFormat(env.locale);
    return {
      id: 'funnel',
      columns: ['metric', 'period', 'share', 'previous', 'previousShare'].map((c) => env.t(`analytics.column.${c}`)),
      rows: (['members', 'active', 'participating', 'contributing'] as const).map((k) => [
        { text: env.t(`analytics.funnel.${k}`) },
        f.number(funnel[k]),
        f.percent(pct(funnel[k], funnel.members)),
        f.number(previous[k]),
        f.percent(pct(previous[k], previous.members)),
      ]),
    };
  },
  async members(src, env) {
    const [facts, previous] = await Promise.all([src.facts(), src.facts(true)]);
    return comparedTable('members', env, [
      ['members', facts.members, previous.members],
      ['registered', facts.registered, previous.registered],
      ...(facts.invited === null ? [] : [['invited', facts.invited, previous.invited] as Compared]),
    ]);
  },
  async engagement(src, env) {
    const [e, pe] = (await Promise.all([src.days(), src.days(true)])).map(engagementOf);
    return comparedTable('engagement', env, [
      ['dau', e.dau, pe.dau],
      ['wau', e.wau, pe.wau],
      ['mau', e.mau, pe.mau],
      ['ratio', e.ratio, pe.ratio, 'percent'],
    ]);
  },
  async days(src, env) {
    const f = reportFormat(env.locale);
    return {
      id: 'days',
      columns: ['date', 'dau', 'wau', 'mau', 'contributions', 'comments', 'reactions'].map((c) => env.t(`analytics.column.${c}`)),
      rows: (await src.days()).map((d) => [
        { text: dateOfDay(d.day) },
        f.number(d.dau),
        f.number(d.wau),
        f.number(d.mau),
        f.number(d.contributions),
        f.number(d.comments),
        f.number(d.reactions),
      ]),
    };
  },
  async responses(src, env) {
    const [now, before] = await Promise.all([src.responses(), src.responses(true)]);
    return { id: 'responses', columns: comparedColumns(env), rows: responseRows(now, before, reportFormat(env.locale), env.t) };
  },
  adoption: async (src, env) =>
    env.choiceField ? adoptionTable(await src.s.adoption(src.viewer, src.scope, src.period.from, src.period.to, env.choiceField), env) : null,
  groups: async (src, env) => (src.scope.containerId ? null : groupsTable(await src.s.topGroups(src.viewer, src.scope.networkId, src.period), env)),
  contents: async (src, env) => contentsTable(await src.s.topContents(src.viewer, src.scope, src.period), env),
  contributors: async (src, env) => (env.showMembers ? contributorsTable(await src.s.topContributors(src.scope, src.period), env) : null),
};

const comparedColumns = (env: ReportEnv): string[] => ['metric', 'period', 'previous', 'change'].map((c) => env.t(`analytics.column.${c}`));

/** A metric of a compared table: its key (labelled `analytics.<table>.<key>`), the period's figure, the previous one's, their cells' format. */
type Compared = [metric: string, now: number | null, before: number | null, format?: 'number' | 'percent'];

/** The period's figures beside the previous period's and the change, a metric a row. */
function comparedTable(id: TableId, env: ReportEnv, metrics: Compared[]): Table {
  const f = reportFormat(env.locale);
  return {
    id,
    columns: comparedColumns(env),
    rows: metrics.map(([metric, now, before, format = 'number']) => [
      { text: env.t(`analytics.${id}.${metric}`) },
      f[format](now),
      f[format](before),
      f.change(now, before),
    ]),
  };
}

/** The whole dashboard: every table of the scope, and the funnel and days its charts draw. */
export async function buildReport(s: AnalyticsService, viewer: Viewer, scope: Scope, period: Period, env: ReportEnv): Promise<Report> {
  const src = new Sources(s.forRequest(), viewer, scope, period);
  const tables: Table[] = [];
  for (const id of TABLES) {
    const table = await BUILDERS[id](src, env);
    if (table) tables.push(table);
  }
  const [funnel, previousFunnel, days] = await Promise.all([src.funnel(), src.funnel(true), src.days()]);
  return { period, funnel, previousFunnel, days, tables };
}

/** One table of the dashboard alone (what its CSV export writes), null where the scope has none. */
export const buildTable = (s: AnalyticsService, viewer: Viewer, scope: Scope, period: Period, env: ReportEnv, id: TableId): Promise<Table | null> =>
  BUILDERS[id](new Sources(s.forRequest(), viewer, scope, period), env);

function responseRows(now: Responses, before: Responses, f: ReturnType<typeof reportFormat>, t: ReportEnv['t']): Cell[][] {
  const share = (r: Responses) => pct(r.answered, r.topics);
  const hours = (r: Responses) => (r.medianMs === null ? null : Math.round(r.medianMs / 360_000) / 10);
  return [
    [{ text: t('analytics.responses.topics') }, f.number(now.topics), f.number(before.topics), f.change(now.topics, before.topics)],
    [{ text: t('analytics.responses.answered') }, f.percent(share(now)), f.percent(share(before)), f.change(share(now), share(before))],
    [
      { text: t('analytics.responses.median') },
      { text: durationText(now.medianMs, t), raw: hours(now) ?? '', numeric: true },
      { text: durationText(before.medianMs, t), raw: hours(before) ?? '', numeric: true },
      f.change(hours(now), hours(before)),
    ],
  ];
}

/** Members by a profile field's values: the funnel of each value, as counts and shares of its members. */
function adoptionTable(rows: AdoptionRow[], env: ReportEnv): Table {
  const f = reportFormat(env.locale);
  const steps = ['active', 'participating', 'contributing'] as const;
  return {
    id: 'adoption',
    columns: [
      env.choiceField!.label,
      env.t('analytics.funnel.members'),
      ...steps.flatMap((k) => [env.t(`analytics.adoption.${k}`), env.t('analytics.column.share')]),
    ],
    rows: rows
      .filter((r) => r.value !== null || r.members > 0)
      .map((r) => [
        { text: r.value ?? env.t('analytics.adoption.none') },
        f.number(r.members),
        ...steps.flatMap((k) => [f.number(r[k]), f.percent(pct(r[k], r.members))]),
      ]),
  };
}

async function groupsTable(groups: Ranked[], env: ReportEnv): Promise<Table> {
  const names = await env.groupNames(groups.map((g) => g.id));
  const f = reportFormat(env.locale);
  return {
    id: 'groups',
    columns: ['group', 'acts'].map((c) => env.t(`analytics.column.${c}`)),
    rows: groups.filter((g) => names[g.id] !== undefined).map((g) => [{ text: names[g.id], href: env.groupHref(g.id) }, f.number(g.acts)]),
  };
}

function contentsTable(contents: ContentRow[], env: ReportEnv): Table {
  const f = reportFormat(env.locale);
  return {
    id: 'contents',
    columns: ['content', 'acts'].map((c) => env.t(`analytics.column.${c}`)),
    rows: contents.map((c) => [
      {
        text: env.t('analytics.contents.item', {
          type: typeLabel(c.type, env.t),
          author: c.ownerName,
          date: dateOfDay(Math.floor(c.createdAt / 86_400_000)),
        }),
        href: env.contentHref(c) ?? undefined,
      },
      f.number(c.acts),
    ]),
  };
}

function contributorsTable(people: ContributorRow[], env: ReportEnv): Table {
  const f = reportFormat(env.locale);
  return {
    id: 'contributors',
    columns: ['member', 'contributions', 'participations'].map((c) => env.t(`analytics.column.${c}`)),
    rows: people.map((p) => [
      { text: p.name, href: env.profileHref(p.username) ?? undefined },
      f.number(p.contributions),
      f.number(p.participations),
    ]),
  };
}

const KNOWN_TYPES = new Set(['status', 'blog_post', 'topic', 'file', 'album', 'group', 'event', 'poll']);
const typeLabel = (type: string, t: ReportEnv['t']): string => (KNOWN_TYPES.has(type) ? t(`analytics.type.${type}`) : type);

/** The table as CSV (RFC 4180, a header row, raw numbers). */
export function tableCsv(table: Table): string {
  const quote = (v: string | number): string => {
    const s = String(v);
    // A cell starting like a formula is neutralised for spreadsheets.
    const safe = /^[=+\-@\t\r]/.test(s) && typeof v === 'string' ? `'${s}` : s;
    return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  const lines = [table.columns.map(quote), ...table.rows.map((r) => r.map((c) => quote(c.raw ?? c.text)))];
  return `${lines.map((l) => l.join(',')).join('\r\n')}\r\n`;
}
