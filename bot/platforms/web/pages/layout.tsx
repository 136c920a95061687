// The frame of every web page: Chinese, phone viewport, the stylesheet, an optional script.
import type { Child } from 'hono/jsx';
import { raw } from 'hono/html';
import { CSS } from './styles.js';

/** Enough style for a one-message page (a thank-you after an answer): phones get it in one small response. */
const LIGHT_CSS =
  'body{margin:0;font:16px/1.6 -apple-system,"PingFang SC","Noto Sans CJK SC","Microsoft YaHei",sans-serif;color:#1f2329;background:#f2f3f5}.page{max-width:680px;margin:20px auto;background:#fff;border-radius:8px;padding:18px}h2{margin:0 0 8px}';

export function Layout({ title, children, script, light }: { title: string; children: Child; script?: string; light?: boolean }) {
  return (
    <>
      {raw('<!DOCTYPE html>')}
      <html lang="zh-CN">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{title}</title>
          <style>{raw(light ? LIGHT_CSS : CSS)}</style>
        </head>
        <body>
          {children}
          {script ? <script>{raw(script)}</script> : null}
        </body>
      </html>
    </>
  );
}

export function MessagePage({ title, detail, light }: { title: string; detail: string; light?: boolean }) {
  return (
    <Layout title={title} light={light}>
      <div class="page" role="alert">
        <h2>{title}</h2>
        <p>{detail}</p>
      </div>
    </Layout>
  );
}

/** The list of what to correct above a form posted with mistakes (nothing when there are none). */
export function FormErrors({ errors }: { errors: string[] }) {
  if (!errors.length) return null;
  return (
    <div class="errors" role="alert">
      <p>
        <strong>请修改以下 {errors.length} 处后再提交：</strong>
      </p>
      <ul>
        {errors.map((e) => (
          <li>{e}</li>
        ))}
      </ul>
    </div>
  );
}
