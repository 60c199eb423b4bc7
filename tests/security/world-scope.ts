/**
 * The objects of one scope of the security world (world.ts), made as members make them, step by
 * step: its groups and invitations, its posts, its private links between people (messages,
 * connection requests, a friendship), its files, its moderation, and the accounts' things
 * (sessions, a ban, API tokens, a bot, an archive, a webhook).
 */
import { sha256 } from '../../core/auth/tokens';
import {
  AUTHOR,
  GROUP_NAME,
  latest,
  PASSWORD,
  RESIDENTS,
  SLUGS,
  type ActorName,
  type Building,
  type NetKey,
  type Scope,
  type ScopeObjects,
  type WorldObject,
} from './world-model';

/** Who plays which part in a scope: its author, the resident and the joiner; the group's co-admin; the access level of its content. */
function castOf(scope: Scope) {
  const { username: resident, joiner } = RESIDENTS[scope];
  return {
    net: scope as NetKey,
    author: AUTHOR[scope],
    resident,
    joiner,
    // A's group has a co-admin actor; elsewhere the resident is a plain member of the group.
    coadmin: scope === 'A' ? 'coadmin' : resident,
    // "This network" is not a choice at the root, where it would mean every member.
    access: scope === 'root' ? 'members' : 'network',
  };
}

/** The scope's closed group (its members, a join request), its open group, and two invitations. */
async function groupsOf(b: Building, scope: Scope) {
  const { db, actors, ids, now, post } = b;
  const { net, author, resident, joiner, coadmin } = castOf(scope);
  const groupName = GROUP_NAME;
  await post(author, net, '/groups', { name: groupName, description: `The group of ${scope}.`, category: 'social', visibility: 'closed' });
  const groupId = await latest(db, 'groups', 'entity_id');
  const groupAdmins: ActorName[] = scope === 'A' ? ['owner', 'coadmin'] : [author];
  await db('container_members').insert([
    { container_id: groupId, user_id: ids[coadmin], role: scope === 'A' ? 'admin' : 'member', created_at: now },
    ...(scope === 'A' ? [{ container_id: groupId, user_id: ids[resident], role: 'member', created_at: now }] : []),
    { container_id: groupId, user_id: ids[RESIDENTS[scope].extra], role: 'member', created_at: now },
  ]);
  const group: WorldObject = { value: String(groupId), scope, user: author, groupOwner: author, groupAdmins, fields: { confirm: groupName } };
  await post(joiner, net, `/groups/${groupId}/join`);
  await post(RESIDENTS[scope].late, net, `/groups/${groupId}/join`);
  // An open group the weakest permitted actor belongs to, to leave.
  await post(author, net, '/groups', { name: groupName, description: `Open to all in ${scope}.`, category: 'social', visibility: 'open' });
  const openGroupId = await latest(db, 'groups', 'entity_id');
  const leaver = scope === 'B' ? 'root' : 'member';
  await db('container_members').insert([
    { container_id: openGroupId, user_id: actors[leaver].userId, role: 'member', created_at: now },
    { container_id: openGroupId, user_id: ids[RESIDENTS[scope].extra], role: 'member', created_at: now },
  ]);
  // The member of A is invited into A's group; elsewhere the scope's joiner... is already asking: invite someone else.
  // A's groups invite the admin of A (an actor, who may accept one and decline the other; the
  // member of A is the one who asks to join); elsewhere residents.
  const invitee = scope === 'A' ? 'adminA' : RESIDENTS[scope].invitee;
  await post(author, net, `/groups/${groupId}/invite`, { username: scope === 'A' ? actors.adminA.username! : invitee });
  const invitationId = await latest(db, 'group_invitations');
  const invitation: WorldObject = { value: String(invitationId), scope, user: invitee, groupOwner: author, groupAdmins };
  // A second invitation, to decline: the admin of A in A; a resident elsewhere.
  const decliner = scope === 'A' ? 'adminA' : RESIDENTS[scope].decliner;
  await post(author, net, `/groups/${scope === 'A' ? openGroupId : groupId}/invite`, {
    username: scope === 'A' ? actors.adminA.username! : decliner,
  });
  const invitation2: WorldObject = { value: String(await latest(db, 'group_invitations')), scope, user: decliner, groupOwner: author, groupAdmins };
  return { group, groupId, openGroupId, groupAdmins, invitation, invitation2 };
}

