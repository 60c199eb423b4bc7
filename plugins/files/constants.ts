/** Ids the files plugin's modules share. */
export const FILE = 'file';
export const ALBUM = 'album';
export const MAX_CAPTION = 500;
export const USE = 'files.use';
/** Byte sizes of an image's variants (longest side). */
export const THUMB_PX = 320;
export const DISPLAY_PX = 1600;
export const PAGE_SIZE = 30;
export const MAX_NAME = 200;
export const MB = 1024 * 1024;
/** The types accepted by default (an admin edits the list in the plugin's settings). */
export const DEFAULT_TYPES = [
  'image/jpeg',
  'image/png',
  'image/gif',
  'image/webp',
  'application/pdf',
  'text/plain',
  'application/zip',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.spreadsheet',
  'application/vnd.oasis.opendocument.presentation',
  'audio/mpeg',
  'video/mp4',
].join(', ');
