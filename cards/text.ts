// User-written text (names, pledges, comments) placed in card markdown must show as written: no
import type { Block } from './model.js';
// @all, colour tags or links injected into an official card, and nothing that makes Feishu reject it.
const MARKDOWN = /[\\`*_~[\]()#|]/g;

export function md(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(MARKDOWN, (c) => `\\${c}`);
}

/** The red list of problems at the top of a form card, each problem naming its field. */
export function formErrors(errors: string[], verb = '提交'): Block[] {
  return errors.length
    ? [{ type: 'markdown', text: `<font color='red'>**请修改以下 ${errors.length} 处后再${verb}：**</font>\n${errors.map((e) => `- ${md(e)}`).join('\n')}` }]
    : [];
}
