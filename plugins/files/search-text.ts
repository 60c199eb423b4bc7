import { columnSearch } from '../../core';

/** What search keeps of a file: its name (words split at dots, dashes and underscores) and caption (core/content/search.ts). */
export const fileSearch = columnSearch('files', {
  table: 'files_items',
  title: 'name',
  body: 'caption',
  keywords: (name) => name.replace(/[._-]+/g, ' '),
});