/** The author's posts of every kind (a status for the pages and one for the API, comments on them), a resident's code, an answer to the event. */
async function postsOf(b: Building, scope: Scope) {
  const { db, ids, nets, residents, post, signIn } = b;
  const { net, author, access } = castOf(scope);
  await post(author, net, '/status', { body: `A status in ${scope} #matrix`, access });
  const statusId = await latest(db, 'status_posts', 'entity_id');
  // A second status for the JSON API routes, so that the pages' and the API's actions each have theirs.
  await post(author, net, '/status', { body: `Another status in ${scope}`, access });
  const apiStatusId = await latest(db, 'status_posts', 'entity_id');
  await post(author, net, '/blogs', { title: `A post in ${scope}`, body: 'Some words.', access, status: 'published', tags: 'matrix' });
  const blogId = await latest(db, 'blog_posts', 'entity_id');
  await post(author, net, '/events', { title: `An event in ${scope}`, body: 'Come along.', starts: '2099-06-01T10:00', access, tags: 'matrix' });
  const eventId = await latest(db, 'events', 'entity_id');
  // A resident's code (asked for on the page), and an attendee of the event without one (the name badges issue it).
  // The code's owner has no connection request with anyone: asking to connect by it must write a new one.
  const coder = RESIDENTS[scope].decliner;
  residents[coder] = await signIn(coder, PASSWORD, scope);
  await post(coder, net, '/connect/rotate');
  const connectCode = String((await db('connect_codes').where({ user_id: ids[coder], network_id: nets[net].id }).first('code')).code);
  await post(RESIDENTS[scope].late, net, `/events/${eventId}/rsvp`, { answer: 'going' });
  await post(author, net, '/discussions', { title: `A topic in ${scope}`, body: 'A question?', access, tags: 'matrix' });
  const topicId = await latest(db, 'discussion_topics', 'entity_id');
  await post(author, net, '/polls', { question: `A poll in ${scope}?`, options: 'Yes\nNo', results: 'always', access });
  const pollId = await latest(db, 'polls_polls', 'entity_id');
  const optionId = Number((await db('polls_options').where({ poll_id: pollId }).orderBy('position').first('id')).id);
  await post(author, net, '/polls', { question: `A poll to edit in ${scope}?`, options: 'Yes\nNo', results: 'always', access });
  const pollToEditId = await latest(db, 'polls_polls', 'entity_id');
  await post(author, net, '/ideas', { title: `An idea in ${scope}`, body: 'Some words.', access });
  const ideaId = await latest(db, 'polls_ideas', 'entity_id');
  await post(author, net, `/discussions/${topicId}/replies`, { body: 'An answer.' });
  const replyId = await latest(db, 'discussion_replies');
  await post(author, net, `/entities/${statusId}/comments`, { body: 'A comment.' });
  const commentId = await latest(db, 'comments');
  await post(author, net, `/entities/${apiStatusId}/comments`, { body: 'A comment for the API.' });
  const apiCommentId = await latest(db, 'comments');
  return {
    statusId,
    apiStatusId,
    blogId,
    eventId,
    coder,
    connectCode,
    topicId,
    pollId,
    optionId,
    pollToEditId,
    ideaId,
    replyId,
    commentId,
    apiCommentId,
  };
}

