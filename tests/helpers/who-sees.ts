/**
 * The expected answer of the access model for content at each level (core/access), as the
 * plugin tests' visibility matrices check it: which kinds of viewer may see the content.
 */
export const ACCESS_LEVELS = ['private', 'friends', 'group', 'network', 'members', 'public'] as const;
export type AccessLevelName = (typeof ACCESS_LEVELS)[number];

/** The owner, a friend of theirs, a member of the network, a member of the content's group, staff and a guest. */
export const VIEWERS = ['owner', 'friend', 'member', 'groupie', 'moderator', 'admin', 'guest'] as const;
export type Viewer = (typeof VIEWERS)[number];

export const SEES: Record<AccessLevelName, readonly Viewer[]> = {
  private: ['owner', 'moderator', 'admin'],
  friends: ['owner', 'friend', 'moderator', 'admin'],
  group: ['owner', 'groupie', 'moderator', 'admin'],
  network: ['owner', 'friend', 'member', 'groupie', 'moderator', 'admin'],
  members: ['owner', 'friend', 'member', 'groupie', 'moderator', 'admin'],
  public: ['owner', 'friend', 'member', 'groupie', 'moderator', 'admin', 'guest'],
};
