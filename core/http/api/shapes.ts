/** Pieces of the JSON API's response schemas that every API names the same way. */
import { z } from 'zod';

/** A member as the API names them everywhere: id, username and display name (spread it to add fields). */
export const apiMemberFields = { id: z.number().int(), username: z.string(), displayName: z.string() };

/** A member named in a response (an author, a participant). */
export const apiMember = z.object(apiMemberFields);