/** Conversations of two and of three, connection requests to and from the author, a friendship to end. */
async function linksOf(b: Building, scope: Scope) {
  const { db, actors, ids, now, post } = b;
  const { net, author, resident, joiner } = castOf(scope);
  await post(author, net, '/messages', { to: resident, subject: 'Hello', body: 'A private word.' });
  const conversationId = await latest(db, 'conversations');
  await post(author, net, '/messages', { to: `${resident} ${joiner}`, subject: 'Hello all', body: 'A word for three.' });
  const groupConversationId = await latest(db, 'conversations');
  // Connection requests to the author (to accept, to decline) and from the author (to cancel).
  await post(resident, net, `/people/${actors[author].username}/connect`);
  const requestId = await latest(db, 'connection_requests');
  await post(joiner, net, `/people/${actors[author].username}/connect`);
  const requestId2 = await latest(db, 'connection_requests');
  await post(author, net, `/people/${RESIDENTS[scope].late}/connect`);
  const sentId = await latest(db, 'connection_requests');
  // The weakest permitted actor is connected with the scope's extra resident, to disconnect.
  const friendOf = scope === 'B' ? 'adminB' : 'member';
  for (const [one, other] of [
    [actors[friendOf].userId!, ids[RESIDENTS[scope].extra]],
    [ids[RESIDENTS[scope].extra], actors[friendOf].userId!],
  ]) {
    await db('user_relations').insert({ user_id: one, other_id: other, kind: 'friend', created_at: now });
  }
  return { conversationId, groupConversationId, requestId, requestId2, sentId };
}

/** The group library's file (with a folder and an earlier version) and album, attached photos, the author's newest notification. */
async function filesOf(b: Building, scope: Scope, groupId: number, conversationId: number) {
  const { db, actors, post, postFile } = b;
  const { net, author, access } = castOf(scope);
  // A file in a folder of the group's library, given a second version (its first is the history).
  await post(author, net, `/files/in/${groupId}/folders`, { name: 'Matrix folder' });
  const folderId = await latest(db, 'files_folders');
  await postFile(author, net, '/files', { container: String(groupId), folder: String(folderId), access });
  const fileId = await latest(db, 'files_items', 'entity_id');
  await postFile(author, net, `/files/${fileId}/versions`);
  const versionId = await latest(db, 'files_versions');
  await post(author, net, '/files/albums', { title: 'Matrix album', container: String(groupId), access });
  const albumId = await latest(db, 'files_albums', 'entity_id');
  await postFile(author, net, '/files', { album: String(albumId) });
  const notificationId = await latest(db, 'notifications', 'id', { user_id: actors[author].userId });
  // Attached files: a photo on a status post in the group, and one on a message of the conversation.
  await postFile(author, net, '/status', { body: `Photos of ${scope}`, access: 'group', container: String(groupId) }, 'attachments');
  const attachedStatusId = await latest(db, 'status_posts', 'entity_id');
  const attachmentId = await latest(db, 'files_items', 'entity_id', { parent_kind: 'status', parent_id: attachedStatusId });
  await postFile(author, net, `/messages/${conversationId}/reply`, { body: 'The photo.' }, 'attachments');
  const messageAttachmentId = await latest(db, 'files_items', 'entity_id', { parent_kind: 'message' });
  return { folderId, fileId, versionId, albumId, notificationId, attachedStatusId, attachmentId, messageAttachmentId };
}

/** Open reports, a warning to the author, a hidden status in the history, a watched word. */
async function moderationOf(b: Building, scope: Scope, statusId: number, commentId: number) {
  const { db, actors, nets, now, post } = b;
  const { net, author, resident, joiner, access } = castOf(scope);
  // Open reports for the moderators to decide on: the status, the resident as a member and the comment; a warning to the author.
  await post(resident, net, `/moderation/report/entity/${statusId}`, { reason: 'spam' });
  await post(joiner, net, `/moderation/report/member/${resident}`, { reason: 'harassment' });
  await post(resident, net, `/moderation/report/piece/comment/${commentId}`, { reason: 'spam' });
  await db('moderation_warnings').insert({
    network_id: nets[net].id,
    user_id: actors[author].userId,
    target_type: 'entity',
    target_id: statusId,
    message: 'A warning from the matrix.',
    created_by: actors.root.userId,
    created_at: now,
  });
  const warningId = await latest(db, 'moderation_warnings');
  // A status the network's moderators hid: its decision is in the history, to restore.
  await post(author, net, '/status', { body: `A hidden status in ${scope}`, access });
  const hiddenStatusId = await latest(db, 'status_posts', 'entity_id');
  await post(resident, net, `/moderation/report/entity/${hiddenStatusId}`, { reason: 'spam' });
  await post('root', net, `/moderation/entities/${hiddenStatusId}/decide`, { decision: 'hide' });
  const decisionId = await latest(db, 'moderation_decisions', 'id', { target_id: hiddenStatusId, decision: 'hide' });
  await db('moderation_watched_words').insert({
    network_id: nets[net].id,
    key: `matrixword${net.toLowerCase()}`,
    pattern: `matrixword${net.toLowerCase()}`,
    action: 'flag',
    replacement: '',
    created_by: actors.root.userId,
    updated_at: now,
  });
  const watchedWordId = await latest(db, 'moderation_watched_words');
  return { warningId, decisionId, watchedWordId };
}

