import { columnSearch } from '../../core';

/** What search keeps of a blog post: title and Markdown body (core/content/search.ts). */
export const blogSearch = columnSearch('blogs', { table: 'blog_posts', title: 'title', body: 'body' });
