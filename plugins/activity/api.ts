/**
 * What other plugins may call of the activity plugin (its public contract, with hooks.ts):
 * a feed of activity for any source (a group's wall, a sub-network's) and the status
 * composer. Plugins listing `activity` in `dependsOn` import values from here only.
 */
export { loadFeed, type FeedView } from './feed';
export { composer } from './compose';
