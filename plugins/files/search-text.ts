import { columnSearch, type EntitySearchDef } from '../../core';

/**
 * What search keeps of a file: its name (words split at dots, dashes and underscores) and
 * caption (core/content/search.ts). Not a file still being scanned (its uploader's alone: it is
 * indexed when released) nor an attached one (seen through its parent, whose own row is private).
 */
export const fileSearch = columnSearch('files', {
  table: 'files_items',
  title: 'name',
  body: 'caption',
  keywords: (name) => name.replace(/[._-]+/g, ' '),
  only: (q) => q.where('state', 'ready').whereNull('parent_kind'),
});

/** What search keeps of an album: its title and description, under the Files tab, named "Album". */
export const albumSearch: EntitySearchDef = {
  ...columnSearch('files', { table: 'files_albums', title: 'title', body: 'description' }),
  kind: 'files.search.album',
};
