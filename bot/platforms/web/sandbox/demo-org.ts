// The sandbox's demo organisation: a logistics group's party committee and three branches.
// Fictional people; their ids live only on the web platform of the sandbox database.

export interface DemoPerson {
  id: string;
  name: string;
  /** What the seed makes of them. */
  role: 'committee' | 'secretary' | 'member';
  joinedPartyOn: string;
}

export interface DemoBranch {
  chatId: string;
  name: string;
  unit: string;
  people: DemoPerson[];
}

export const DEMO_TENANT = 'sandbox';

const p = (id: string, name: string, joinedPartyOn: string, role: DemoPerson['role'] = 'member'): DemoPerson => ({ id, name, role, joinedPartyOn });

export const COMMITTEE: DemoPerson[] = [p('c1', '陈立华', '1998-07-01', 'committee'), p('c2', '周敏', '2003-06-18', 'committee')];

export const BRANCHES: DemoBranch[] = [
  {
    chatId: 'g1',
    name: '后勤第一党支部',
    unit: '饮食服务中心',
    people: [
      p('a1', '王建国', '2005-12-20', 'secretary'),
      p('a2', '张秀英', '2010-06-30'),
      p('a3', '李明', '2012-07-01'),
      p('a4', '刘洋', '2015-11-12'),
      p('a5', '赵静', '2016-05-04'),
      p('a6', '孙伟', '2018-12-01'),
      p('a7', '吴芳', '2019-07-01'),
      p('a8', '郑海', '2021-06-26'),
    ],
  },
  {
    chatId: 'g2',
    name: '后勤第二党支部',
    unit: '物业服务中心',
    people: [
      p('b1', '黄志强', '2004-05-20', 'secretary'),
      p('b2', '何丽', '2009-10-10'),
      p('b3', '高峰', '2011-07-01'),
      p('b4', '林小红', '2014-03-08'),
      p('b5', '马超', '2017-09-15'),
      p('b6', '罗晓燕', '2020-11-20'),
      p('b7', '梁磊', '2022-06-30'),
    ],
  },
  {
    chatId: 'g3',
    name: '后勤第三党支部',
    unit: '能源与维修中心',
    people: [
      p('d1', '徐国庆', '2001-10-01', 'secretary'),
      p('d2', '宋佳', '2013-12-12'),
      p('d3', '唐军', '2015-07-01'),
      p('d4', '韩梅', '2018-04-23'),
      p('d5', '冯涛', '2020-06-01'),
      p('d6', '曹雪', '2023-05-04'),
    ],
  },
];

/** Committee members sit in the groups of the branches they look after. */
export const COMMITTEE_GROUPS: Record<string, string[]> = { c1: ['g1', 'g2'], c2: ['g3'] };

export const EVERYONE: DemoPerson[] = [...COMMITTEE, ...BRANCHES.flatMap((b) => b.people)];

export function demoPerson(id: string): DemoPerson | undefined {
  return EVERYONE.find((x) => x.id === id);
}

export function groupsOf(personId: string): DemoBranch[] {
  return BRANCHES.filter((b) => b.people.some((x) => x.id === personId) || (COMMITTEE_GROUPS[personId] ?? []).includes(b.chatId));
}

export function groupMembers(chatId: string): DemoPerson[] {
  const branch = BRANCHES.find((b) => b.chatId === chatId);
  if (!branch) return [];
  return [...branch.people, ...COMMITTEE.filter((c) => (COMMITTEE_GROUPS[c.id] ?? []).includes(chatId))];
}

/** The sandbox's administrators, as BOT_ADMINS entries. */
export const DEMO_ADMINS = COMMITTEE.map((c) => `web:${c.id}`);
