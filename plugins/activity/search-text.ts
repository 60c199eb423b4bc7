import { columnSearch } from '../../core';

/** What search keeps of a status post: its text (core/content/search.ts). */
export const statusSearch = columnSearch('posts', { table: 'status_posts', body: 'body' });
