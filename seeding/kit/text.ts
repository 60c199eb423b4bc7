/** Words the bench network is written with: names, departments, places, posts and titles. */
import { renderMarkdown } from '../../core';
import type { Rng } from './rng';

export const FIRST_NAMES = [
  'Anna',
  'Bruno',
  'Chloé',
  'David',
  'Emma',
  'Farid',
  'Grace',
  'Hugo',
  'Inès',
  'Jonas',
  'Karim',
  'Léa',
  'Marco',
  'Nadia',
  'Omar',
  'Paula',
  'Quentin',
  'Rosa',
  'Samir',
  'Tessa',
  'Ulysse',
  'Vera',
  'William',
  'Xenia',
  'Yann',
  'Zoé',
  'Aiko',
  'Bilal',
  'Camille',
  'Diego',
  'Elena',
  'Fatou',
  'Gabriel',
  'Hana',
  'Ivan',
  'Julia',
  'Kenji',
  'Lina',
  'Mateo',
  'Nora',
  'Oscar',
  'Priya',
  'Rafael',
  'Sofia',
  'Tariq',
  'Valentina',
  'Wei',
  'Yasmine',
  'Amir',
  'Beatriz',
  'Chen',
  'Dmitri',
  'Esther',
  'Felix',
  'Greta',
  'Hassan',
  'Irene',
  'Jamal',
  'Katarina',
  'Luis',
  'Maya',
  'Nikhil',
  'Olga',
  'Pierre',
  'Rania',
  'Sven',
  'Thandi',
  'Ugo',
  'Vikram',
  'Wanda',
  'Yusuf',
  'Zara',
  'Alba',
  'Bao',
  'Carmen',
  'Elias',
  'Ines',
];
export const LAST_NAMES = [
  'Martin',
  'Bernard',
  'Dubois',
  'Thomas',
  'Robert',
  'Richard',
  'Petit',
  'Durand',
  'Leroy',
  'Moreau',
  'Simon',
  'Laurent',
  'Lefebvre',
  'Michel',
  'Garcia',
  'Rossi',
  'Müller',
  'Schmidt',
  'Novak',
  'Kowalski',
  'Nguyen',
  'Tanaka',
  'Sato',
  'Kim',
  'Park',
  'Singh',
  'Patel',
  'Khan',
  'Ali',
  'Okafor',
  'Mensah',
  'Diallo',
  'Silva',
  'Santos',
  'Costa',
  'Fernández',
  'López',
  'Jensen',
  'Hansen',
  'Johansson',
  'Nielsen',
  'Smith',
  'Jones',
  'Brown',
  'Wilson',
  'Taylor',
  'Walker',
  'Wright',
  'Murphy',
  'Kelly',
  'Cohen',
  'Levi',
  'Haddad',
  'Rahman',
  'Wang',
  'Li',
  'Zhang',
  'Ivanova',
  'Popescu',
  'Horvat',
  'Nagy',
  'Papadopoulos',
  'Yilmaz',
  'Demir',
  'Andersen',
  'Fontaine',
  'Girard',
  'Bonnet',
  'Mercier',
  'Blanc',
];
/** Departments: 25 of them, so one matches a few hundred members out of 10,000. */
export const DEPARTMENTS = [
  'Engineering',
  'Sales',
  'Marketing',
  'Finance',
  'Legal',
  'Human Resources',
  'Logistics',
  'Customer Care',
  'Research',
  'Design',
  'Procurement',
  'Quality',
  'Security',
  'Facilities',
  'Communications',
  'Data',
  'Operations',
  'Training',
  'Product',
  'Support',
  'Partnerships',
  'Compliance',
  'Manufacturing',
  'Strategy',
  'Treasury',
];
export const LOCATIONS = [
  'Lyon',
  'Paris',
  'Montréal',
  'Toronto',
  'New York',
  'San Francisco',
  'London',
  'Berlin',
  'Madrid',
  'Bangalore',
  'Singapore',
  'Shanghai',
  'Dakar',
  'São Paulo',
];
/** Locations per time zone (ZONES in clock.ts), so a member's city matches their hours. */
export const LOCATIONS_BY_ZONE: readonly (readonly string[])[] = [
  ['San Francisco'],
  ['New York', 'Montréal', 'Toronto'],
  ['London', 'Dakar'],
  ['Lyon', 'Paris', 'Berlin', 'Madrid'],
  ['Bangalore'],
  ['Singapore', 'Shanghai'],
];
export const SKILLS = [
  'Python',
  'TypeScript',
  'Negotiation',
  'Public speaking',
  'Excel',
  'SQL',
  'Project management',
  'Design thinking',
  'Accounting',
  'Writing',
  'Photography',
  'Lean',
  'Statistics',
  'Coaching',
  'Welding',
  'First aid',
];
export const LANGUAGES = ['English', 'French', 'Spanish', 'German', 'Portuguese', 'Mandarin', 'Hindi', 'Arabic', 'Japanese', 'Italian'];
export const TEAMS = ['Alpha', 'Bravo', 'Charlie', 'Delta', 'Echo', 'Foxtrot', 'Golf', 'Hotel'];
export const INTERESTS = ['Running', 'Cycling', 'Cooking', 'Chess', 'Music', 'Gardening', 'Reading', 'Climbing', 'Board games', 'Volunteering'];
export const TAGS = [
  'launch',
  'roadmap',
  'hiring',
  'safety',
  'wellbeing',
  'quarterly',
  'customers',
  'release',
  'onboarding',
  'sustainability',
  'offsite',
  'tips',
  'ai',
  'security',
  'travel',
  'kudos',
  'training',
  'events',
  'data',
  'design',
];

