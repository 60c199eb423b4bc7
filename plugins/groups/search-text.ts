import { columnSearch } from '../../core';

/** What search keeps of a group: its name and description (core/content/search.ts). */
export const groupSearch = columnSearch('groups', { table: 'groups', title: 'name', body: 'description' });
