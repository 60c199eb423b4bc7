/**
 * What other plugins may call of the messages plugin (its public contract, with hooks.ts):
 * the chat plugin makes the same conversations live through these. Plugins listing
 * `messages` in `dependsOn` import values from here only.
 */
export { isRoom, membersOf, unsavedRoom, type ConversationRow } from './audience';
export { conversationData, messagesService } from './routes';
export { MESSAGE_PIECE } from './pieces';
export { MessagesService, PAGE, type MessageRow } from './service';
export { authors, conversationHref, conversationTitle, messageView, messageViews, type Author } from './view';
export { avatarPattern, inboxRows, withDays } from './present';
