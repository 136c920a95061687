// The DingTalk section of the environment: DINGTALK_* variables -> settings, or the names still missing.
import { ConfigError } from '../../errors.js';
import { value, type EnvRecord } from '../../config.js';

export type DingTalkMode = 'webhook' | 'stream';

export interface DingTalkConfig {
  /** AppKey (Client ID) of the internal app. */
  clientId: string;
  /** AppSecret (Client Secret): signs robot callbacks and fetches access tokens. */
  clientSecret: string;
  /** The robot's code; equals the AppKey for an internal app's robot. */
  robotCode: string;
  mode: DingTalkMode;
  /** New-style OpenAPI (api.dingtalk.com). */
  apiBase: string;
  /** Legacy OpenAPI (oapi.dingtalk.com): department user lists. */
  oapiBase: string;
  /** The department whose users /同步 reads (no group member API for ordinary groups). */
  deptId: string | null;
  /** Per group: the department of its branch (openConversationId -> dept id), before deptId. */
  chatDepts: ReadonlyMap<string, string>;
  /** The organisation's corp id; learned from the first callback when unset. */
  corpId: string | null;
}

export const DINGTALK_API_BASE = 'https://api.dingtalk.com';
export const DINGTALK_OAPI_BASE = 'https://oapi.dingtalk.com';
const REQUIRED = ['DINGTALK_CLIENT_ID', 'DINGTALK_CLIENT_SECRET'] as const;

function parseBase(name: string, raw: string | undefined, fallback: string): string {
  const base = raw ?? fallback;
  let parsed: URL;
  try {
    parsed = new URL(base);
  } catch {
    throw new ConfigError(name, `must be a URL like ${fallback}, got "${base}"`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new ConfigError(name, `must be an http(s) URL, got "${base}"`);
  return base.replace(/\/+$/, '');
}

function parseMode(raw: string | undefined): DingTalkMode {
  const mode = raw ?? 'webhook';
  if (mode !== 'webhook' && mode !== 'stream') throw new ConfigError('DINGTALK_MODE', `must be webhook or stream, got "${mode}"`);
  return mode;
}

function parseDeptId(raw: string | undefined): string | null {
  if (raw === undefined) return null;
  if (!/^\d{1,20}$/.test(raw)) throw new ConfigError('DINGTALK_DEPT_ID', `must be a department id (digits; 1 is the whole organisation), got "${raw}"`);
  return raw;
}

/** DINGTALK_CHAT_DEPTS: a JSON object {"<openConversationId>": <deptId>, …}. */
function parseChatDepts(raw: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (raw === undefined) return out;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ConfigError('DINGTALK_CHAT_DEPTS', 'must be a JSON object like {"cidXXXX==": 123}');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new ConfigError('DINGTALK_CHAT_DEPTS', 'must be a JSON object like {"cidXXXX==": 123}');
  for (const [chat, dept] of Object.entries(parsed)) {
    const id = String(dept);
    if (!/^\d{1,20}$/.test(id)) throw new ConfigError('DINGTALK_CHAT_DEPTS', `department of "${chat}" must be digits, got "${id}"`);
    out.set(chat, id);
  }
  return out;
}

export function parseDingTalkConfig(env: EnvRecord): { settings: DingTalkConfig | null; missing: string[] } {
  const missing = REQUIRED.filter((name) => !value(env, name));
  const mode = parseMode(value(env, 'DINGTALK_MODE'));
  const apiBase = parseBase('DINGTALK_API_BASE', value(env, 'DINGTALK_API_BASE'), DINGTALK_API_BASE);
  const oapiBase = parseBase('DINGTALK_OAPI_BASE', value(env, 'DINGTALK_OAPI_BASE'), DINGTALK_OAPI_BASE);
  const deptId = parseDeptId(value(env, 'DINGTALK_DEPT_ID'));
  const chatDepts = parseChatDepts(value(env, 'DINGTALK_CHAT_DEPTS'));
  if (missing.length) return { settings: null, missing: [...missing] };
  const clientId = value(env, 'DINGTALK_CLIENT_ID')!;
  return {
    settings: {
      clientId,
      clientSecret: value(env, 'DINGTALK_CLIENT_SECRET')!,
      robotCode: value(env, 'DINGTALK_ROBOT_CODE') ?? clientId,
      mode,
      apiBase,
      oapiBase,
      deptId,
      chatDepts,
      corpId: value(env, 'DINGTALK_CORP_ID') ?? null,
    },
    missing: [],
  };
}