const TOPICS = [
  'the new release',
  'our customer visit',
  'the quarterly numbers',
  'the onboarding guide',
  'the office move',
  'the safety review',
  'the team offsite',
  'the hiring plan',
  'the roadmap',
  'the support backlog',
  'the supplier audit',
  'the training day',
  'the data migration',
  'the design review',
  'the budget',
  'the press day',
];
const OPENERS = [
  'Quick update on',
  'Thoughts about',
  'A question about',
  'Great work on',
  'Reminder about',
  'Notes from',
  'Feedback wanted on',
  'Lessons learned from',
  'Good news about',
  'Looking for help with',
];
const CLAUSES = [
  'we finished ahead of schedule',
  'the team learned a lot',
  'there are still a few open questions',
  'the customers were happy',
  'we should document it better',
  'the numbers look better than last quarter',
  'next steps are on the wiki',
  'thanks to everyone who helped',
  'we need two more volunteers',
  'the deadline moves to next month',
  'it went smoother than expected',
  'let me know what you think',
  'the slides are in the shared folder',
  'we will review it on Monday',
  'the pilot starts next week',
  'feedback so far is very positive',
];
const REPLIES = [
  'Agreed.',
  'Thanks for sharing!',
  'Good point.',
  'I can help with that.',
  'Same here.',
  'Nice work, everyone.',
  'Could you share the link?',
  'Let us discuss it on Monday.',
  'Interesting, tell me more.',
  'Congratulations!',
  'I had the same question.',
  '+1, very useful.',
];
const GROUP_WORDS = ['Guild', 'Club', 'Circle', 'Lab', 'Forum', 'Crew', 'Network', 'Hub', 'Studio', 'Team'];
const GROUP_THEMES = [
  'Runners',
  'Data',
  'Design',
  'Safety',
  'Green Office',
  'Newcomers',
  'Photography',
  'Parents',
  'Book',
  'Cyclists',
  'Chess',
  'Sales',
  'Cloud',
  'Quality',
  'Music',
  'Cooking',
  'Volunteers',
  'Product',
  'Security',
  'Leadership',
];

export function sentence(rng: Rng): string {
  return `${rng.pick(OPENERS)} ${rng.pick(TOPICS)}: ${rng.pick(CLAUSES)}, and ${rng.pick(CLAUSES)}.`;
}

export function paragraph(rng: Rng, sentences: number): string {
  return Array.from({ length: sentences }, () => sentence(rng)).join(' ');
}

export function shortReply(rng: Rng): string {
  return rng.chance(0.6) ? rng.pick(REPLIES) : `${rng.pick(REPLIES)} ${rng.pick(CLAUSES).replace(/^./, (c) => c.toUpperCase())}.`;
}

export function title(rng: Rng): string {
  return `${rng.pick(OPENERS)} ${rng.pick(TOPICS)}`;
}

/** A group name; `n` keeps names distinct (the number is shown only when the words repeat). */
export function groupName(rng: Rng, n: number, taken: Set<string>): string {
  const base = `${rng.pick(GROUP_THEMES)} ${rng.pick(GROUP_WORDS)}`;
  const name = taken.has(base) ? `${base} ${n + 1}` : base;
  taken.add(name);
  return name;
}

/** Lowercase ASCII for usernames. */
export function ascii(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '');
}

/** A few distinct paragraphs and their rendered Markdown, cached (rendering costs ~0.3 ms). */
export class Bodies {
  private readonly cache = new Map<string, { html: string; excerpts: Map<(html: string) => string, string> }>();
  readonly paragraphs: string[];

  constructor(rng: Rng, count: number) {
    this.paragraphs = Array.from({ length: count }, () => paragraph(rng, rng.int(2, 4)));
  }

  /** The body's HTML, and its excerpt by the plugin's own `excerpt` function. */
  render(body: string, excerpt?: (html: string) => string): { html: string; excerpt: string } {
    let out = this.cache.get(body);
    if (!out) {
      out = { html: renderMarkdown(body), excerpts: new Map() };
      if (this.cache.size < 20_000) this.cache.set(body, out);
    }
    if (!excerpt) return { html: out.html, excerpt: '' };
    let e = out.excerpts.get(excerpt);
    if (e === undefined) out.excerpts.set(excerpt, (e = excerpt(out.html)));
    return { html: out.html, excerpt: e };
  }
}

/** Up to `max` distinct tags (at least `min`). */
export function someOf(rng: Rng, list: readonly string[], min: number, max: number): string[] {
  const n = rng.int(min, max);
  const out = new Set<string>();
  while (out.size < Math.min(n, list.length)) out.add(rng.pick(list));
  return [...out];
}