/** A session of the author's, the console's member's session, a banned member, API tokens, a bot, an archive, a webhook and its delivery. */
async function accountsOf(b: Building, scope: Scope) {
  const { db, rt, actors, ids, nets, addUser } = b;
  const { net, author } = castOf(scope);
  // A second session of the author (never the one its agent uses).
  const sessionId = sha256(await rt.sessions.create(actors[author].userId!));
  // The console's member has a session an admin can end.
  await rt.sessions.create(ids[RESIDENTS[scope].managed]);
  // A member banned from the network, whose ban the console lifts.
  const bannedName = `banned${scope.toLowerCase()}`;
  await addUser(bannedName, { [net]: 'member' });
  await rt.bans.ban(nets[net].id, ids[bannedName], 'A matrix ban.', actors.root.userId!);
  const apiToken = await rt.apiTokens.create(actors[author].userId!, `Token of ${scope}`);
  const botInput = {
    displayName: `Bot of ${scope}`,
    username: `bot${scope.toLowerCase()}`,
    description: '',
    scope: 'network' as const,
    networkIds: [],
    groupIds: [],
  };
  const botId = await db.transaction((trx) => rt.bots.create(trx, nets[net].id, botInput, actors.root.userId!));
  const botToken = await rt.apiTokens.create(botId, `Bot token of ${scope}`, 'write');
  const exportKey = `exports/${actors[author].userId}/matrix-${scope}.zip`;
  await rt.storage.put(exportKey, Buffer.from('PK\x05\x06'.padEnd(22, '\0')), 'application/zip');
  const madeAt = Date.now();
  await db('member_exports').insert({
    user_id: actors[author].userId,
    network_id: rt.networks.root().id,
    status: 'ready',
    storage_key: exportKey,
    size: 22,
    requested_at: madeAt,
    ready_at: madeAt,
    expires_at: madeAt + 86_400_000,
  });
  const exportId = await latest(db, 'member_exports');
  // A webhook of the network (a public documentation address: no lookup, no private address) with one failed delivery to send again.
  await db('webhooks').insert({
    network_id: nets[net].id,
    url: `https://203.0.113.10/matrix-${scope}`,
    events: JSON.stringify(['core.member.joined']),
    secret: `whsec_matrix_${scope}`,
    owner: 'admin',
    created_at: madeAt,
  });
  const webhookId = await latest(db, 'webhooks');
  await db('webhook_deliveries').insert({
    webhook_id: webhookId,
    event: 'core.member.joined',
    body: '{}',
    status: 'failed',
    attempts: 9,
    created_at: madeAt,
  });
  const deliveryId = await latest(db, 'webhook_deliveries');
  return { sessionId, bannedName, apiToken, botId, botToken, exportId, webhookId, deliveryId };
}

