/** The member's blog posts and their revisions in their archive (core/members/). */
import { memberDataHooks } from '../../core';

export const memberData = memberDataHooks('blogs', {
  parts: [
    { name: 'posts', table: 'blog_posts', entity: 'entity_id' },
    { name: 'revisions', table: 'blog_revisions', columns: ['editor_id'] },
  ],
});
