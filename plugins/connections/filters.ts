/**
 * Profile-field filters of the directory. Without the profiles plugin's tables there are
 * none; see the profiles integration.
 */
import type { Knex } from 'knex';
import type { RucheContext } from '../../core';

export interface FilterField {
  key: string;
  label: string;
  type: string;
  value: string;
  choices?: { value: string; selected: boolean }[];
}

export async function directoryFilters(_ctx: RucheContext): Promise<{ clauses: ((qb: Knex.QueryBuilder) => void)[]; fields: FilterField[] }> {
  return { clauses: [], fields: [] };
}
