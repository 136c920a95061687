// The roster for /同步: DingTalk has no member list for an ordinary group a robot is in (only for scene
// groups), so it comes from a department's users, paged with a cursor.
import type { ChatMemberInfo } from '../../types.js';
import type { DingTalkOpenApi, Json } from './openapi.js';

export async function listDepartmentUsers(api: DingTalkOpenApi, deptId: string, corpId: () => string | null): Promise<ChatMemberInfo[]> {
  const out: ChatMemberInfo[] = [];
  let cursor = 0;
  for (let page = 0; page < 1000; page++) {
    const body = await api.callLegacy('topapi.v2.user.list', '/topapi/v2/user/list', {
      dept_id: Number(deptId),
      cursor,
      size: 100,
      contain_access_limit: false,
      language: 'zh_CN',
    });
    const result = (typeof body.result === 'object' && body.result !== null ? body.result : {}) as Json;
    for (const u of Array.isArray(result.list) ? result.list : []) {
      if (typeof u !== 'object' || u === null) continue;
      const user = u as Json;
      if (typeof user.userid !== 'string') continue;
      out.push({ userId: user.userid, name: String(user.name ?? ''), tenantKey: corpId() ?? '' });
    }
    if (!result.has_more || typeof result.next_cursor !== 'number') break;
    cursor = result.next_cursor;
  }
  return out;
}
