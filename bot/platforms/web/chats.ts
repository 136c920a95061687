// Chat ids of the web edge: a direct chat with the bot per person, group chats by their own id.
export const directChatOf = (userId: string): string => `dm:${userId}`;

export function directChatUser(chatId: string): string | null {
  return chatId.startsWith('dm:') ? chatId.slice(3) : null;
}
