// The party-joining anniversary card (入党纪念日 / 政治生日, seed 003).
import type { CardModel } from './model.js';

export const ANNIVERSARY_OPT = { id: 'anniversary.opt', v: 1 } as const;

export function anniversaryCard(name: string, years: number, joinedOn: string): CardModel {
  return {
    title: `${name}同志，政治生日快乐！`,
    tone: 'red',
    blocks: [
      {
        type: 'markdown',
        text: `今天是您的入党纪念日。自 ${joinedOn} 入党以来，您已在党 **${years}** 年。\n感谢您一直以来的坚守与奉献，愿您不忘初心、牢记使命，在岗位上继续发挥先锋模范作用！`,
      },
      {
        type: 'actions',
        buttons: [{ label: '不再接收纪念日提醒', action: { ...ANNIVERSARY_OPT, args: { on: '0' } } }],
      },
      { type: 'note', text: '发送 /纪念日 开启 可重新接收。' },
    ],
  };
}