/** Every object of the scope a route parameter can name. */
export async function scopeObjects(b: Building, scope: Scope): Promise<ScopeObjects> {
  const { ids, spares } = b;
  const { author, resident, joiner, coadmin } = castOf(scope);
  const { group, groupId, openGroupId, groupAdmins, invitation, invitation2 } = await groupsOf(b, scope);
  const p = await postsOf(b, scope);
  const l = await linksOf(b, scope);
  const f = await filesOf(b, scope, groupId, l.conversationId);
  const m = await moderationOf(b, scope, p.statusId, p.commentId);
  const a = await accountsOf(b, scope);
  const inScope = (value: number | string, extra: Partial<WorldObject> = {}): WorldObject => ({
    value: String(value),
    scope,
    user: author,
    groupOwner: author,
    groupAdmins,
    ...extra,
  });
  return {
    group,
    status: inScope(p.statusId),
    apiStatus: inScope(p.apiStatusId),
    apiComment: inScope(p.apiCommentId),
    blog: inScope(p.blogId),
    event: inScope(p.eventId),
    connectCode: { value: p.connectCode, scope, user: p.coder },
    topic: inScope(p.topicId),
    poll: inScope(p.pollId, { fields: { option: String(p.optionId) } }),
    pollToEdit: inScope(p.pollToEditId),
    idea: inScope(p.ideaId),
    reply: inScope(p.replyId),
    comment: inScope(p.commentId),
    conversation: { value: String(l.conversationId), scope, user: author, users: [author, resident] },
    groupConversation: {
      value: String(l.groupConversationId),
      scope,
      user: author,
      users: [author, resident, joiner],
      fields: { to: RESIDENTS[scope].extra },
    },
    connectionRequest: { value: String(l.requestId), scope, user: author },
    connectionRequest2: { value: String(l.requestId2), scope, user: author },
    connectionSent: { value: String(l.sentId), scope, user: author },
    invitation,
    invitation2,
    openGroup: { value: String(openGroupId), scope, user: author, groupOwner: author, groupAdmins: [author] },
    friend: { value: RESIDENTS[scope].extra, scope, user: RESIDENTS[scope].extra },
    stranger: { value: RESIDENTS[scope].invitee, scope, user: RESIDENTS[scope].invitee },
    joinRequester2: { value: String(ids[RESIDENTS[scope].late]), scope, user: RESIDENTS[scope].late, groupOwner: author, groupAdmins },
    groupMember: {
      value: String(ids[scope === 'A' ? resident : coadmin]),
      scope,
      user: scope === 'A' ? resident : coadmin,
      groupOwner: author,
      groupAdmins,
    },
    groupOtherMember: { value: String(ids[RESIDENTS[scope].extra]), scope, user: RESIDENTS[scope].extra, groupOwner: author, groupAdmins },
    groupCoadmin: { value: String(scope === 'A' ? ids.coadmin : ids[coadmin]), scope, user: coadmin, groupOwner: author, groupAdmins },
    joinRequester: { value: String(ids[joiner]), scope, user: joiner, groupOwner: author, groupAdmins },
    resident: { value: resident, scope, user: resident },
    managed: { value: String(ids[RESIDENTS[scope].managed]), scope, user: RESIDENTS[scope].managed },
    banned: { value: String(ids[a.bannedName]), scope, user: a.bannedName },
    bot: { value: String(a.botId), scope },
    botToken: { value: String(a.botToken.id), scope },
    document: inScope(f.fileId),
    folder: inScope(f.folderId),
    fileVersion: inScope(f.versionId),
    album: inScope(f.albumId),
    attachment: inScope(f.attachmentId, { parent: `/status/${f.attachedStatusId}` }),
    messageAttachment: {
      value: String(f.messageAttachmentId),
      scope,
      user: author,
      users: [author, resident],
      parent: `/messages/${l.conversationId}`,
    },
    session: { value: a.sessionId, scope, user: author },
    apiToken: { value: String(a.apiToken.id), scope, user: author },
    memberExport: { value: String(a.exportId), scope, user: author },
    webhook: { value: String(a.webhookId), scope },
    webhookDelivery: { value: String(a.deliveryId), scope },
    notification: { value: String(f.notificationId), scope, user: author },
    warning: { value: String(m.warningId), scope, user: author },
    moderationDecision: { value: String(m.decisionId), scope },
    watchedWord: { value: String(m.watchedWordId), scope },
    network: scope === 'root' ? undefined : { value: SLUGS[scope], scope: 'installation' },
    spareNetwork: scope === 'root' ? undefined : { value: spares[scope], scope: 'installation' },
  };
}
