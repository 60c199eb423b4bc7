/**
 * Fake people for the demo network: names by where people live (names are not translated),
 * departments and job titles in English and French.
 */
import type { Locale } from '../../core';
import type { Rng } from './rng';

export type Pair = readonly [en: string, fr: string];

/** First and last names heard in France and Québec. */
export const FRENCH_FIRST = [
  'Camille',
  'Julien',
  'Léa',
  'Thomas',
  'Manon',
  'Hugo',
  'Chloé',
  'Nicolas',
  'Inès',
  'Mathieu',
  'Sarah',
  'Antoine',
  'Élodie',
  'Karim',
  'Aurélie',
  'Maxime',
  'Nadia',
  'Olivier',
  'Pauline',
  'Yannick',
  'Sophie',
  'Rémi',
  'Amélie',
  'Fatou',
  'Louis',
  'Clara',
  'Samuel',
  'Margaux',
  'Benoît',
  'Zoé',
  'Gabriel',
  'Émilie',
  'Félix',
  'Justine',
  'Étienne',
  'Mélanie',
];
export const FRENCH_LAST = [
  'Martin',
  'Bernard',
  'Dubois',
  'Lefebvre',
  'Moreau',
  'Laurent',
  'Girard',
  'Roux',
  'Fournier',
  'Morel',
  'Mercier',
  'Blanc',
  'Guérin',
  'Faure',
  'Chevalier',
  'Tremblay',
  'Gagnon',
  'Roy',
  'Côté',
  'Bouchard',
  'Gauthier',
  'Pelletier',
  'Lavoie',
  'Benali',
  'Diallo',
  'Nguyen',
  'Perrin',
  'Bonnet',
];
/** First and last names heard in Singapore. */
export const SINGAPORE_FIRST = [
  'Wei Ling',
  'Arjun',
  'Mei',
  'Hafiz',
  'Priya',
  'Jun Jie',
  'Siti',
  'Daniel',
  'Hui Min',
  'Ravi',
  'Aisha',
  'Marcus',
  'Xin Yi',
  'Kumar',
];
export const SINGAPORE_LAST = ['Tan', 'Lim', 'Lee', 'Ng', 'Wong', 'Rahman', 'Menon', 'Chua', 'Goh', 'Pillai', 'Koh', 'Ismail'];
/** The partner company's people (a logistics firm in Belgium). */
export const PARTNER_FIRST = ['Lotte', 'Pieter', 'Amélie', 'Bram', 'Sofie', 'Wout', 'Elise', 'Jonas'];
export const PARTNER_LAST = ['Peeters', 'Janssens', 'Maes', 'Claes', 'Wouters', 'Dupont', 'Lambert', 'Willems'];

export const DEPARTMENTS: readonly { name: Pair; titles: readonly Pair[] }[] = [
  {
    name: ['Engineering', 'Ingénierie'],
    titles: [
      ['Software engineer', 'Ingénieure logiciel'],
      ['Engineering manager', 'Responsable d’équipe technique'],
      ['Site reliability engineer', 'Ingénieur fiabilité'],
      ['QA engineer', 'Ingénieur qualité'],
    ],
  },
  {
    name: ['Product', 'Produit'],
    titles: [
      ['Product manager', 'Chef de produit'],
      ['Product designer', 'Designer produit'],
      ['UX researcher', 'Chercheuse UX'],
    ],
  },
  {
    name: ['Sales', 'Ventes'],
    titles: [
      ['Account executive', 'Chargé de clientèle'],
      ['Sales director', 'Directrice commerciale'],
      ['Business developer', 'Développeur commercial'],
    ],
  },
  {
    name: ['Marketing', 'Marketing'],
    titles: [
      ['Content strategist', 'Responsable éditoriale'],
      ['Marketing manager', 'Responsable marketing'],
      ['Events coordinator', 'Coordinatrice événements'],
    ],
  },
  {
    name: ['Customer success', 'Succès client'],
    titles: [
      ['Customer success manager', 'Responsable succès client'],
      ['Support specialist', 'Spécialiste support'],
    ],
  },
  {
    name: ['Operations', 'Opérations'],
    titles: [
      ['Operations manager', 'Responsable des opérations'],
      ['Supply chain analyst', 'Analyste chaîne logistique'],
    ],
  },
  {
    name: ['People', 'Ressources humaines'],
    titles: [
      ['HR business partner', 'Chargée RH'],
      ['Talent acquisition lead', 'Responsable recrutement'],
    ],
  },
  {
    name: ['Finance', 'Finance'],
    titles: [
      ['Financial controller', 'Contrôleur de gestion'],
      ['Accountant', 'Comptable'],
    ],
  },
];

export const COUNTRIES = {
  fr: { city: 'Lyon', country: ['France', 'France'] as Pair, locale: 'fr' as Locale },
  ca: { city: 'Montréal', country: ['Canada', 'Canada'] as Pair, locale: 'fr' as Locale },
  sg: { city: 'Singapore', country: ['Singapore', 'Singapour'] as Pair, locale: 'en' as Locale },
} as const;

/** A name drawn from the lists, never one already used. */
export function uniqueName(rng: Rng, first: readonly string[], last: readonly string[], used: Set<string>): string {
  for (;;) {
    const name = `${rng.pick(first)} ${rng.pick(last)}`;
    if (!used.has(name)) {
      used.add(name);
      return name;
    }
  }
}

export const inLocale = (pair: Pair, locale: Locale): string => (locale === 'fr' ? pair[1] : pair[0]);
