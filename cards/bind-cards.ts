// Cards of /bind: asking before a chat or a branch is re-bound, and the outcome.
import type { CardModel } from './model.js';

export const BIND_CONFIRM = { id: 'bind.confirm', v: 1 } as const;
export const BIND_CANCEL = { id: 'bind.cancel', v: 1 } as const;

export function rebindConfirmCard(branchName: string, reason: string): CardModel {
  return {
    title: '确认改绑支部',
    tone: 'orange',
    blocks: [
      { type: 'markdown', text: `${reason}\n\n确认后，本群将绑定为 **${branchName}**。` },
      {
        type: 'actions',
        buttons: [
          { label: '确认改绑', style: 'primary', action: { ...BIND_CONFIRM, args: { branch: branchName } } },
          { label: '取消', action: { ...BIND_CANCEL, args: { branch: branchName } } },
        ],
      },
      { type: 'note', text: `也可以发送 /绑定 ${branchName} 确认 完成改绑。` },
    ],
  };
}

export function boundCard(branchName: string, byName: string): CardModel {
  return {
    title: '支部绑定成功',
    tone: 'green',
    blocks: [
      { type: 'markdown', text: `本群已绑定为 **${branchName}**。` },
      { type: 'note', text: `操作人：${byName}。下一步：发送 /同步 导入本群成员。` },
    ],
  };
}

export function rebindCancelledCard(branchName: string): CardModel {
  return {
    title: '已取消改绑',
    tone: 'grey',
    blocks: [{ type: 'markdown', text: `本群的绑定未改变（未绑定为 ${branchName}）。` }],
  };
}
