// User-written text (names, pledges, comments) placed in card markdown must show as written: no
// @all, colour tags or links injected into an official card, and nothing that makes Feishu reject it.
const MARKDOWN = /[\\`*_~[\]()#|]/g;

export function md(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(MARKDOWN, (c) => `\\${c}`);
}
