// The frame of every web page: Chinese, phone viewport, the stylesheet, an optional script.
import type { Child } from 'hono/jsx';
import { raw } from 'hono/html';
import { CSS } from './styles.js';

export function Layout({ title, children, script }: { title: string; children: Child; script?: string }) {
  return (
    <>
      {raw('<!DOCTYPE html>')}
      <html lang="zh-CN">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{title}</title>
          <style>{raw(CSS)}</style>
        </head>
        <body>
          {children}
          {script ? <script>{raw(script)}</script> : null}
        </body>
      </html>
    </>
  );
}

export function MessagePage({ title, detail }: { title: string; detail: string }) {
  return (
    <Layout title={title}>
      <div class="page" role="alert">
        <h2>{title}</h2>
        <p>{detail}</p>
      </div>
    </Layout>
  );
}
