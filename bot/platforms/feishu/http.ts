// The Lark SDK's HttpInstance over our transport (fetch on Workers, node:http on Node).
import type { Client } from '@larksuiteoapi/node-sdk';
import { fetchTransport, type HttpTransport } from '../../http-transport.js';

type SdkHttp = NonNullable<ConstructorParameters<typeof Client>[0]['httpInstance']>;

interface RequestOptions {
  url?: string;
  method?: string;
  headers?: Record<string, unknown>;
  params?: Record<string, unknown>;
  data?: unknown;
  paramsSerializer?: unknown;
  timeout?: number;
  $return_headers?: boolean;
}

/** A non-2xx answer from the Open API, with what is needed to decide on a retry. */
export class FeishuHttpError extends Error {
  override name = 'FeishuHttpError';
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string>,
  ) {
    super(`Feishu Open API answered HTTP ${status}`);
  }
}

function queryString(opts: RequestOptions): string {
  if (!opts.params) return '';
  if (typeof opts.paramsSerializer === 'function') {
    const s = (opts.paramsSerializer as (p: unknown) => string)(opts.params);
    return s ? `?${s}` : '';
  }
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(opts.params)) {
    if (v === undefined || v === null || v === '') continue;
    for (const item of Array.isArray(v) ? v : [v]) search.append(k, String(item));
  }
  const s = search.toString();
  return s ? `?${s}` : '';
}

function parseBody(text: string): unknown {
  if (!text) return {};
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Form fields of an upload; bytes become a file part named by the `file_name` field. */
function multipartBody(data: Record<string, unknown>): FormData {
  const form = new FormData();
  const name = typeof data.file_name === 'string' ? data.file_name : 'file';
  for (const [k, v] of Object.entries(data)) {
    if (v === undefined || v === null) continue;
    if (v instanceof Uint8Array) form.append(k, new Blob([new Uint8Array(v)]), name);
    else form.append(k, String(v));
  }
  return form;
}

export function sdkHttpInstance(transport: HttpTransport = fetchTransport(), defaultTimeoutMs = 10_000): SdkHttp {
  const request = async (opts: RequestOptions): Promise<unknown> => {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(opts.headers ?? {})) if (v !== undefined && v !== null) headers[k] = String(v);
    let body: string | FormData | undefined;
    const multipart = Object.entries(headers).some(([k, v]) => k.toLowerCase() === 'content-type' && v.startsWith('multipart/form-data'));
    if (multipart && typeof opts.data === 'object' && opts.data !== null) {
      // An upload (im/v1/files): the transport writes the boundary into the content type itself.
      for (const k of Object.keys(headers)) if (k.toLowerCase() === 'content-type') delete headers[k];
      body = multipartBody(opts.data as Record<string, unknown>);
    } else if (opts.data !== undefined && opts.data !== null && opts.method?.toUpperCase() !== 'GET') {
      body = typeof opts.data === 'string' ? opts.data : JSON.stringify(opts.data);
      if (!Object.keys(headers).some((k) => k.toLowerCase() === 'content-type')) {
        headers['Content-Type'] = 'application/json; charset=utf-8';
      }
    }
    const answer = await transport({
      url: `${opts.url}${queryString(opts)}`,
      method: (opts.method ?? 'GET').toUpperCase(),
      headers,
      body,
      timeoutMs: opts.timeout || defaultTimeoutMs,
    });
    const data = parseBody(answer.text);
    if (answer.status < 200 || answer.status >= 300) throw new FeishuHttpError(answer.status, data, answer.headers);
    return opts.$return_headers ? { data, headers: answer.headers } : data;
  };
  const withBody = (method: string) => (url: string, data?: unknown, opts?: RequestOptions) => request({ ...opts, url, method, data });
  const withoutBody = (method: string) => (url: string, opts?: RequestOptions) => request({ ...opts, url, method });
  const instance = {
    request,
    get: withoutBody('GET'),
    delete: withoutBody('DELETE'),
    head: withoutBody('HEAD'),
    options: withoutBody('OPTIONS'),
    post: withBody('POST'),
    put: withBody('PUT'),
    patch: withBody('PATCH'),
  };
  return instance as unknown as SdkHttp;
}
